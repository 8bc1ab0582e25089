from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from burenhulp.core.models import Neighbourhood, Street


class Command(BaseCommand):
    help = "Import streets from a CSV with the columns name[,postcode,lat,lon] into a neighbourhood."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--buurt", required=True)
        parser.add_argument("csv_path")

    def handle(self, *args: Any, **opts: Any) -> None:
        buurt = Neighbourhood.objects.filter(slug=opts["buurt"]).first()
        if buurt is None:
            raise CommandError(f"--buurt {opts['buurt']!r}: no neighbourhood with that slug.")
        path = Path(opts["csv_path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        rows = []
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "name" not in reader.fieldnames:
                raise CommandError("The CSV needs a header row with at least the column 'name'.")
            for line, row in enumerate(reader, start=2):
                name = (row.get("name") or "").strip()
                if not name:
                    raise CommandError(f"line {line}: the street name is empty.")
                try:
                    lat = float(row["lat"]) if row.get("lat") else None
                    lon = float(row["lon"]) if row.get("lon") else None
                except ValueError as exc:
                    raise CommandError(f"line {line}: lat/lon must be numbers.") from exc
                if (lat is not None and not -90 <= lat <= 90) or (lon is not None and not -180 <= lon <= 180):
                    raise CommandError(f"line {line}: lat/lon out of range.")
                rows.append((name, (row.get("postcode") or "").strip(), lat, lon))
        with transaction.atomic():
            for name, postcode, lat, lon in rows:
                Street.objects.update_or_create(
                    buurt=buurt, name=name, defaults={"postcode": postcode, "lat": lat, "lon": lon}
                )
        self.stdout.write(self.style.SUCCESS(f"Imported {len(rows)} streets into {buurt.slug}."))
