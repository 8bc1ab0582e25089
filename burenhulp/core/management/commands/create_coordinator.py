from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from burenhulp.core.emails import normalize_email
from burenhulp.core.models import Neighbourhood, User


class Command(BaseCommand):
    help = (
        "Create an active coordinator account with a verified email for a neighbourhood (or add an existing account "
        "to it). A second factor is enrolled at the first web login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--buurt", required=True, help="slug of the neighbourhood")
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            email = normalize_email(opts["email"])  # the one stored form (issue #14 M1)
        except ValidationError as exc:
            raise CommandError(f"--email {opts['email']!r} is not a valid email address.") from exc
        buurt = Neighbourhood.objects.filter(slug=opts["buurt"]).first()
        if buurt is None:
            raise CommandError(
                f"--buurt {opts['buurt']!r}: no neighbourhood with that slug. Create it with create_buurt."
            )
        with transaction.atomic():
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(email=email, first_name=opts["first_name"], last_name=opts["last_name"])
            try:
                validate_password(opts["password"], user)
            except ValidationError as exc:
                raise CommandError("--password: " + " ".join(exc.messages)) from exc
            user.set_password(opts["password"])
            user.is_active = True
            user.save()
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            buurt.coordinators.add(user)
        self.stdout.write(self.style.SUCCESS(f"{email} coordinates {buurt.slug}."))
