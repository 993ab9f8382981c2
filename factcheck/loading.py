"""Turn a file, pasted text or an HTML page into an :class:`Article`.

The article text is kept exactly as the source has it, with two exceptions that
every later offset depends on being stable: line ends are normalised (``\\r\\n``
and ``\\r`` become ``\\n``) and a leading byte-order mark is dropped. There is no
Unicode normalisation (NFC or other), no whitespace trimming and no Markdown
rendering, so what the user sees in the file is what the claims point into.

HTML goes through trafilatura for the main text and the metadata. The page is
parsed here, offline, and handed over as a tree, so nothing is ever fetched.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from factcheck.errors import ArticleLoadError
from factcheck.models import Article, ArticleMetadata
from factcheck.segmentation import FULL_STOPS, MAX_CLAIMS, TooManyClaimsError
from factcheck.textdecoding import decode_bytes, decode_text, normalise_newlines

if TYPE_CHECKING:
    import lxml.html  # HTML only: lxml and trafilatura are imported when a page is read

__all__ = [
    "MAX_ARTICLE_BYTES",
    "article_from_html",
    "article_from_text",
    "decode_bytes",
    "load_article",
    "with_load_warnings",
]

#: Files (and downloaded pages) larger than this are refused before being read:
#: no news article comes near it, and the whole text is held in memory.
MAX_ARTICLE_BYTES: int = 20 * 1024 * 1024

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
_HEADLINE_MAX_CHARS = 200
# A Markdown ATX heading marker ("# ", "## "...) is not part of the title.
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)

_DOCTYPE = re.compile(r"\A\s*<!doctype\b[^\[>]*(?:\[.*?\]\s*)?>", re.I | re.S)

# Elements whose content is never article text, removed before extraction.
_NEVER_TEXT = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "object",
    "svg",
    "canvas",
    "nav",
)
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip


def load_article(path: str | os.PathLike[str], *, article_id: str) -> Article:
    """Read a ``.txt``/``.md``/``.html`` file (or text/HTML under any other name).

    Raises :class:`ArticleLoadError` naming the file and the problem when it does
    not exist, is not a regular file, cannot be read, is empty, is larger than
    :data:`MAX_ARTICLE_BYTES`, is binary or cannot be decoded. The file is only read.
    """
    file = Path(os.path.abspath(path))
    # A file name that is not valid UTF-8 (bytes kept as lone surrogates by Python)
    # is recorded with U+FFFD in their place: the project must stay valid Unicode.
    source = str(file).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    decoded = decode_text(_read_bounded(file, source), source=source)
    text = decoded.text
    if not text.strip():
        raise ArticleLoadError(source, "the file is empty (it contains only whitespace)")
    suffix = file.suffix.lower()
    if suffix in _HTML_SUFFIXES or (
        suffix not in _TEXT_SUFFIXES and _HTML_START.match(text[:4096])
    ):
        article = article_from_html(text, article_id=article_id, source=source)
    else:
        article = article_from_text(text, article_id=article_id, source=source)
    return with_load_warnings(article, decoded.warnings)


def with_load_warnings(article: Article, warnings: tuple[str, ...]) -> Article:
    """The article with ``warnings`` added to its :attr:`Article.load_warnings`."""
    if not warnings:
        return article
    return dataclasses.replace(article, load_warnings=article.load_warnings + warnings)


def article_from_text(
    text: str, *, article_id: str, source: str = "clipboard", title: str | None = None
) -> Article:
    """Make an article of plain text (pasted or already decoded), kept as is.

    Only line ends are normalised. The title is ``title`` if given, else the first
    line when it reads like a headline, else a name taken from ``source``.
    """
    text = normalise_newlines(text)
    if not text.strip():
        raise ArticleLoadError(source, "the text is empty")
    # Every line with text is at least one claim: refuse before anything is built.
    if text.count("\n") > MAX_CLAIMS and sum(1 for x in text.split("\n") if x.strip()) > MAX_CLAIMS:
        raise TooManyClaimsError(source)
    return Article(
        id=article_id,
        title=title or _headline(text) or _title_from_source(source),
        source=source,
        text=text,
    )


def article_from_html(html: str | bytes, *, article_id: str, source: str) -> Article:
    """Extract the main text and the stated metadata of an HTML page, offline.

    ``source`` is the page's path or URL; it is only used for messages, the
    fallback title and ``Article.source`` — nothing is fetched from it.
    Paragraphs are separated by ``"\\n"``. Scripts, styles, navigation, frames and
    comments never reach the text.
    """
    if len(html) > MAX_ARTICLE_BYTES:
        raise ArticleLoadError(source, _too_large(len(html), "page"))
    warnings: tuple[str, ...] = ()
    if isinstance(html, bytes):
        markup, _, warnings = decode_text(html, source=source)
    else:
        markup = html
    if not markup.strip():
        raise ArticleLoadError(source, "the page is empty")
    import trafilatura
    from trafilatura.settings import Document

    tree = _parse_html(markup, source)
    _check_paragraph_count(tree, source)
    content = _without_non_text(tree)
    extracted = trafilatura.bare_extraction(
        content,
        include_comments=False,  # readers' comments are not the article
        include_images=False,
        include_links=False,
        include_tables=True,
        deduplicate=False,
    )
    main_text = _clean_extracted(extracted.text if isinstance(extracted, Document) else None)
    body_text = _body_text(content)
    # On pages too small for its heuristics trafilatura falls back to "all the
    # text", split at every inline tag; the same words one line per block read better.
    if not main_text or _squashed(main_text) == _squashed(body_text):
        main_text = body_text
    if not main_text:
        raise ArticleLoadError(source, "the page contains no readable text")
    # Read from the full page: trafilatura drops the metadata of a page in which
    # it finds no main text, and JSON-LD metadata lives in <script> elements.
    document = trafilatura.extract_metadata(tree)

    def stated(name: str) -> str | None:
        value = getattr(document, name, None)
        return (value.strip() or None) if isinstance(value, str) else None

    return Article(
        id=article_id,
        title=stated("title") or _title_from_source(source),
        source=source,
        text=main_text,
        metadata=ArticleMetadata(
            author=stated("author"),
            date=stated("date"),
            url=stated("url"),
            site_name=stated("sitename"),
            description=stated("description"),
        ),
        load_warnings=warnings,
    )


def _read_bounded(file: Path, source: str) -> bytes:
    """The file's bytes, after checking with ``stat`` that reading them is sane."""
    try:
        info = file.stat()
    except FileNotFoundError:
        raise ArticleLoadError(source, "the file does not exist") from None
    except PermissionError:
        raise ArticleLoadError(source, "permission denied: the file cannot be accessed") from None
    except OSError as error:
        raise ArticleLoadError(source, f"the file cannot be accessed ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ArticleLoadError(source, "this is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or device could block forever or never end.
        raise ArticleLoadError(source, "this is not a regular file")
    if info.st_size > MAX_ARTICLE_BYTES:
        raise ArticleLoadError(source, _too_large(info.st_size, "file"))
    if info.st_size == 0:
        raise ArticleLoadError(source, "the file is empty (0 bytes)")
    try:
        with file.open("rb") as stream:
            # Bounded even if the file grows between stat() and read(); not
            # read(MAX_ARTICLE_BYTES + 1), which allocates the whole limit every time.
            data = stream.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += stream.read(MAX_ARTICLE_BYTES + 1 - len(data))
    except PermissionError:
        raise ArticleLoadError(source, "permission denied: the file is not readable") from None
    except OSError as error:
        raise ArticleLoadError(source, f"the file cannot be read ({error.strerror})") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleLoadError(source, _too_large(len(data), "file"))
    if not data:
        raise ArticleLoadError(source, "the file is empty (0 bytes)")
    return data


def _too_large(size: int, what: str) -> str:
    mib = 1024 * 1024
    return (
        f"the {what} is too large ({size / mib:.1f} MB; "
        f"the limit for an article is {MAX_ARTICLE_BYTES // mib} MB)"
    )


def _headline(text: str) -> str | None:
    """The first non-empty line, if it reads like a headline (short, no final full stop)."""
    for line in text.split("\n"):
        candidate = _MARKDOWN_HEADING.sub("", line.strip()).strip()
        if not candidate:
            continue
        is_headline = (
            len(candidate) <= _HEADLINE_MAX_CHARS
            and not candidate.endswith(FULL_STOPS)  # "。" too: a CJK paragraph
            and any(ch.isalnum() for ch in candidate)
        )
        return candidate if is_headline else None
    return None


def _title_from_source(source: str) -> str:
    """A readable name for an article without a title: the file stem or URL slug."""
    parts = urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc:
        slug = parts.path.rstrip("/").rsplit("/", 1)[-1]
        return Path(slug).stem or parts.netloc
    return Path(source).stem or source


def _parse_html(markup: str, source: str) -> lxml.html.HtmlElement:
    # A DOCTYPE with an internal subset ("<!DOCTYPE html [<!ENTITY ...>]>") derails
    # libxml2's HTML parser (the page came out as "]>"); HTML needs no DOCTYPE at all.
    import lxml.etree
    import lxml.html

    markup = _DOCTYPE.sub("", markup, count=1)
    # The text is already decoded, so the parser is told the encoding: any
    # <meta charset> in the page must not make it decode a second time.
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        collect_ids=False,
    )
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        raise ArticleLoadError(source, "the page contains no readable text") from None
    if not isinstance(tree, lxml.html.HtmlElement):
        raise ArticleLoadError(source, "the page contains no readable text")
    return tree


