"""What every export format needs: the error type, and the project seen claim by claim.

A saved project stores annotations and links with the claim ids and anchors they had
when they were made; claims themselves are derived by segmentation. :func:`index_project`
re-derives the claims and attaches each annotation and link to its claim the way
:class:`factcheck.store.ProjectStore` does (the stored id if that claim still starts at
the anchor, else the claim containing the anchor), so every format agrees.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit, urlunsplit

from ..claim_summary import VERDICT_WORDS as VERDICT_WORDS
from ..errors import FactcheckError

# Moved to factcheck.gcpause (projects are opened with it too); kept here for importers.
from ..gcpause import without_gc_pauses as without_gc_pauses
from ..models import Annotation, Article, Claim, Link, Orphan, Project, Verdict
from ..placement import place_items
from ..segmentation import segment_claims

#: Namespace of every ``urn:uuid:`` the exports mint (uuid5 of it and stable parts),
#: so the same project exports the same ids every time.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:factcheck:export")
_NAMESPACE_BYTES = ID_NAMESPACE.bytes

_UNSAFE_IN_URL = re.compile(r'[\s\x00-\x1f\x7f<>"`]')
#: RFC 3986 sub-delims, ":@/?" and "%" (escapes are kept) stay as they are in a URI part.
_URI_SAFE = "!$&'()*+,;=:@/?%-._~"
_URI_CLEAN = re.compile(r"^(?:[A-Za-z0-9!$&'()*+,;=:@/?\-._~]|%[0-9A-Fa-f]{2})*$")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: userinfo@host:port with only characters a URI authority may hold ([] for IPv6).
_NETLOC = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:%@\[\]]+$")
#: A URL that is already a URI and that the general path would give back unchanged:
#: lower-case scheme, plain host and port, a path of unreserved characters, and a
#: query of those plus "=&" (no empty "?" or "#", which urlunsplit would drop).
_PLAIN_URI = re.compile(
    r"https?://[A-Za-z0-9\-.]+(?::[0-9]+)?(?:/[A-Za-z0-9\-._~/]*)?(?:\?[A-Za-z0-9\-._~=&]+)?"
)


class ExportError(FactcheckError):
    """A project cannot be exported in a format, or a file cannot be imported.

    ``str(error)`` is ``"<source>: <problem>"`` when a source (a file name) is known,
    else just the problem.
    """

    def __init__(self, problem: str, *, source: str = "") -> None:
        super().__init__(f"{source}: {problem}" if source else problem)
        self.source = source
        self.problem = problem


@dataclass(frozen=True)
class ProjectIndex:
    """A project's claims with their annotations and confirmed links, by claim id."""

    project: Project
    claims: dict[str, tuple[Claim, ...]]
    claim_by_id: dict[str, Claim]
    #: Non-empty annotations, keyed by the claim they resolve to.
    annotations: dict[str, Annotation]
    #: Confirmed and manual links (rejected ones are decisions, not relations).
    links: tuple[Link, ...]
    links_of: dict[str, tuple[Link, ...]]

    def article(self, article_id: str) -> Article:
        return self.project.article_a if article_id == "a" else self.project.article_b

    def all_claims(self) -> tuple[Claim, ...]:
        return self.claims["a"] + self.claims["b"]

    def annotated_claims(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.all_claims() if c.id in self.annotations)

    def verdict(self, claim_id: str) -> Verdict:
        found = self.annotations.get(claim_id)
        return found.verdict if found is not None else Verdict.UNREVIEWED

    def verdict_counts(self, article_id: str | None = None) -> dict[Verdict, int]:
        counts = dict.fromkeys(Verdict, 0)
        claims = self.all_claims() if article_id is None else self.claims[article_id]
        for claim in claims:
            counts[self.verdict(claim.id)] += 1
        return counts

    def other_end(self, link: Link, claim_id: str) -> Claim:
        other = link.b_claim_id if link.a_claim_id == claim_id else link.a_claim_id
        return self.claim_by_id[other]


