"""Coordinator workflows (DESIGN §8): refer, release, match by hand, close, contact log, referral cards, the
directory import and the numbers for the reports. HTML views and the API call these same functions.

Each workflow is keyword-only, runs in one transaction, locks the queue item it changes and raises
`TransitionError` (a message for pages, 409 for the API) when the item is no longer open."""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from burenhulp.coordination.models import (
    ContactLog,
    ProfessionalService,
    QueueItem,
    QueueKind,
    QueueStatus,
    Referral,
    ReferralCard,
    ReferralStatus,
    ServiceKind,
)
from burenhulp.coordination.queue import queue_item_open
from burenhulp.core.models import AuditLog, Neighbourhood, audit
from burenhulp.helprequests.models import (
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.residents.models import Resident


class ReferralRefused(ValueError):
    """A referral that may not be made (no consent, a service of another neighbourhood). The message says why."""


# Referral status moves forward only; a coordinator may skip steps (a service can call back at once).
REFERRAL_ORDER = [ReferralStatus.PROPOSED, ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED, ReferralStatus.CLOSED]


def _lock_open_item(item: QueueItem) -> QueueItem:
    locked = QueueItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != QueueStatus.OPEN:
        raise TransitionError(_("This item is no longer open: someone already handled it."))
    return locked


def _finish(item: QueueItem, status: str, by: Any, outcome: str = "") -> None:
    item.status = status
    item.closed_at = timezone.now()
    item.closed_by = by if getattr(by, "is_authenticated", False) else None
    if outcome:
        item.outcome = outcome
    item.save(update_fields=["status", "closed_at", "closed_by", "outcome"])


def item_refer(
    *,
    item: QueueItem,
    service: ProfessionalService | None,
    consent: bool,
    by: Any,
    note: str = "",
    reason: str = "",
    follow_up_on: date | None = None,
) -> Referral:
    """Refer the item's resident to a professional service of the same neighbourhood, with their consent.

    1. Refuse without consent, or for a service that is not in the item's neighbourhood's directory.
    2. Lock the item (still open), write the referral (status proposed) and close the item as referred.
    3. The request, if any, becomes `referred`; the change is written to the audit log."""
    if not consent:
        raise ReferralRefused(_("Ask the resident first. A referral needs their consent."))
    if service is None or service.buurt_id != item.buurt_id or not service.active:
        raise ReferralRefused(_("Choose a service from this neighbourhood's directory."))
    with transaction.atomic():
        locked = _lock_open_item(item)
        referral = Referral.objects.create(
            buurt_id=locked.buurt_id,
            queue_item=locked,
            request_id=locked.request_id,
            resident_id=locked.resident_id,
            service=service,
            reason=reason[:300] or locked.summary[:300],
            consent=True,
            note=note,
            follow_up_on=follow_up_on,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _finish(locked, QueueStatus.REFERRED, by)
        if locked.request_id is not None:
            HelpRequest.objects.filter(pk=locked.request_id).exclude(
                status__in=[RequestStatus.MATCHED, RequestStatus.DONE]
            ).update(status=RequestStatus.REFERRED, updated_at=timezone.now())
        audit(
            actor=by,
            action=AuditLog.Action.CREATE,
            target=referral,
            reason=f"referral to {service.kind}",
        )
    item.refresh_from_db()
    return referral


def referral_advance(*, referral: Referral, status: str, by: Any, note: str = "") -> Referral:
    """Move a referral forward: proposed → contacted → accepted by the service → closed."""
    if status not in REFERRAL_ORDER:
        raise TransitionError(_("Choose a status from the list."))
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if REFERRAL_ORDER.index(ReferralStatus(status)) <= REFERRAL_ORDER.index(ReferralStatus(locked.status)):
            raise TransitionError(_("A referral only moves forward. It is already further along."))
        locked.status = status
        fields = ["status", "updated_at"]
        if note:
            stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
            locked.note = (locked.note + "\n" if locked.note else "") + f"[{stamp}] {note}"
            fields.append("note")
        locked.save(update_fields=fields)
        audit(
            actor=by,
            action=AuditLog.Action.CHANGE,
            target=locked,
            reason=f"referral {status}",
        )
    return locked


def item_release(*, item: QueueItem, by: Any) -> HelpRequest:
    """A coordinator judges the request light after all: override the triage (logged) and let matching start.

    The request-side change (level light, status open, first round) is the matching workflow's
    `request_release`; this closes the queue item as released and records the override in the audit log."""
    from matching import workflow

    if item.request_id is None:
        raise TransitionError(_("Only an item about a help request can be released to neighbours."))
    with transaction.atomic():
        locked = _lock_open_item(item)
        assert locked.request_id is not None  # checked above; an item never changes its request
        help_request = HelpRequest.objects.select_for_update().get(pk=locked.request_id)
        # The workflow changes the request, logs the override in the audit log and starts the first round.
        workflow.request_release(request=help_request, by=by)
        _finish(locked, QueueStatus.RELEASED, by)
    item.refresh_from_db()
    help_request.refresh_from_db()
    return help_request


def item_match_by_hand(*, item: QueueItem, volunteer: Resident, by: Any) -> MatchProposal:
    """Propose the item's request to one volunteer the coordinator chose from the ranked candidates."""
    from matching import workflow

    if item.request_id is None:
        raise TransitionError(_("Only an item about a help request can be matched."))
    if volunteer.buurt_id != item.buurt_id:
        raise TransitionError(_("Choose a neighbour from this neighbourhood."))
    with transaction.atomic():
        locked = _lock_open_item(item)
        assert locked.request_id is not None  # checked above; an item never changes its request
        help_request = HelpRequest.objects.select_for_update().get(pk=locked.request_id)
        proposal = workflow.request_match_by_hand(request=help_request, volunteer=volunteer, by=by)
        _finish(locked, QueueStatus.CLOSED, by, outcome=_("Matched by hand with %(name)s.") % {"name": volunteer})
        audit(
            actor=by,
            action=AuditLog.Action.CHANGE,
            target=help_request,
            reason=f"matched by hand to {volunteer.pk}",
        )
    item.refresh_from_db()
    return proposal


def request_hide(*, help_request: HelpRequest, by: Any) -> None:
    """Moderation: take a request away from neighbours (cancelled through the workflow) and close its open items."""
    from matching import workflow

    with transaction.atomic():
        if help_request.status not in {RequestStatus.CANCELLED, RequestStatus.DONE, RequestStatus.EXPIRED}:
            workflow.request_cancel(request=help_request, by=by)
        for item in QueueItem.objects.select_for_update().filter(request=help_request, status=QueueStatus.OPEN):
            _finish(item, QueueStatus.CLOSED, by, outcome=_("Hidden by a coordinator."))
        audit(
            actor=by,
            action=AuditLog.Action.CHANGE,
            target=help_request,
            reason="moderation: hidden",
        )


def item_close(*, item: QueueItem, outcome: str, by: Any) -> QueueItem:
    """Close an item with a written outcome (what happened, so a colleague understands later)."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise TransitionError(_("Write down the outcome before you close the item."))
    with transaction.atomic():
        locked = _lock_open_item(item)
        _finish(locked, QueueStatus.CLOSED, by, outcome=outcome[:2000])
    item.refresh_from_db()
    return item


def contact_log_add(
    *,
    buurt: Neighbourhood,
    kind: str,
    note: str,
    by: Any,
    resident: Resident | None = None,
    item: QueueItem | None = None,
    at: datetime | None = None,
) -> ContactLog:
    """Write down a phone call (belronde), a visit or a note."""
    if resident is not None and resident.buurt_id != buurt.pk:
        raise TransitionError(_("Choose a resident from this neighbourhood."))
    return ContactLog.objects.create(
        buurt=buurt,
        resident=resident,
        queue_item=item,
        kind=kind,
        note=note,
        by=by if getattr(by, "is_authenticated", False) else None,
        at=at or timezone.now(),
    )


def referral_card_submit(*, buurt: Neighbourhood, data: dict[str, Any]) -> ReferralCard:
    """A professional's signal (doorverwijskaartje), given with the resident's consent, lands in this
    neighbourhood's queue — and nowhere else."""
    if not data.get("consent"):
        raise ReferralRefused(_("Ask the resident first. We can only accept a signal with their consent."))
    with transaction.atomic():
        card = ReferralCard.objects.create(
            buurt=buurt,
            professional_name=data["professional_name"],
            organisation=data.get("organisation", ""),
            professional_contact=data["professional_contact"],
            resident_name=data["resident_name"],
            resident_contact=data.get("resident_contact", ""),
            what=data["what"],
            consent=True,
        )
        org = f" ({card.organisation})" if card.organisation else ""
        item = queue_item_open(
            buurt=buurt,
            kind=QueueKind.CHECK_IN,
            level=TriageLevel.HEAVY,
            reasons=["referral_card"],
            summary=f"{card.resident_name}: {card.what} — {card.professional_name}{org}",
        )
        card.queue_item = item
        card.save(update_fields=["queue_item"])
    return card


# --- The directory import ---------------------------------------------------------------------------------------

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
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator, URLValidator

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


# --- Reports (fiche L) ------------------------------------------------------------------------------------------


class BadPeriod(ValueError):
    pass


def period_from(raw_from: str | None, raw_to: str | None, *, today: date | None = None) -> tuple[date, date]:
    """Inclusive dates; default the last 365 days up to today. Raises BadPeriod with a clear message."""
    today = today or timezone.localdate()
    try:
        end = date.fromisoformat(raw_to) if raw_to else today
    except ValueError as exc:
        raise BadPeriod(_("“to” must be a date like 2025-12-31.")) from exc
    try:
        start = date.fromisoformat(raw_from) if raw_from else end - timedelta(days=365)
    except ValueError as exc:
        raise BadPeriod(_("“from” must be a date like 2025-01-31.")) from exc
    if start > end:
        raise BadPeriod(_("“from” must be on or before “to”."))
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


@dataclass
class Report:
    start: date
    end: date
    requests_per_category: dict[str, int]
    per_month: list[tuple[str, dict[str, int]]]
    requests_total: int
    ever_open: int
    matched: int
    matched_share: float
    median_hours_to_match: float | None
    referrals_per_kind: dict[str, int]
    unmet_per_category: dict[str, dict[str, int]]
    active_helpers: int


def report_for(*, buurt: Neighbourhood, start: date, end: date) -> Report:
    """The neighbourhood's numbers for an inclusive period, by creation time.

    `matched_share` = requests that reached matched or done ÷ requests that were ever open. A request was ever open
    when it is light (released requests become light); heavy and crisis requests never went to neighbours.
    Hours to match run from creation to acceptance (`matched_at`)."""
    lo, hi = _bounds(start, end)
    reqs: QuerySet[HelpRequest] = HelpRequest.objects.in_buurt(buurt).filter(created_at__gte=lo, created_at__lt=hi)  # type: ignore[assignment]
    per_category = {
        row["category"]: row["n"] for row in reqs.values("category").annotate(n=Count("id")).order_by("category")
    }
    months: dict[str, dict[str, int]] = {}
    for row in (
        reqs.annotate(month=TruncMonth("created_at"))
        .values("month", "category")
        .annotate(n=Count("id"))
        .order_by("month")
    ):
        key = (
            timezone.localtime(row["month"]).strftime("%Y-%m")
            if timezone.is_aware(row["month"])
            else row["month"].strftime("%Y-%m")
        )
        months.setdefault(key, {})[row["category"]] = row["n"]
    reached = Q(status__in=[RequestStatus.MATCHED, RequestStatus.DONE]) | Q(matched_at__isnull=False)
    agg = reqs.aggregate(
        total=Count("id"),
        ever_open=Count("id", filter=Q(triage_level=TriageLevel.LIGHT)),
        matched=Count("id", filter=Q(triage_level=TriageLevel.LIGHT) & reached),
    )
    durations = [
        (m - c).total_seconds() / 3600
        for c, m in reqs.filter(matched_at__isnull=False).values_list("created_at", "matched_at")
        if m is not None
    ]
    median = round(statistics.median(durations), 2) if durations else None
    referrals = {
        row["service__kind"]: row["n"]
        for row in Referral.objects.in_buurt(buurt)
        .filter(created_at__gte=lo, created_at__lt=hi)
        .values("service__kind")
        .annotate(n=Count("id"))
        .order_by("service__kind")
    }
    no_match_ids = QueueItem.objects.in_buurt(buurt).filter(kind=QueueKind.NO_MATCH).values("request_id")
    unmet: dict[str, dict[str, int]] = {}
    for row in (
        reqs.values("category")
        .annotate(
            queued=Count("id", filter=Q(status=RequestStatus.QUEUED) & ~Q(pk__in=no_match_ids)),
            no_match=Count("id", filter=Q(pk__in=no_match_ids) & ~reached),
            expired=Count("id", filter=Q(status=RequestStatus.EXPIRED)),
        )
        .order_by("category")
    ):
        if row["queued"] or row["no_match"] or row["expired"]:
            unmet[row["category"]] = {"queued": row["queued"], "no_match": row["no_match"], "expired": row["expired"]}
    helpers = (
        MatchProposal.objects.filter(
            request__buurt=buurt, status=ProposalStatus.ACCEPTED, answered_at__gte=lo, answered_at__lt=hi
        )
        .values("volunteer")
        .distinct()
        .count()
    )
    ever_open = agg["ever_open"]
    return Report(
        start=start,
        end=end,
        requests_per_category=per_category,
        per_month=sorted(months.items()),
        requests_total=agg["total"],
        ever_open=ever_open,
        matched=agg["matched"],
        matched_share=round(agg["matched"] / ever_open, 4) if ever_open else 0.0,
        median_hours_to_match=median,
        referrals_per_kind=referrals,
        unmet_per_category=unmet,
        active_helpers=helpers,
    )
