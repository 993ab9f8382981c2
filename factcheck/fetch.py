"""Fetch an article from an http or https address and extract it, offline afterwards.

Only the page itself is downloaded: no scripts, images or frames (the HTML is
parsed by :mod:`factcheck.loading`, which never fetches). The download is bounded
in size (:data:`MAX_FETCH_BYTES`, checked while streaming, so a huge or endless
body is never held in memory) and in time (``timeout`` for connecting and for each
wait for data, four times ``timeout`` for the whole download). Redirects are
followed up to :data:`MAX_REDIRECTS` times, and only to http or https addresses.
Every failure raises :class:`ArticleLoadError` naming the address.
"""

from __future__ import annotations

import codecs
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import replace
from email.message import Message
from typing import IO
from urllib.parse import urljoin, urlsplit

from factcheck.errors import ArticleLoadError
from factcheck.loading import article_from_html, article_from_text, with_load_warnings
from factcheck.models import Article
from factcheck.textdecoding import DecodedText, decode_text, normalise_newlines

__all__ = ["MAX_FETCH_BYTES", "MAX_REDIRECTS", "fetch_article"]

#: Larger downloads are refused; the same limit as for an article file.
MAX_FETCH_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 10
_WEB_SCHEMES = ("http", "https")
_CHUNK_BYTES = 64 * 1024
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Text, but never an article.
_NOT_ARTICLE_TEXT = frozenset({"text/css", "text/javascript", "text/ecmascript"})
_USER_AGENT = "factcheck/0.1 (article comparison; +https://github.com/)"
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def fetch_article(url: str, *, article_id: str, timeout: float = 20.0) -> Article:
    """Download ``url`` and make an article of its main text and stated metadata.

    ``Article.source`` is ``url`` as given; ``metadata.url`` is the page's stated
    address, else the address the redirects ended at.
    """
    url = url.strip()
    _check_web_address(url, url)
    deadline = time.monotonic() + 4 * timeout
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _WebOnlyRedirects(url),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            final_url = response.geturl()
            headers: Message = response.headers
            kind = headers.get_content_type() if headers.get("Content-Type") else None
            _check_content_type(url, kind)
            body = _read_capped(url, response, headers, deadline, timeout)
    except ArticleLoadError:
        raise
    except urllib.error.HTTPError as error:
        error.close()
        raise ArticleLoadError(url, _http_problem(error.code, error.reason)) from None
    except urllib.error.URLError as error:
        raise ArticleLoadError(url, _network_problem(error.reason, timeout)) from None
    except (OSError, http.client.HTTPException) as error:
        raise ArticleLoadError(url, _network_problem(error, timeout)) from None
    except ValueError as error:  # urllib's answer to an unusable address
        raise ArticleLoadError(url, f"not a usable web address ({error})") from None

    charset = _charset(headers)
    if kind in _HTML_TYPES or (kind is None and _looks_like_html(body)):
        if charset is None:  # decoded, with any warnings, by article_from_html
            article = article_from_html(body, article_id=article_id, source=url)
        else:
            decoded = _decode(body, charset, url)
            article = article_from_html(decoded.text, article_id=article_id, source=url)
            article = with_load_warnings(article, decoded.warnings)
    else:
        decoded = _decode(body, charset, url)
        article = article_from_text(decoded.text, article_id=article_id, source=url)
        article = with_load_warnings(article, decoded.warnings)
    if article.metadata.url:
        return article
    return replace(article, metadata=replace(article.metadata, url=final_url))


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handling, bounded and restricted to http and https."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def __init__(self, original_url: str) -> None:
        self._original_url = original_url

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> IO[bytes] | None:
        # Checked here, before urllib's own check, which lets ftp through and words
        # its refusals as HTTP errors.
        location = headers.get("Location") or headers.get("URI")
        if location:
            try:
                _check_web_address(
                    self._original_url, urljoin(req.full_url, location), redirected=True
                )
            except ArticleLoadError:
                fp.close()
                raise
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _check_web_address(source: str, url: str, *, redirected: bool = False) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ArticleLoadError(source, "not a valid web address") from None
    if parts.scheme.lower() not in _WEB_SCHEMES:
        if redirected:
            problem = f"the page redirects to {url!r}, which is not an http or https address"
        else:
            problem = "only http and https addresses can be opened"
        raise ArticleLoadError(source, problem)
    if not parts.hostname:
        raise ArticleLoadError(source, "not a valid web address (no server name)")


def _check_content_type(url: str, kind: str | None) -> None:
    if kind is None or kind in _HTML_TYPES:
        return
    if kind.startswith("text/") and kind not in _NOT_ARTICLE_TEXT:
        return
    raise ArticleLoadError(url, f"the address gives {kind} content, not a web page or text")


def _read_capped(
    url: str, response: IO[bytes], headers: Message, deadline: float, timeout: float
) -> bytes:
    """The body, refusing it as soon as it is known to exceed the limit."""
    declared = headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > MAX_FETCH_BYTES:
        raise ArticleLoadError(url, _too_large(f"{int(declared) / 2**20:.1f} MB"))
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_FETCH_BYTES:
            raise ArticleLoadError(url, _too_large("more"))
        if time.monotonic() > deadline:
            raise ArticleLoadError(
                url, f"the download took longer than {4 * timeout:g} seconds and was stopped"
            )
        chunks.append(chunk)
    body = b"".join(chunks)
    if not body.strip():
        raise ArticleLoadError(url, "the page is empty")
    return body


def _too_large(size: str) -> str:
    return f"the page is too large ({size}; the limit is {MAX_FETCH_BYTES // 2**20} MB)"


def _charset(headers: Message) -> str | None:
    """The charset the server states, if Python knows it (Latin-1 read as cp1252)."""
    name = headers.get_content_charset()
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # Browsers read Latin-1 and ASCII labels as windows-1252 (WHATWG Encoding).
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _decode(body: bytes, charset: str | None, url: str) -> DecodedText:
    """A byte-order mark or valid UTF-8 wins, then the server's charset, then a guess.

    UTF-8 before the header because servers often label UTF-8 pages Latin-1, while
    legacy-encoded text with accents is practically never valid UTF-8.
    """
    if charset is not None and not body.startswith(_BOMS) and not _is_utf8(body):
        try:
            text = body.decode(charset)
        except UnicodeDecodeError:
            pass  # the header is wrong too; let detection find the encoding
        else:
            if "\x00" not in text:
                return DecodedText(normalise_newlines(text), charset)
    return decode_text(body, source=url)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--"))


def _http_problem(code: int, reason: str) -> str:
    if 300 <= code < 400:
        return f"too many redirects (HTTP {code} {reason})"
    return f"HTTP {code} {reason or http.client.responses.get(code, '')}".rstrip()


def _network_problem(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"the server did not answer within {timeout:g} seconds"
    if isinstance(reason, socket.gaierror):
        return f"the server name could not be found ({reason.strerror or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the server's certificate is not valid ({reason.verify_message})"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection failed ({reason.reason or reason})"
    if isinstance(reason, http.client.HTTPException | ConnectionError):
        return f"the connection broke off ({type(reason).__name__})"
    if isinstance(reason, OSError):
        return f"the page could not be fetched ({reason.strerror or reason})"
    return f"the page could not be fetched ({reason})"
