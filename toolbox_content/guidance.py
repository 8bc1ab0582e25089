"""The public face of the guidance: `pieces_for(...)` for other areas, plus lookup, listing and search.

Other areas call `pieces_for(audience=..., moment=..., category=...)` (or use the `guidance_tips` template tag) to
show two or three tips at the moment a volunteer, resident or coordinator acts.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from toolbox_content.loader import (
    AUDIENCES,
    CONTENT_DIR,
    LANGUAGES,
    MOMENTS,
    PIECE_LINK_RE,
    Document,
    default_documents,
    load_documents,
)

DEFAULT_LANGUAGE = "nl"
# Role names used elsewhere in the platform that mean one of our audiences (a follow-up's role "requester").
AUDIENCE_ALIASES = {"requester": "resident", "helper": "volunteer"}

# What survives sanitising: plain structure and links. Script, style, iframes, forms, images and every attribute
# other than a link's href and title are removed.
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One Markdown converter per thread (building one is the slow part; they are not thread-safe)."""
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = _local.markdown = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    return converter


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to show: raw HTML and scripts are removed, links get rel=noopener."""
    html = _markdown().reset().convert(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def normalise_language(language: str | None) -> str:
    """'nl-be' → 'nl'; anything we do not have falls back to Dutch. None means the active language."""
    code = (language or translation.get_language() or DEFAULT_LANGUAGE).lower()
    base = code.split("-")[0].split("_")[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def fold(text: str) -> str:
    """Lower case without accents, for search: 'Élève' and 'eleve' match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def plain_text(html: str) -> str:
    """The words of a piece of HTML, without markup (for search)."""
    text = html_lib.unescape(nh3.clean(html, tags=set()))
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Piece:
    """One piece of guidance in one language, ready to show."""

    id: str
    language: str
    title: str
    summary: str
    html: SafeString
    audience: tuple[str, ...]
    categories: tuple[str, ...]
    moments: tuple[str, ...]
    topic: str
    sources: tuple[str, ...]
    related: tuple[str, ...]
    priority: int
    text: str

    @property
    def url(self) -> str:
        return reverse("guidance:piece", args=[self.id])

    @property
    def is_general(self) -> bool:
        """Applies whatever the category (no categories listed)."""
        return not self.categories


def _piece_from(doc: Document) -> Piece:
    def link(match: re.Match[str]) -> str:
        return f"]({reverse('guidance:piece', args=[match.group(1)])})"

    html = render_markdown(PIECE_LINK_RE.sub(link, doc.body))
    return Piece(
        id=doc.id,
        language=doc.language,
        title=doc.title,
        summary=doc.summary,
        html=html,
        audience=doc.audience,
        categories=doc.categories,
        moments=doc.moments,
        topic=doc.topic,
        sources=doc.sources,
        related=doc.related,
        priority=doc.priority,
        text=plain_text(html),
    )


class Library:
    """All pieces, validated and rendered once."""

    def __init__(self, directory: Path = CONTENT_DIR) -> None:
        documents = default_documents() if directory == CONTENT_DIR else load_documents(directory)
        self.by_id: dict[str, dict[str, Piece]] = {
            piece_id: {lang: _piece_from(doc) for lang, doc in by_lang.items()}
            for piece_id, by_lang in documents.items()
        }

    def get(self, piece_id: str, language: str | None = None) -> Piece | None:
        by_lang = self.by_id.get(piece_id)
        return by_lang[normalise_language(language)] if by_lang else None

    def all(self, language: str | None = None) -> list[Piece]:
        lang = normalise_language(language)
        return sorted((p[lang] for p in self.by_id.values()), key=lambda p: (p.priority, p.title))


@functools.cache
def library() -> Library:
    """The guidance library, loaded on first use and kept for the life of the process."""
    return Library()


def pieces_for(
    *,
    audience: str,
    moment: str,
    category: str | None = None,
    language: str | None = None,
    limit: int = 3,
) -> list[Piece]:
    """The pieces to show to `audience` at `moment` (for `category`, if any), best first, at most `limit`.

    Tips written for the category come first, then general ones, each by priority. Language None means the active
    language; 'nl-be' is Dutch. "requester" means "resident". An unknown audience or moment raises ValueError (a
    programming mistake; the template tag logs it and shows nothing)."""
    audience = AUDIENCE_ALIASES.get(audience, audience)
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; use one of {AUDIENCES}")
    if moment not in MOMENTS:
        raise ValueError(f"unknown moment {moment!r}; use one of {MOMENTS}")
    matching = [
        p
        for p in library().all(language)
        if audience in p.audience and moment in p.moments and (p.is_general or (category and category in p.categories))
    ]
    matching.sort(key=lambda p: (p.is_general, p.priority, p.title))
    return matching[: max(limit, 0)]


def get_piece(piece_id: str, language: str | None = None) -> Piece | None:
    return library().get(piece_id, language)


WORD_RE = re.compile(r"\w+", re.UNICODE)


def search(query: str, *, language: str | None = None, limit: int = 50) -> list[Piece]:
    """Pieces in `language` that contain every word of the query (accents and case ignored); titles rank first.

    Odd characters are ignored; a query without words finds nothing."""
    terms = [t for t in WORD_RE.findall(fold(query or "")) if len(t) > 1 or t.isdigit()][:12]
    if not terms:
        return []
    scored: list[tuple[int, Piece]] = []
    for piece in library().all(language):
        title, summary, text = fold(piece.title), fold(piece.summary), fold(piece.text)
        haystack = f"{title} {summary} {text}"
        if all(t in haystack for t in terms):
            score = sum(4 * (t in title) + 2 * (t in summary) + 1 for t in terms)
            scored.append((score, piece))
    scored.sort(key=lambda sp: (-sp[0], sp[1].priority, sp[1].title))
    return [p for _, p in scored[:limit]]
