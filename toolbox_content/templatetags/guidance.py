"""`{% load guidance %}{% guidance_tips audience="volunteer" category=slug moment="accept" %}`

Renders a short, accessible list of tips (title, one or two sentences, a link to the full piece) in the active
language. Options: `limit` (default 3), `heading_level` (default 2), `absolute=True` for links that work in an
email (prefixed with settings.SITE_URL), `text=True` for a plain-text email body.
"""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.conf import settings

from toolbox_content.guidance import Piece, pieces_for

register = template.Library()
logger = logging.getLogger(__name__)


def _pieces(**kw: Any) -> list[Piece]:
    """Like pieces_for, but a wrong audience or moment in a template logs an error and shows no tips, never a 500."""
    try:
        return pieces_for(**kw)
    except ValueError:
        logger.exception("guidance_tips called with a bad value: %r", kw)
        return []


@register.inclusion_tag("guidance/_tips.html")
def guidance_tips(
    *,
    audience: str,
    moment: str,
    category: str | None = None,
    limit: int = 3,
    heading_level: int = 2,
    absolute: bool = False,
    language: str | None = None,
) -> dict[str, Any]:
    pieces = _pieces(audience=audience, moment=moment, category=category or None, language=language, limit=limit)
    prefix = str(getattr(settings, "SITE_URL", "")).rstrip("/") if absolute else ""
    return {
        "tips": [{"piece": p, "href": prefix + p.url} for p in pieces],
        "heading_level": min(max(int(heading_level), 2), 6),
        "moment": moment,
        "category": category or "",
    }


@register.inclusion_tag("guidance/_tips.txt")
def guidance_tips_text(
    *, audience: str, moment: str, category: str | None = None, limit: int = 3, language: str | None = None
) -> dict[str, Any]:
    """The same tips as plain text, with full links, for the text part of an email."""
    pieces = _pieces(audience=audience, moment=moment, category=category or None, language=language, limit=limit)
    prefix = str(getattr(settings, "SITE_URL", "")).rstrip("/")
    return {"tips": [{"piece": p, "href": prefix + p.url} for p in pieces]}
