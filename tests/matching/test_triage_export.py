"""`manage.py triage_export_overrides`: coordinators' releases and raises as labelled rows for review."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from burenhulp.coordination.models import QueueItem
from burenhulp.core.models import AuditLog, User, audit
from burenhulp.helprequests.models import HelpRequest
from burenhulp.residents.models import Resident
from matching.corpus import load_examples

pytestmark = pytest.mark.django_db


def export(*args: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("triage_export_overrides", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_releases_and_raises_become_rows_for_review_and_nothing_else(requester: Resident, coordinator: User) -> None:
    buurt = requester.buurt
    released = HelpRequest.objects.create(
        buurt=buurt,
        requester=requester,
        category="documenten",
        description="Wie helpt mij een brief van de mutualiteit te lezen? Het gaat over mijn nieuwe bril.",
        triage_level="light",
        status="open",
        triage_overridden_by=coordinator,
        triage_overridden_at=timezone.now(),
    )
    audit(
        actor=coordinator, action=AuditLog.Action.OVERRIDE, target=released, reason="released to neighbours (was heavy)"
    )
    raised = HelpRequest.objects.create(
        buurt=buurt,
        requester=requester,
        category="boodschappen",
        description="Kan iemand boodschappen doen? Ik geraak mijn bed bijna niet meer uit.",
        triage_level="light",
        status="queued",
    )
    QueueItem.objects.create(
        buurt=buurt, kind="follow_up", request=raised, level="light", reasons=["follow_up_too_much"]
    )
    # A light request that simply went well, and an anonymised release, are not exported.
    HelpRequest.objects.create(
        buurt=buurt, requester=requester, category="hond", description="Hond uitlaten?", status="done"
    )
    HelpRequest.objects.create(
        buurt=buurt,
        requester=requester,
        category="andere",
        description="weg",
        triage_level="light",
        triage_overridden_at=timezone.now(),
        anonymised_at=timezone.now(),
    )

    rows = export()
    assert [(r["source"], r["level"], r["triage_was"]) for r in rows] == [
        ("release", "light", "heavy"),
        ("raise", "heavy", "light"),
    ]
    assert rows[0]["text"] == released.description and rows[0]["lang"] == "nl"
    assert rows[0]["why"] == "released to neighbours (was heavy)"
    assert rows[1]["why"] == "follow_up_too_much" and rows[1]["request"] == str(raised.public_id)
    assert {"lang", "category", "text", "level"} <= set(rows[0])
    # Exporting changes nothing: no retraining, no row touched.
    assert HelpRequest.objects.get(pk=released.pk).triage_level == "light"


def test_the_export_writes_a_file_the_training_command_reads(tmp_path: Path, requester: Resident) -> None:
    hr = HelpRequest.objects.create(
        buurt=requester.buurt,
        requester=requester,
        category="andere",
        description="De huisbaas doet niets aan de schimmel, wie kent een organisatie die kan helpen?",
        triage_level="light",
        status="referred",
    )
    path = tmp_path / "overrides.jsonl"
    call_command("triage_export_overrides", "--out", str(path))
    rows = load_examples(path)
    assert [(r.text, r.level) for r in rows] == [(hr.description, "heavy")]
    with pytest.raises(CommandError, match="--days"):
        call_command("triage_export_overrides", "--days", "0")
