"""Building each email's context at send time, from the ids the producer stored, in the recipient's language.

Producers store ids only (`{"proposal_id": 7}`); what the email shows is loaded when it is sent, so it is never
stale and never holds personal data in the outbox. A builder raises `Obsolete` when the message no longer makes sense
(the object is gone, or the proposal is no longer open): the row is then skipped, not sent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from burenhulp.coordination.models import QueueItem, QueueKind, Referral
from burenhulp.core.branding import branding_for
from burenhulp.core.categories import Category
from burenhulp.core.helplines import help_lines
from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import (
    FollowUp,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TriageLevel,
)
from burenhulp.helprequests.selectors import requests_near
from burenhulp.notifications import links
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident
from burenhulp.residents.selectors import contact_of
from matching.reasons import describe_all, distance_band
from matching.triage import describe_reasons
from toolbox_content.guidance import pieces_for

Context = dict[str, Any]


class Obsolete(Exception):
    """The message no longer makes sense; it is skipped with this reason."""


# --- helpers ------------------------------------------------------------------------------------------------------


def site_link(name: str, *args: object) -> str:
    """An absolute link to a page (a renamed URL fails loudly here, in the tests)."""
    return settings.SITE_URL + reverse(name, args=args)


def category_label(slug: str) -> str:
    try:
        return str(Category(slug).label)
    except ValueError:
        return slug


def when_text(start: datetime | None, end: datetime | None) -> str:
    """'Tuesday 3 March, 14:00 to 16:00' in the active language; 'when it suits you' without a date."""
    if start is None:
        return _("no fixed date: when it suits you")
    start = timezone.localtime(start)
    text = formats.date_format(start, "l j F, H:i")
    if end is not None:
        end = timezone.localtime(end)
        same_day = end.date() == start.date()
        text += " – " + formats.date_format(end, "H:i" if same_day else "l j F, H:i")
    return text


# The reasons a volunteer is told ("you live 200 m away"); load and strain are for the coordinator's eyes.
VOLUNTEER_REASON_CODES = frozenset(
    {"distance", "distance_unknown", "language", "continuity", "reciprocity", "free", "recently_active"}
)


def describe_match_reasons(reasons: list[Any]) -> list[str]:
    """Why this volunteer was asked, in the active language, in the matching area's words."""
    shown = [r for r in reasons if isinstance(r, dict) and r.get("code") in VOLUNTEER_REASON_CODES]
    return [text[:1].upper() + text[1:] for text in describe_all(shown, "volunteer") if text]


@functools.lru_cache(maxsize=256)
def _tips(category: str, moment: str, language: str, limit: int) -> tuple[tuple[str, str, str], ...]:
    pieces = pieces_for(audience="volunteer", category=category, moment=moment, language=language, limit=limit)
    return tuple((p.title, p.summary, settings.SITE_URL + p.url) for p in pieces)


def guidance_tips(category: str, moment: str, language: str, limit: int = 3) -> list[dict[str, str]]:
    """Two or three tips from the toolbox for this kind of help, as plain title/summary/link (cached: the guidance
    is loaded once per process)."""
    return [{"title": t, "summary": s, "url": u} for t, s, u in _tips(category, moment, language, limit)]


@functools.cache
def preferences_url() -> str:
    return settings.SITE_URL + reverse("notifications:preferences")


def _proposal(notification: Notification) -> MatchProposal:
    cached = getattr(notification, "_prefetched_proposal", None)
    if cached is not None:
        return cached
    try:
        return MatchProposal.objects.select_related(
            "request__buurt", "request__requester__street", "request__requester__user", "volunteer__user"
        ).get(pk=notification.context.get("proposal_id"))
    except (MatchProposal.DoesNotExist, ValueError, TypeError) as exc:
        raise Obsolete("the proposal no longer exists") from exc


