"""The referral directory's CSV import (DESIGN §8): all or nothing, every bad line named with its problem."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

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


def _lines(reader: csv.DictReader[str], result: ImportResult) -> Iterator[tuple[int, dict[str | Any, str | Any]]]:
    """The file's lines with their numbers; a line the csv module cannot read (a field over its 128 KiB limit, a
    broken quote) ends the import with an error naming it, instead of a 500."""
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error:
            result.errors.append(
                _("Line %(n)s: this line could not be read (a field is too long, or the file is not valid CSV).")
                % {"n": reader.line_num}
            )
            return
        yield reader.line_num, raw


def _text_problems(row: dict[str, str]) -> list[str]:
    """Values the database cannot hold: a NUL character anywhere, or text longer than the column allows."""
    problems: list[str] = []
    for column in CSV_COLUMNS:
        value = row.get(column, "")
        if "\x00" in value:
            problems.append(_("the %(column)s contains a character that is not allowed (NUL)") % {"column": column})
        limit = getattr(ProfessionalService._meta.get_field(column), "max_length", None)
        if limit is not None and len(value) > limit:
            problems.append(_("the %(column)s is longer than %(n)d characters") % {"column": column, "n": limit})
    return problems


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
    for line_no, raw in _lines(reader, result):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        problems = _text_problems(row)
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
        if problems:
            result.errors.append(_("Line %(n)s: %(problems)s.") % {"n": line_no, "problems": "; ".join(problems)})
            continue
        rows.append(
            ProfessionalService(
                buurt=buurt,
                name=row["name"],
                kind=kind or "andere",
                phone=row.get("phone", ""),
                email=row.get("email", ""),
                website=row.get("website", ""),
                address=row.get("address", ""),
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
