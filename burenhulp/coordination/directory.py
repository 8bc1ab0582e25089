"""The referral directory's CSV import (DESIGN §8): all or nothing, every bad line named with its problem."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from burenhulp.coordination.models import ProfessionalService, ServiceKind
from burenhulp.core.models import Neighbourhood

CSV_COLUMNS = ["name", "kind", "phone", "email", "website", "address", "what_for", "notes"]


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)


def _kind_from(value: str) -> str | None:
    value = value.strip()
    for kind in ServiceKind:
        if value.lower() in {kind.value, str(kind.label).lower()}:
            return kind.value
    return None


def services_import_csv(*, buurt: Neighbourhood, text: str) -> ImportResult:
    """Import a directory from CSV (columns name, kind, phone, email, website, address, what_for, notes; comma or
    semicolon). All or nothing: with any error nothing is imported and each bad line is named with its problem."""
    result = ImportResult()
    text = text.lstrip("\ufeff")
    if not text.strip():
        result.errors.append(_("The file is empty."))
        return result
    dialect = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("name", "kind") if c not in header]
    if missing:
        result.errors.append(
            _("Line 1: the columns %(cols)s are missing. Expected: %(all)s.")
            % {"cols": ", ".join(missing), "all": ", ".join(CSV_COLUMNS)}
        )
        return result
    rows: list[ProfessionalService] = []
    for line_no, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        problems: list[str] = []
        if not row.get("name"):
            problems.append(_("the name is empty"))
        kind = _kind_from(row.get("kind", ""))
        if kind is None:
            problems.append(
                _("the kind “%(kind)s” is not known (use one of: %(kinds)s)")
                % {"kind": row.get("kind", ""), "kinds": ", ".join(ServiceKind.values)}
            )
        if row.get("email"):
            try:
                EmailValidator()(row["email"])
            except ValidationError:
                problems.append(_("the email address “%(email)s” is not valid") % {"email": row["email"]})
        if row.get("website"):
            try:
                URLValidator()(row["website"])
            except ValidationError:
                problems.append(_("the website “%(url)s” is not a valid address") % {"url": row["website"]})
        if len(row.get("name", "")) > 160:
            problems.append(_("the name is longer than 160 characters"))
        if problems:
            result.errors.append(_("Line %(n)s: %(problems)s.") % {"n": line_no, "problems": "; ".join(problems)})
            continue
        rows.append(
            ProfessionalService(
                buurt=buurt,
                name=row["name"],
                kind=kind or "andere",
                phone=row.get("phone", "")[:40],
                email=row.get("email", ""),
                website=row.get("website", ""),
                address=row.get("address", "")[:200],
                what_for=row.get("what_for", ""),
                notes=row.get("notes", ""),
            )
        )
    if not result.errors and not rows:
        result.errors.append(_("The file has no services in it."))
    if result.errors:
        return result
    ProfessionalService.objects.bulk_create(rows)
    result.created = len(rows)
    return result