def _request(notification: Notification) -> HelpRequest:
    try:
        return HelpRequest.objects.select_related("buurt", "requester__street").get(
            pk=notification.context.get("request_id")
        )
    except (HelpRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Obsolete("the request no longer exists") from exc


def request_summary(request: HelpRequest) -> Context:
    """What every message (and the email-link pages) says about a request: what, when, roughly where."""
    street = request.requester.street.name if request.requester.street_id and request.requester.street else ""
    return {
        "category": request.category,
        "category_label": category_label(request.category),
        "description": request.description[:600],
        "when": when_text(request.window_start, request.window_end),
        "street": street,
        "buurt_name": request.buurt.name,
        "buurt_phone": request.buurt.contact_phone,
        "buurt_email": request.buurt.contact_email,
    }


# --- builders -----------------------------------------------------------------------------------------------------


def proposal(notification: Notification) -> Context:
    p = _proposal(notification)
    if not p.is_open() or not p.request.is_open():
        raise Obsolete("the proposal is no longer open")
    return {
        **request_summary(p.request),
        "distance_m": distance_band(p.distance_m) if p.distance_m is not None else None,
        "reasons": describe_match_reasons(p.reasons),
        "tips": guidance_tips(p.request.category, "proposal", notification.language),
        "accept_url": links.proposal_url(p.public_id, "accept"),
        "decline_url": links.proposal_url(p.public_id, "decline"),
    }


def accepted_volunteer(notification: Notification) -> Context:
    p = _proposal(notification)
    requester = p.request.requester
    return {
        **request_summary(p.request),
        "other": contact_of(requester),
        "house_number": requester.house_number,
        "house_description": requester.house_description,
        "tips": guidance_tips(p.request.category, "before_you_go", notification.language),
        "step_back_url": links.action_url("step_back", p.public_id),
    }


def accepted_requester(notification: Notification) -> Context:
    p = _proposal(notification)
    return {**request_summary(p.request), "other": contact_of(p.volunteer)}


def taken(notification: Notification) -> Context:
    return request_summary(_proposal(notification).request)


def stepped_back(notification: Notification) -> Context:
    """To the requester: the neighbour who said yes cannot come after all; we look for someone else."""
    p = _proposal(notification)
    return {**request_summary(p.request), "other_first_name": p.volunteer.first_name}


def referred(notification: Notification) -> Context:
    """To the resident: which service will help, and how to reach it."""
    try:
        referral = Referral.objects.select_related("service", "request__buurt", "request__requester__street").get(
            pk=notification.context.get("referral_id")
        )
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Obsolete("the referral no longer exists") from exc
    summary = request_summary(referral.request) if referral.request is not None else {}
    return {
        **summary,
        "has_request": referral.request is not None,
        "service_name": referral.service.name,
        "service_phone": referral.service.phone,
        "service_email": referral.service.email,
        "buurt_name": referral.service.buurt.name,
    }


def round_escalated(notification: Notification) -> Context:
    request = _request(notification)
    if request.status != RequestStatus.PROPOSED:
        raise Obsolete("the request moved on (taken, cancelled or with the coordinator)")
    return request_summary(request)


def no_match(notification: Notification) -> Context:
    return request_summary(_request(notification))


def reminder(notification: Notification) -> Context:
    p = _proposal(notification)
    if p.status != ProposalStatus.ACCEPTED:
        raise Obsolete("the help was cancelled")
    to_volunteer = notification.recipient_resident_id == p.volunteer_id
    other = p.request.requester if to_volunteer else p.volunteer
    return {
        **request_summary(p.request),
        "to_volunteer": to_volunteer,
        "other": contact_of(other),
        "house_number": p.request.requester.house_number if to_volunteer else "",
    }


def follow_up(notification: Notification) -> Context:
    try:
        item = FollowUp.objects.select_related("request__buurt", "request__requester__street").get(
            pk=notification.context.get("follow_up_id")
        )
    except (FollowUp.DoesNotExist, ValueError, TypeError) as exc:
        raise Obsolete("the follow-up no longer exists") from exc
    if item.answered_at is not None:
        raise Obsolete("the follow-up was already answered")
    return {
        **request_summary(item.request),
        "to_volunteer": item.role == FollowUp.Role.VOLUNTEER,
        "answer_url": links.action_url("follow_up", item.public_id),
    }


def crisis_alert(notification: Notification) -> Context:
    request = _request(notification)
    queue_item_id = notification.context.get("queue_item_id")
    return {
        "buurt_name": request.buurt.name,
        "category_label": category_label(request.category),
        "reasons": describe_triage_reasons(request.triage_reasons),
        "item_url": site_link("coordinator:item", queue_item_id) if queue_item_id else site_link("coordinator:queue"),
        "emergency_number": request.buurt.emergency_number,
        "help_lines": help_lines(request.buurt, request.requester.language),
    }


def describe_triage_reasons(reasons: list[Any]) -> list[str]:
    return [str(text) for text in describe_reasons(reasons)]


def queue_digest(notification: Notification) -> Context:
    try:
        buurt = Neighbourhood.objects.get(pk=notification.context.get("buurt_id"))
    except (Neighbourhood.DoesNotExist, ValueError, TypeError) as exc:
        raise Obsolete("the neighbourhood no longer exists") from exc
    items = QueueItem.objects.in_buurt(buurt).open()
    summary = items.aggregate(total=Count("pk"), oldest=Min("created_at"))
    if not summary["total"]:
        raise Obsolete("the queue is empty")
    by_kind = {row["kind"]: row["n"] for row in items.values("kind").annotate(n=Count("pk"))}
    crisis = items.filter(level=TriageLevel.CRISIS).exclude(kind=QueueKind.CHECK_IN).count()
    age_days = (timezone.now() - summary["oldest"]).days if summary["oldest"] else 0
    return {
        "buurt_name": buurt.name,
        "total": summary["total"],
        "crisis": crisis,
        "kinds": [
            {"label": str(label), "count": by_kind[kind]} for kind, label in QueueKind.choices if kind in by_kind
        ],
        "oldest_days": age_days,
        "queue_url": site_link("coordinator:queue"),
    }


def weekly_digest(notification: Notification) -> Context:
    try:
        resident = Resident.objects.select_related("buurt").get(pk=notification.context.get("resident_id"))
    except (Resident.DoesNotExist, ValueError, TypeError) as exc:
        raise Obsolete("the resident no longer exists") from exc
    if not resident.weekly_digest:
        raise Obsolete("the resident no longer wants the digest")
    requests = requests_near(resident)
    if not requests:
        raise Obsolete("no open requests nearby")
    return {
        "buurt_name": resident.buurt.name,
        "requests": [
            {
                "category_label": category_label(r.category),
                "street": r.requester.street.name if r.requester.street_id and r.requester.street else "",
                "when": when_text(r.window_start, r.window_end),
            }
            for r in requests
        ],
        "page_url": site_link("dashboard"),
    }


PROPOSAL_TEMPLATES = frozenset({"proposal", "accepted_volunteer", "accepted_requester", "taken", "reminder"})


def prefetch(notifications: list[Notification]) -> None:
    """Load the proposals of a whole batch in one query (the sender's fast path)."""
    wanted = {
        n.context.get("proposal_id"): n
        for n in notifications
        if n.template in PROPOSAL_TEMPLATES and isinstance(n.context.get("proposal_id"), int)
    }
    if not wanted:
        return
    found = MatchProposal.objects.select_related(
        "request__buurt", "request__requester__street", "request__requester__user", "volunteer__user"
    ).in_bulk(list(wanted))
    for n in notifications:
        proposal = found.get(n.context.get("proposal_id"))
        if proposal is not None and n.template in PROPOSAL_TEMPLATES:
            n._prefetched_proposal = proposal  # type: ignore[attr-defined]


BUILDERS: dict[str, Callable[[Notification], Context]] = {
    "proposal": proposal,
    "accepted_volunteer": accepted_volunteer,
    "accepted_requester": accepted_requester,
    "taken": taken,
    "stepped_back": stepped_back,
    "referred": referred,
    "round_escalated": round_escalated,
    "no_match": no_match,
    "reminder": reminder,
    "follow_up": follow_up,
    "crisis_alert": crisis_alert,
    "queue_digest": queue_digest,
    "weekly_digest": weekly_digest,
}


def build(notification: Notification) -> Context:
    """The full context of one message; call with the recipient's language active."""
    builder = BUILDERS.get(notification.template)
    if builder is None:
        raise Obsolete(f"unknown template {notification.template!r}")
    recipient_name = ""
    if notification.recipient_resident is not None:
        recipient_name = notification.recipient_resident.first_name
    elif notification.recipient_user is not None:
        recipient_name = notification.recipient_user.first_name
    return {
        "recipient_name": recipient_name,
        "site_url": settings.SITE_URL,
        "preferences_url": preferences_url(),
        "unsubscribe_url": links.unsubscribe_url(notification.pk),
        # The municipality's or neighbourhood's name and contact line, as on its pages.
        "branding": branding_for(notification.buurt),
        **builder(notification),
    }
