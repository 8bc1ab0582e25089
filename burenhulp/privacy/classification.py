"""Reading the GDPR classification (DESIGN §1.6, §11): which fields of a model are personal or special, and which
fields are missing from the registry (`registry.py`, where every stored field is classified)."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from burenhulp.privacy.registry import CLASSIFIED_APPS, PERSONAL, REGISTRY, SPECIAL, Level


def concrete_field_names(model: type[models.Model]) -> list[str]:
    """The stored fields of a model: its columns and its own many-to-many tables."""
    opts = model._meta
    return [f.name for f in opts.concrete_fields] + [f.name for f in opts.local_many_to_many]


def classified_models() -> list[type[models.Model]]:
    """Every concrete, non-proxy model of the classified apps that are installed."""
    found: list[type[models.Model]] = []
    for label in CLASSIFIED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        found.extend(m for m in config.get_models() if not m._meta.proxy and not m._meta.abstract)
    return found


def unclassified_fields() -> list[str]:
    """'app.Model.field' for every stored field that has no level here."""
    missing: list[str] = []
    for model in classified_models():
        entry = REGISTRY.get(model._meta.label)
        known = entry.fields if entry else {}
        missing.extend(f"{model._meta.label}.{name}" for name in concrete_field_names(model) if name not in known)
    return missing


def stale_entries() -> list[str]:
    """Registry lines for models or fields that no longer exist."""
    existing = {m._meta.label: set(concrete_field_names(m)) for m in classified_models()}
    stale: list[str] = []
    for label, entry in REGISTRY.items():
        if label not in existing:
            stale.append(label)
            continue
        stale.extend(f"{label}.{name}" for name in entry.fields if name not in existing[label])
    return stale


def level_of(model: type[models.Model], field_name: str) -> Level:
    return REGISTRY[model._meta.label].fields[field_name]


def personal_fields(model: type[models.Model]) -> list[str]:
    """The fields of a model classified personal or special, in model order."""
    entry = REGISTRY.get(model._meta.label)
    if entry is None:
        return []
    return [name for name in concrete_field_names(model) if entry.fields.get(name) in (PERSONAL, SPECIAL)]
