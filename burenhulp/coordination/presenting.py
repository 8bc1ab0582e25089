"""Words for coordinators: why an item is in the queue, how long it has waited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.helprequests.models import TriageLevel
from matching.reasons import describe_queue_reason
from matching.triage import describe_reasons

# Reason codes the coordination area itself writes; triage codes are described by matching.triage.
LOCAL_REASONS = {
    "referral_card": gettext_lazy("A care professional left a referral card."),
    "no_match": gettext_lazy("No neighbour said yes after the last round."),
    "too_much": gettext_lazy("A helper said it was too much."),
    "did_not_happen": gettext_lazy("The help did not happen."),
    "hand_to_coordinator": gettext_lazy("Someone asked the coordinator to take over."),
    "many_requests": gettext_lazy("Many requests in a short time."),
    "marked_for_follow_up": gettext_lazy("A coordinator marked this resident for follow-up."),
    "reported": gettext_lazy("A resident reported this content."),
    "awaiting_approval": gettext_lazy(
        "A newcomer who is not approved yet asked for help: approve them, then release the request to neighbours."
    ),
    "request_limit": gettext_lazy(
        "This resident has asked for a lot of help at once. Check with them before releasing it to neighbours."
    ),
}

# How long an item may wait before the page warns, per level.
AGE_WARNING = {
    TriageLevel.CRISIS: timedelta(hours=1),
    TriageLevel.HEAVY: timedelta(hours=48),
    TriageLevel.LIGHT: timedelta(hours=72),
}


def _code(reason: Any) -> str:
    if isinstance(reason, dict):
        return str(reason.get("code", ""))
    return str(reason)


def reasons_text(item: QueueItem) -> list[str]:
    """The item's reasons in the active language. Triage codes go through `matching.triage.describe_reasons`."""
    reasons = list(item.reasons or [])
    local = [str(LOCAL_REASONS[_code(r)]) for r in reasons if _code(r) in LOCAL_REASONS]
    other = [r for r in reasons if _code(r) not in LOCAL_REASONS]
    queue_words = [(r, describe_queue_reason(_code(r))) for r in other]
    local += [w for r, w in queue_words if w != _code(r)]
    other = [r for r, w in queue_words if w == _code(r)]
    described = [str(x) for x in describe_reasons(other)] if other else []
    if not reasons:
        described = [str(QueueKind(item.kind).label)]
    cancelled = [_("The resident cancelled the request. Only a coordinator closes this item.")]
    return (cancelled if item.resident_cancelled_at is not None else []) + local + described


def waited(item: QueueItem, now: Any = None) -> timedelta:
    return (now or timezone.now()) - item.created_at


def waited_text(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return _("less than an hour")
    if hours < 48:
        return _("%(n)s hours") % {"n": hours}
    return _("%(n)s days") % {"n": hours // 24}


def too_old(item: QueueItem, now: Any = None) -> bool:
    return waited(item, now) > AGE_WARNING.get(TriageLevel(item.level), AGE_WARNING[TriageLevel.LIGHT])
