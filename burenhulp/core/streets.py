"""The neighbourhood's street list from a CSV file (`manage.py import_streets`, and the coordinator's streets page):
columns name[,postcode,lat,lon]; comma or semicolon separated (as Excel writes it with Belgian settings), a decimal
comma accepted in the coordinates."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from burenhulp.core.models import Neighbourhood, Street

MAX_ROWS = 5000


class StreetsFileError(ValueError):
    """The file cannot be imported; the message says which line and why, in the reader's language."""


@dataclass(frozen=True)
class StreetRow:
    name: str
    postcode: str
    lat: float | None
    lon: float | None


def _number(value: str, line: int) -> float | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise StreetsFileError(_("Line %(line)d: the coordinates must be numbers.") % {"line": line}) from exc


def parse_streets(text: str) -> list[StreetRow]:
    text = text.lstrip("\ufeff").replace("\x00", "")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = [(f or "").strip().lower() for f in reader.fieldnames or []]
    if "name" not in fields:
        raise StreetsFileError(_("The file needs a first line with at least the column “name”."))
    reader.fieldnames = fields
    rows: list[StreetRow] = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise StreetsFileError(_("At most %(n)d streets per file.") % {"n": MAX_ROWS})
        name = " ".join((row.get("name") or "").split())
        if not name:
            raise StreetsFileError(_("Line %(line)d: the street name is empty.") % {"line": line})
        if len(name) > 120:
            raise StreetsFileError(_("Line %(line)d: the street name is too long.") % {"line": line})
        lat = _number(row.get("lat") or "", line)
        lon = _number(row.get("lon") or "", line)
        if (lat is not None and not -90 <= lat <= 90) or (lon is not None and not -180 <= lon <= 180):
            raise StreetsFileError(_("Line %(line)d: the coordinates are out of range.") % {"line": line})
        rows.append(StreetRow(name, (row.get("postcode") or "").strip()[:10], lat, lon))
    return rows


def streets_save(buurt: Neighbourhood, rows: list[StreetRow]) -> int:
    """Add or update the streets (matched by name, any case); returns how many rows were read.

    Residents follow the list at once (through the reverse relations, so core imports no resident code): who typed
    one of these names is linked to it, and who lives on a street without a place of their own gets the street's
    coordinates, which matching then uses instead of the neighbourhood's centre."""
    with transaction.atomic():
        existing = {s.name.lower(): s for s in Street.objects.filter(buurt=buurt)}
        for r in rows:
            street = existing.get(r.name.lower())
            if street is None:
                street = existing[r.name.lower()] = Street.objects.create(
                    buurt=buurt, name=r.name, postcode=r.postcode, lat=r.lat, lon=r.lon
                )
            else:
                street.postcode, street.lat, street.lon = r.postcode or street.postcode, r.lat, r.lon
                street.save(update_fields=["postcode", "lat", "lon"])
            typed = buurt.residents.filter(street__isnull=True, street_typed__iexact=street.name)
            typed.update(street=street, street_typed="", lat=street.lat, lon=street.lon)
            if street.lat is not None and street.lon is not None:
                street.residents.filter(lat__isnull=True).update(lat=street.lat, lon=street.lon)
    return len(rows)
