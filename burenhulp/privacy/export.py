"""'Download my data': every field classified personal or special about one person, and who viewed it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from burenhulp.core.models import AuditLog, User
from burenhulp.privacy.classification import REGISTRY, classified_models, personal_fields
from burenhulp.residents.models import Resident

FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def _row(obj: models.Model, names: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": obj.pk}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
        elif isinstance(field, models.Field) and field.is_relation:
            data[name] = getattr(obj, field.attname)
        else:
            data[name] = _plain(getattr(obj, name))
    return data


def _subject_filter(lookups: tuple[str, ...], resident: Resident | None, user: User) -> Q | None:
    """A lookup compares with the resident; 'pk' is the resident itself; 'user:<lookup>' compares with the user;
    '<lookup>|<field>' compares only on rows whose own <field> is empty (see `registry.py`)."""
    query: Q | None = None
    for lookup in lookups:
        if "|" in lookup:
            if resident is None:
                continue
            through, own = lookup.split("|", 1)
            part = Q(**{through: resident.pk, f"{own}__isnull": True})
        elif lookup.startswith("user:"):
            part = Q(**{lookup.removeprefix("user:"): user.pk})
        elif resident is None:
            continue
        else:
            part = Q(**{lookup: resident.pk})
        query = part if query is None else query | part
    return query


def _viewers(resident: Resident) -> list[dict[str, Any]]:
    rows = AuditLog.objects.filter(subject_resident_id=resident.pk).select_related("actor", "buurt").order_by("at")
    seen: list[dict[str, Any]] = []
    for row in rows:
        actor = row.actor
        seen.append(
            {
                "at": row.at.isoformat(),
                "action": row.action,
                "what": row.target_type,
                "by": (actor.get_full_name() or actor.email) if actor else None,
                "by_role": (
                    "coordinator"
                    if actor is not None and actor.coordinated_buurten.exists()
                    else ("you" if actor is not None and actor.pk == resident.user_id else None)
                ),
                "neighbourhood": row.buurt.name if row.buurt else None,
                "reason": row.reason,
            }
        )
    return seen


def _accounts(user: User) -> dict[str, Any]:

    return {
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "second_factors": [
            {"type": a.type, "created_at": _plain(a.created_at), "last_used_at": _plain(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user)
        ],
    }


def data_export(user: User) -> dict[str, Any]:
    """Everything classified personal or special about this user and their Burenbox, per model, and the audit
    trail of who viewed or changed their data."""
    resident: Resident | None = getattr(user, "resident", None)
    records: dict[str, list[dict[str, Any]]] = {}
    for model in classified_models():
        entry = REGISTRY.get(model._meta.label)
        if entry is None or not entry.subject:
            continue
        query = _subject_filter(entry.subject, resident, user)
        if query is None:
            continue
        names = personal_fields(model)
        rows = [_row(obj, names) for obj in model._default_manager.filter(query).distinct().order_by("pk")]
        if rows:
            records[model._meta.label] = rows
    # The password hash is not the person's data in any useful sense, and it must never leave the server.
    for row in records.get("core.User", []):
        row.pop("password", None)
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "records": records,
        "accounts": _accounts(user),
        "who_viewed_my_data": _viewers(resident) if resident else [],
    }
