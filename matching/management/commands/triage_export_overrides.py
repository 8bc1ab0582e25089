"""Export coordinators' overrides of triage as labelled rows for review: `manage.py triage_export_overrides`.

DESIGN §4.1: releases and other overrides are kept as labelled examples that the training command *can* use, never
automatically. This command only reads; it writes JSON Lines in the corpus format (`lang`, `category`, `text`,
`level`) plus what a reviewer needs (`source`, `triage_was`, `why`, `request`, `at`):

- a **release**: a coordinator sent a heavy or crisis request to neighbours after all → proposed `level` "light";
- a **raise**: a request triage sent to neighbours that came back to a coordinator because a helper said it was too
  much or handed it over, or that a coordinator referred to a service → proposed `level` "heavy".

A reviewer corrects the levels, removes rows that identify a person, and adds the file to training by hand:
`manage.py triage_train --add reviewed.jsonl`. The rows hold residents' own words: keep the file like any other
personal data and delete it after the review. Anonymised requests are never exported.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.core.models import AuditLog
from burenhulp.helprequests.models import HelpRequest, RequestStatus, TriageLevel
from matching.language import detect

# Follow-up and queue reason codes that mean "this was too heavy for a neighbour".
RAISE_CODES = frozenset({"follow_up_too_much", "follow_up_hand_over", "too_much", "hand_to_coordinator"})
_WAS = re.compile(r"\(was (light|heavy|crisis)\)")


def _codes(reasons: Any) -> set[str]:
    out = set()
    for r in reasons or ():
        out.add(str(r.get("code", r.get("rule", ""))) if isinstance(r, dict) else str(r))
    return out


def _row(hr: HelpRequest, *, level: str, source: str, was: str, why: str, at: datetime | None) -> dict[str, Any]:
    lang = detect(hr.description).lang
    return {
        "lang": lang if lang != "un" else "?",
        "category": hr.category,
        "text": hr.description,
        "level": level,
        "source": source,
        "triage_was": was,
        "why": why,
        "request": str(hr.public_id),
        "at": at.isoformat() if at else None,
    }


def releases(since: datetime) -> list[dict[str, Any]]:
    rows = []
    released = HelpRequest.objects.filter(
        triage_overridden_at__gte=since, triage_level=TriageLevel.LIGHT, anonymised_at__isnull=True
    ).order_by("triage_overridden_at", "pk")
    for hr in released:
        entry = (
            AuditLog.objects.filter(
                action=AuditLog.Action.OVERRIDE, target_type=HelpRequest._meta.label_lower, target_id=str(hr.pk)
            )
            .order_by("-at")
            .first()
        )
        reason = entry.reason if entry else ""
        match = _WAS.search(reason)
        rows.append(
            _row(
                hr,
                level="light",
                source="release",
                was=match.group(1) if match else "heavy",
                why=reason,
                at=hr.triage_overridden_at,
            )
        )
    return rows


def raises(since: datetime) -> list[dict[str, Any]]:
    rows = []
    candidates = (
        HelpRequest.objects.filter(
            triage_level=TriageLevel.LIGHT,
            triage_overridden_at__isnull=True,
            anonymised_at__isnull=True,
            created_at__gte=since,
        )
        .filter(Q(status=RequestStatus.REFERRED) | Q(queue_items__kind=QueueKind.FOLLOW_UP))
        .distinct()
        .order_by("created_at", "pk")
    )
    for hr in candidates:
        items = QueueItem.objects.filter(request=hr).order_by("created_at")
        flagged = [i for i in items if _codes(i.reasons) & RAISE_CODES]
        if hr.status != RequestStatus.REFERRED and not flagged:
            continue
        why = "referred to a service by a coordinator" if hr.status == RequestStatus.REFERRED else ""
        if flagged:
            why = ", ".join(sorted(_codes(flagged[-1].reasons) & RAISE_CODES))
        rows.append(_row(hr, level="heavy", source="raise", was="light", why=why, at=hr.updated_at))
    return rows


class Command(BaseCommand):
    help = "Export coordinators' releases of heavy requests and raises of light ones as labelled rows for review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=365, help="only overrides of the last N days (default 365)")
        parser.add_argument("--out", type=Path, help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            raise CommandError("--days must be 1 or more.")
        since = timezone.now() - timedelta(days=options["days"])
        rows = releases(since) + raises(since)
        out_path: Path | None = options["out"]
        if out_path is not None:
            try:
                with out_path.open("w", encoding="utf-8") as fh:
                    self._write(fh, rows)
            except OSError as exc:
                raise CommandError(f"{out_path}: cannot write ({exc}).") from exc
        else:
            self._write(self.stdout, rows)
        counts = {s: sum(r["source"] == s for r in rows) for s in ("release", "raise")}
        sys.stderr.write(
            f"{counts['release']} releases and {counts['raise']} raises exported for review. They hold residents'"
            " own words: review, then add with `manage.py triage_train --add FILE`; nothing retrains by itself.\n"
        )

    @staticmethod
    def _write(fh: TextIO | Any, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