def _check_paragraph_count(tree: lxml.html.HtmlElement, source: str) -> None:
    """Refuse a page with more paragraphs (blocks holding text) than an article may
    have claims, before the extraction that would take minutes and gigabytes on it
    (each such block becomes at least one line, one claim, of the text)."""
    blocks = 0
    for element in tree.iter(*_BLOCKS):
        text = element.text
        if text and not text.isspace():
            blocks += 1
            if blocks > MAX_CLAIMS:
                raise ArticleLoadError(
                    source,
                    f"too many paragraphs for one article (more than {MAX_CLAIMS:,}; "
                    "each is at least one claim: see the input limits)",
                )


def _clean_extracted(text: str | None) -> str:
    """Trafilatura's text with blank lines dropped: one ``\\n`` between paragraphs."""
    if not text:
        return ""
    lines = (line.strip() for line in normalise_newlines(text).split("\n"))
    return "\n".join(line for line in lines if line)


def _without_non_text(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the page without the elements whose content is never article text."""
    import copy  # (HTML only)

    content = copy.deepcopy(tree)
    # <embed> is void, but libxml2 nests everything after it inside: unwrap it first.
    for element in list(content.iter("embed")):
        if element.getparent() is not None:
            element.drop_tag()
    for element in list(content.iter(*_NEVER_TEXT)):
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text, which belongs to the parent
    return content


def _squashed(text: str) -> str:
    return "".join(text.split())


def _body_text(content: lxml.html.HtmlElement) -> str:
    """Every text of the page, one line per block element, whitespace collapsed."""
    import lxml.etree

    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    body = content.find("body")
    root = body if body is not None else content
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        is_block = isinstance(element.tag, str) and element.tag in _BLOCKS
        if event == "start":
            if is_block:
                flush()
            if isinstance(element.tag, str) and element.text:
                current.append(element.text)
        else:
            if is_block:
                flush()
            if element is not root and element.tail:
                current.append(element.tail)
    flush()
    return "\n".join(lines)