def exported_orphans(project: Project) -> tuple[Orphan, ...]:
    """The orphans exports carry: notes with something in them, and confirmed or
    manual links (a rejected link is a decision, not a relation: never exported)."""
    return tuple(
        o
        for o in project.orphans
        if (o.annotation is not None and not o.annotation.is_empty)
        or (o.link is not None and o.link.is_confirmed)
    )


def index_project(project: Project) -> ProjectIndex:
    """The project claim by claim. An annotation or link that fits no claim is one of
    the index's ``project.orphans`` (see :mod:`factcheck.placement`)."""
    claims = {a.id: segment_claims(a) for a in project.articles}
    by_id = {c.id: c for cs in claims.values() for c in cs}
    placed = place_items(project, claims)
    annotations = {cid: a for cid, a in placed.annotations.items() if not a.is_empty}
    links = {key: link for key, link in placed.links.items() if link.is_confirmed}
    if len(placed.orphans) > len(project.orphans):
        project = replace(project, orphans=placed.orphans)
    ordered = tuple(
        sorted(links.values(), key=lambda k: (by_id[k.a_claim_id].index, by_id[k.b_claim_id].index))
    )
    links_of: dict[str, list[Link]] = {}
    for link in ordered:
        links_of.setdefault(link.a_claim_id, []).append(link)
        links_of.setdefault(link.b_claim_id, []).append(link)
    return ProjectIndex(
        project=project,
        claims=claims,
        claim_by_id=by_id,
        annotations=annotations,
        links=ordered,
        links_of={k: tuple(v) for k, v in links_of.items()},
    )


def stable_urn(*parts: str) -> str:
    """A ``urn:uuid:`` that depends only on ``parts`` (uuid5)."""
    # uuid5 by hand (RFC 4122 §4.3: SHA-1 of namespace + name, version 5, variant 1):
    # the same value as uuid.uuid5(...).urn, without building UUID objects, which cost
    # a fifth of a 10,000-annotation export.
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + "\x1f".join(parts).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def article_iri(article: Article) -> str:
    """The article's URL (as a URI) when it states a web one, else a URN from its hash."""
    url = web_uri(article.metadata.url or "")
    return url if url is not None else hash_urn(article.hash)


def hash_urn(content_hash: str) -> str:
    return f"urn:sha256:{content_hash}"


#: Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
#: They reorder the text after them ("Trojan Source"): a note or a URL can show one
#: thing and say another. The marks LRM, RLM and ALM only sway the neutral characters
#: beside them and are left as they are.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def show_bidi_controls(text: str) -> str:
    """``text`` with each bidi embedding, override or isolate written as ``<U+202E>``."""
    if not _BIDI_CONTROLS.search(text):  # nearly all text: no copy
        return text
    return _BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def web_uri(value: str) -> str | None:
    """``value`` as an RFC 3986 URI if it is a web URL (:func:`is_web_url`), else None.

    Readers check ``format: uri`` strictly: an IRI's non-ASCII characters and the
    ASCII ones a URI may not hold (``| ^ { }`` and the like, a stray ``%``) are
    percent-encoded as UTF-8, and a non-ASCII host name is IDNA-encoded.
    """
    if _PLAIN_URI.fullmatch(value):  # most evidence links: nothing to check or encode
        return value
    return _general_web_uri(value)


def _general_web_uri(value: str) -> str | None:
    if not is_web_url(value):
        return None
    try:
        parts = urlsplit(value)
        netloc = parts.netloc
        if not netloc.isascii():
            user, at, hostport = netloc.rpartition("@")
            host, colon, port = hostport.rpartition(":") if "]" not in hostport else ("", "", "")
            if not colon or not port.isdigit():
                host, colon, port = hostport, "", ""
            netloc = user + at + host.encode("idna").decode("ascii") + colon + port
    except (ValueError, UnicodeError):
        return None
    if not _NETLOC.match(netloc):
        return None
    path, query, fragment = (_uri_part(x) for x in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme.lower(), netloc, path, query, fragment))


def _uri_part(text: str) -> str:
    if _URI_CLEAN.match(text):  # the common case: nothing to encode
        return text
    return quote(_STRAY_PERCENT.sub("%25", text), safe=_URI_SAFE)


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL without white space or control characters: safe as a link."""
    if not value or _UNSAFE_IN_URL.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
