"""Branding per municipality or neighbourhood: which one applies, the colour contrast rule (WCAG AA) and the logo
check (Pillow). Pages get it from the `branding` context processor, emails from `branding_for`, print templates from
the same context processor."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Length
from django.http import HttpRequest
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from burenhulp.core.models import Branding, Neighbourhood

DEFAULT_NAME = "Burenhulp"
DEFAULT_COLOUR = "#1d5e3a"
#: WCAG 2.1 AA for normal text: the header's white text on the main colour.
MIN_CONTRAST = 4.5
LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_SIDE = 400
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Brand:
    """What a page, an email or a printed card shows; the platform's own when nothing is configured."""

    pk: int | None = None
    name: str = DEFAULT_NAME
    colour: str = DEFAULT_COLOUR
    colour_dark: str = "#123d26"
    contact_line: str = ""
    has_logo: bool = False
    has_privacy: bool = False
    has_accessibility: bool = False
    updated: str = ""


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darker(colour: str, factor: float = 0.65) -> str:
    r, g, b = (int(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5))
    return f"#{r:02x}{g:02x}{b:02x}"


def validate_colour(colour: str) -> str:
    """A #rrggbb colour on which white text (and which as text on white) reaches WCAG AA; refused otherwise."""
    colour = (colour or "").strip()
    if not HEX.match(colour):
        raise ValidationError(_("Write the colour as # and six digits or letters a-f, for example #1d5e3a."))
    ratio = contrast(colour, "#ffffff")
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "This colour is too light: white text on it has a contrast of %(ratio).1f to 1, and at least "
                "%(min).1f to 1 is needed to stay readable (WCAG AA). Choose a darker colour."
            )
            % {"ratio": ratio, "min": MIN_CONTRAST}
        )
    return colour.lower()


def clean_logo(data: bytes) -> bytes:
    """Open the upload with Pillow (a real picture, not too big) and store it again as a small PNG: whatever was
    hidden in the file is gone."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(_("This logo is too big: at most 1 MB."))
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > 25_000_000:
                raise ValidationError(_("This logo has too many pixels."))
            small = img.convert("RGBA")
            small.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            out = io.BytesIO()
            small.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not a picture. Choose a PNG or JPEG logo.")) from exc
    return out.getvalue()


def _brand(row: Branding | None) -> Brand:
    if row is None:
        return Brand()
    return Brand(
        pk=row.pk,
        name=row.name or DEFAULT_NAME,
        colour=row.colour,
        colour_dark=darker(row.colour),
        contact_line=row.contact_line,
        has_logo=bool(getattr(row, "logo_bytes", 0)),
        has_privacy=bool(row.privacy_statement.strip()),
        has_accessibility=bool(row.accessibility_statement.strip()),
        updated=f"{row.updated_at:%Y%m%d%H%M%S}" if row.updated_at else "",
    )


def branding_row(buurt: Neighbourhood | None) -> Branding | None:
    """The most specific branding: the neighbourhood's, its municipality's, then the platform's. One query."""
    q = Q(buurt__isnull=True, municipality="")
    if buurt is not None:
        q |= Q(buurt=buurt)
        if buurt.municipality:
            q |= Q(buurt__isnull=True, municipality=buurt.municipality)
    rows = list(Branding.objects.filter(q).defer("logo").annotate(logo_bytes=Length("logo")))

    def rank(row: Branding) -> int:
        if buurt is not None and row.buurt_id == buurt.pk:
            return 0
        return 1 if row.municipality else 2

    return min(rows, key=rank, default=None)


def branding_for(buurt: Neighbourhood | None) -> Brand:
    return _brand(branding_row(buurt))


def buurt_for_request(request: HttpRequest) -> Neighbourhood | None:
    """Whose branding a page shows: the coordinator's current neighbourhood, a page's own (a join page sets
    `request.branding_buurt`) or the signed-in resident's; else the platform's."""
    for attr in ("buurt", "branding_buurt"):
        buurt = getattr(request, attr, None)
        if isinstance(buurt, Neighbourhood):
            return buurt
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        resident = getattr(user, "resident", None)
        if resident is not None:
            return resident.buurt
    return None
