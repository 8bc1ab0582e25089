"""Every stored field is classified public, personal or special (GDPR); new fields must be added to the registry."""

from __future__ import annotations

from burenhulp.privacy.classification import (
    CLASSIFIED_APPS,
    PERSONAL,
    REGISTRY,
    SPECIAL,
    classified_models,
    personal_fields,
    stale_entries,
    unclassified_fields,
)


def test_every_field_of_every_model_is_classified() -> None:
    missing = unclassified_fields()
    assert missing == [], (
        "Classify these fields in burenhulp/privacy/classification.py (public, personal or special):\n  "
        + "\n  ".join(missing)
    )


def test_the_registry_names_no_field_that_does_not_exist() -> None:
    assert stale_entries() == []


def test_it_covers_the_apps_that_hold_data() -> None:
    labels = {m._meta.app_label for m in classified_models()}
    assert {"core", "residents", "helprequests", "coordination", "notifications"} <= labels
    assert set(labels) <= set(CLASSIFIED_APPS)


def test_free_text_about_needs_is_special() -> None:
    from burenhulp.helprequests.models import FollowUp, HelpRequest

    assert REGISTRY["helprequests.HelpRequest"].fields["description"] == SPECIAL
    assert REGISTRY["helprequests.FollowUp"].fields["comment"] == SPECIAL
    assert "description" in personal_fields(HelpRequest)
    assert "comment" in personal_fields(FollowUp)


def test_every_model_with_personal_data_is_reachable_from_a_person_or_says_why_not() -> None:
    """Otherwise "download my data" would silently leave its rows out."""
    unreachable = []
    for model in classified_models():
        entry = REGISTRY.get(model._meta.label)
        if entry is None:
            continue
        holds_people = any(level in (PERSONAL, SPECIAL) for level in entry.fields.values())
        if holds_people and not entry.subject and not entry.note:
            unreachable.append(model._meta.label)
    assert unreachable == [], "give these a subject (or a note saying why not): " + ", ".join(unreachable)
