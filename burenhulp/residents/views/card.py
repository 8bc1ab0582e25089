"""Pieces of the Burenbox pages that the resident's and the coordinator's pages share: the help table, the week
grid, the printed card and the neighbourhood's sign-up link and QR code."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from burenhulp.core.categories import ICONS, Category
from burenhulp.core.models import Neighbourhood
from burenhulp.residents.models import DAYS, DayPart, Resident


def help_rows(form: Any) -> list[dict[str, Any]]:
    """Rows of the help table for the template: the category and whether each column is ticked."""
    offers = set(form["offers"].value() or []) if "offers" in form.fields else set()
    wants = set(form["wants"].value() or []) if "wants" in form.fields else set()
    return [
        {
            "slug": c.value,
            "label": c.label,
            "icon": ICONS.get(c.value, ""),
            "offer": c.value in offers,
            "want": c.value in wants,
        }
        for c in Category
    ]


def availability_rows(form: Any) -> list[dict[str, Any]]:
    ticked = set(form["availability"].value() or []) if "availability" in form.fields else set()
    return [
        {
            "day": day,
            "label": label,
            "parts": [
                {"value": f"{day}-{p}", "label": lbl, "checked": f"{day}-{p}" in ticked} for p, lbl in DayPart.choices
            ],
        }
        for day, label in DAYS
    ]


def street_names(buurt: Neighbourhood) -> list[str]:
    return list(buurt.streets.order_by("name").values_list("name", flat=True)[:500])


def print_context(resident: Resident | None, street: str = "") -> dict[str, Any]:
    rows = []
    offers = resident.offered_categories() if resident else set()
    wants = resident.wanted_categories() if resident else set()
    for c in Category:
        rows.append(
            {"label": c.label, "icon": ICONS.get(c.value, ""), "offer": c.value in offers, "want": c.value in wants}
        )
    housemates = list(resident.housemates.all()) if resident else []
    # A filled card prints what the resident said, on one A4 page: blank lines are for the blank cards only.
    blank_housemates = range(0 if resident else 4)
    return {
        "r": resident,
        "rows": rows,
        "housemates": housemates,
        "blank_housemates": blank_housemates,
        "photo_url": reverse("residents:photo", args=[resident.public_id]) if resident and resident.photo else "",
        "street": street,
    }


def join_url(buurt: Neighbourhood) -> str:
    return settings.SITE_URL + reverse("residents:join_buurt", args=[buurt.slug])


def join_qr_svg(buurt: Neighbourhood) -> SafeString:
    """The neighbourhood's sign-up link as an inline SVG QR code (no inline styles, so CSP allows it)."""
    label = _("QR code to join %(name)s on Burenhulp") % {"name": buurt.name}
    svg = segno.make(join_url(buurt), error="m").svg_inline(scale=1, omitsize=True, dark="#000", light="#fff")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" class="qr" ', 1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, with only our escaped label added
