from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug

from burenhulp.core.models import Neighbourhood


class Command(BaseCommand):
    help = "Create a neighbourhood (buurt), or update the one with this slug."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--lat", type=float, default=None, help="centre latitude (-90..90)")
        parser.add_argument("--lon", type=float, default=None, help="centre longitude (-180..180)")
        parser.add_argument("--radius-m", type=int, default=1500, help="match radius in metres (50..50000)")
        parser.add_argument("--municipality", default="")
        parser.add_argument("--language", default="nl-be", choices=["nl-be", "fr", "en"])

    def handle(self, *args: Any, **opts: Any) -> None:
        slug = opts["slug"].strip().lower()
        try:
            validate_slug(slug)
        except ValidationError as exc:
            raise CommandError(f"--slug {slug!r}: use only letters, digits, hyphens and underscores.") from exc
        if not opts["name"].strip():
            raise CommandError("--name may not be empty.")
        lat, lon = opts["lat"], opts["lon"]
        if (lat is None) != (lon is None):
            raise CommandError("Give both --lat and --lon, or neither.")
        if lat is not None and not -90 <= lat <= 90:
            raise CommandError(f"--lat {lat} is out of range (-90..90).")
        if lon is not None and not -180 <= lon <= 180:
            raise CommandError(f"--lon {lon} is out of range (-180..180).")
        if not 50 <= opts["radius_m"] <= 50_000:
            raise CommandError(f"--radius-m {opts['radius_m']} is out of range (50..50000).")
        defaults: dict[str, Any] = {
            "name": opts["name"].strip(),
            "match_radius_m": opts["radius_m"],
            "default_language": opts["language"],
        }
        if opts["municipality"]:
            defaults["municipality"] = opts["municipality"]
        if lat is not None:
            defaults.update(lat=lat, lon=lon)
        elif not Neighbourhood.objects.filter(slug=slug).exists():
            # The geographic centre of Flanders, until a coordinator sets the real one.
            defaults.update(lat=51.0, lon=4.4)
        buurt, created = Neighbourhood.objects.update_or_create(slug=slug, defaults=defaults)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} neighbourhood {buurt.slug} ({buurt.name})."))
