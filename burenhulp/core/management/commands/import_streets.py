from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from burenhulp.core.models import Neighbourhood
from burenhulp.core.streets import StreetsFileError, parse_streets, streets_save


class Command(BaseCommand):
    help = (
        "Import streets from a CSV with the columns name[,postcode,lat,lon] into a neighbourhood "
        "(comma or semicolon separated; residents who typed one of these names are linked from the streets page)."
    )

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
        try:
            rows = parse_streets(path.read_text(encoding="utf-8-sig"))
        except (StreetsFileError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        n = streets_save(buurt, rows)
        self.stdout.write(self.style.SUCCESS(f"Imported {n} streets into {buurt.slug}."))
