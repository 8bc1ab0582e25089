"""Erasure and retention: a resident deletes their account; old closed requests lose their link to a person.

Both keep what the coordinators' statistics need (category, status, dates, triage level and reason codes) and
remove everything that says who, where or what exactly. Audit log rows are never touched (they are append-only,
and after erasure they point at an emptied profile).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from burenhulp.coordination.models import ContactLog, QueueItem, QueueOutcome, QueueStatus, Referral, ReferralCard
from burenhulp.coordination.queue import queue_items_close
from burenhulp.core.apitokens import tokens_revoke
from burenhulp.core.models import AuditLog, Neighbourhood, User, audit
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.helprequests.stepback import volunteer_stand_down
from burenhulp.notifications.models import CallOutcome, CallTask, Notification, NotificationStatus
from burenhulp.residents.models import Consent, HelpEntry, Housemate, Resident, ResidentBlock

log = logging.getLogger(__name__)

_ANON_NAMESPACE = uuid.UUID("6f1c9a4e-2b7d-4f0e-9a51-3c8e2d7b1a90")


def anonymous_resident(buurt: Neighbourhood) -> Resident:
    """The neighbourhood's placeholder profile that anonymised requests point at: no name, no address, no login,
    never matched (deleted and blocked)."""
    public_id = uuid.uuid5(_ANON_NAMESPACE, f"anonymous:{buurt.pk}")
    resident, _ = Resident.objects.get_or_create(
        public_id=public_id,
        defaults={
            "buurt": buurt,
            "first_name": "",
            "last_name": "",
            "street": None,
            "house_number": "",
            "lat": None,
            "lon": None,
            "languages": [],
            "availability": [],
            "shared_fields": [],
            "approved": False,
            "is_blocked": True,
            "deleted_at": timezone.now(),
            "max_active_matches": 0,
            "max_matches_per_month": 0,
        },
    )
    return resident


def is_anonymous_placeholder(resident: Resident) -> bool:
    return resident.public_id == uuid.uuid5(_ANON_NAMESPACE, f"anonymous:{resident.buurt_id}")


# --- One request ------------------------------------------------------------------------------------------------


def _strip_request_relations(request_ids: list[int]) -> None:
    """Free text and location around these requests: proposals, follow-ups, queue items, referrals, contacts."""
    MatchProposal.objects.filter(request_id__in=request_ids).update(reasons=[], distance_m=None, answered_by=None)
    FollowUp.objects.filter(request_id__in=request_ids).update(comment="")
    queue_ids = list(QueueItem.objects.filter(request_id__in=request_ids).values_list("pk", flat=True))
    QueueItem.objects.filter(pk__in=queue_ids).update(
        summary="", outcome="", release_reason="", resident=None, closed_by=None
    )
    Referral.objects.filter(Q(request_id__in=request_ids) | Q(queue_item_id__in=queue_ids)).update(
        note="", reason="", resident=None, created_by=None
    )
    ContactLog.objects.filter(queue_item_id__in=queue_ids).update(note="", resident=None, by=None)
    ReferralCard.objects.filter(queue_item_id__in=queue_ids).update(
        professional_name="", organisation="", professional_contact="", resident_name="", resident_contact="", what=""
    )


@transaction.atomic
def request_anonymise(*, request: HelpRequest, now: datetime | None = None) -> bool:
    """Anonymise one closed request for statistics: it keeps category, status, dates and triage, and loses its
    description, its link to the requester and to the volunteers, and the notes around it. Runs once."""
    now = now or timezone.now()
    claimed = HelpRequest.objects.filter(pk=request.pk, anonymised_at__isnull=True).update(anonymised_at=now)
    if not claimed:
        return False
    placeholder = anonymous_resident(request.buurt)
    _strip_request_relations([request.pk])
    # One proposal per volunteer and request: keep only the accepted one (for "matched" statistics), re-pointed at
    # the placeholder; the others said nothing the statistics need.
    proposals = MatchProposal.objects.filter(request=request)
    proposals.exclude(status=ProposalStatus.ACCEPTED).delete()
    proposals.update(volunteer=placeholder)
    FollowUp.objects.filter(request=request).delete()
    HelpRequest.objects.filter(pk=request.pk).update(
        requester=placeholder,
        description="",
        created_by=None,
        triage_overridden_by=None,
        window_start=None,
        window_end=None,
    )
    return True


def requests_due_for_retention(now: datetime | None = None) -> list[int]:
    """Ids of closed requests older than their neighbourhood's retention period that still hold personal data."""
    now = now or timezone.now()
    due: list[int] = []
    for buurt_id, days in Neighbourhood.objects.values_list("pk", "retention_days"):
        cutoff = now - timedelta(days=days)
        due.extend(
            HelpRequest.objects.closed()
            .filter(buurt_id=buurt_id, anonymised_at__isnull=True)
            .filter(Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, updated_at__lt=cutoff))
            .values_list("pk", flat=True)
        )
    return due


def notifications_due_for_retention(now: datetime | None = None) -> int:
    """Finished outbox rows older than their neighbourhood's retention period are deleted (they hold addresses)."""
    now = now or timezone.now()
    finished = (NotificationStatus.SENT, NotificationStatus.FAILED, NotificationStatus.SKIPPED)
    deleted = 0
    for buurt_id, days in Neighbourhood.objects.values_list("pk", "retention_days"):
        cutoff = now - timedelta(days=days)
        count, _ = Notification.objects.filter(buurt_id=buurt_id, status__in=finished, created_at__lt=cutoff).delete()
        deleted += count
    return deleted


def notes_due_for_retention(now: datetime | None = None) -> int:
    """Coordinators' text that is not tied to a request: old referral cards, contact notes and closed queue items
    lose their words after the neighbourhood's retention period (the rows stay for the counts)."""
    now = now or timezone.now()
    changed = 0
    for buurt_id, days in Neighbourhood.objects.values_list("pk", "retention_days"):
        cutoff = now - timedelta(days=days)
        changed += (
            ReferralCard.objects.filter(buurt_id=buurt_id, created_at__lt=cutoff)
            .exclude(resident_name="", what="", professional_name="")
            .update(
                professional_name="",
                organisation="",
                professional_contact="",
                resident_name="",
                resident_contact="",
                what="",
            )
        )
        changed += (
            ContactLog.objects.filter(buurt_id=buurt_id, at__lt=cutoff).exclude(note="").update(note="", resident=None)
        )
        changed += (
            QueueItem.objects.filter(buurt_id=buurt_id, closed_at__lt=cutoff)
            .exclude(status=QueueStatus.OPEN)
            .exclude(summary="", outcome="")
            .update(summary="", outcome="")
        )
    return changed


def retention_run(now: datetime | None = None) -> int:
    """The scheduled retention job (burenhulp.privacy.tasks.apply_retention). Returns how many requests it anonymised."""
    done = 0
    for pk in requests_due_for_retention(now):
        request = HelpRequest.objects.select_related("buurt").filter(pk=pk).first()
        if request is not None and request_anonymise(request=request, now=now):
            done += 1
    notifications_due_for_retention(now)
    notes_due_for_retention(now)
    log.info("retention: anonymised %d closed requests", done)
    return done


# --- A whole account --------------------------------------------------------------------------------------------


def end_sessions(user: User) -> int:
    """Delete every stored session of this user (they are signed out everywhere at once)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _erase_user(user: User) -> None:

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    tokens_revoke(user_id=user.pk)
    user.email = f"deleted-{user.pk}@invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "is_staff", "password"])
    Neighbourhood.coordinators.through.objects.filter(user=user).delete()
    end_sessions(user)


def _scrub_admin_log(model: type, pk: int) -> None:
    content_type = ContentType.objects.get_for_model(model)
    LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(object_repr="", change_message="")


@transaction.atomic
def account_erase(*, user: User, now: datetime | None = None) -> None:
    """Delete a resident's account (DESIGN §11): personal data erased, photo removed, requests anonymised and kept
    for statistics, proposals and follow-ups de-personalised, account deactivated and every session ended.

    1. Live requests are cancelled and their open proposals withdrawn; open proposals to them as a volunteer too.
    2. Every request they asked loses its description and the notes around it; proposals and follow-ups lose
       reasons, distances and comments; queue items, referrals and contacts about them lose their text.
    3. The profile is emptied (the row stays, so statistics keep their counts) and the photo file deleted.
    4. The account is deactivated, its email replaced, logins, second factors, tokens and sessions removed.
    """
    now = now or timezone.now()
    resident: Resident | None = getattr(user, "resident", None)
    if resident is not None:
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        audit(
            actor=None,
            action=AuditLog.Action.DELETE,
            target=resident,
            reason="account deleted by the resident",
        )
        _erase_resident(resident, now)
    _erase_user(user)
    _scrub_admin_log(User, user.pk)


def _erase_resident(resident: Resident, now: datetime) -> None:
    # 1. Stop everything that is still running.
    live = HelpRequest.objects.live().filter(requester=resident)
    live_ids = list(live.values_list("pk", flat=True))
    MatchProposal.objects.filter(request_id__in=live_ids, status=ProposalStatus.PROPOSED).update(
        status=ProposalStatus.WITHDRAWN, answered_at=now
    )
    live.update(status=RequestStatus.CANCELLED, closed_at=now)
    # A volunteer who is erased acts on nothing (DESIGN §12): open proposals withdrawn. Help they already said yes
    # to stays accepted, so the statistics keep it (the requester still has their contact from the acceptance).
    volunteer_stand_down(volunteer=resident, by=None, reason="account deleted", now=now, accepted_too=False)
    # Erasure is the only way besides a coordinator that closes a heavy or crisis item (DESIGN §12): logged above
    # (the audit row of the deletion) and on each item.
    about_them = QueueItem.objects.filter(Q(resident=resident) | Q(request__requester=resident))
    erased_items = list(about_them.filter(status=QueueStatus.OPEN).values_list("pk", flat=True))
    queue_items_close(items=about_them, now=now)
    Notification.objects.filter(
        Q(recipient_resident=resident) | Q(recipient_user_id=resident.user_id),
        status=NotificationStatus.PENDING,
    ).update(status=NotificationStatus.SKIPPED)

    # 2. Requests, proposals, follow-ups and the coordinators' notes about them.
    request_ids = list(HelpRequest.objects.filter(requester=resident).values_list("pk", flat=True))
    _strip_request_relations(request_ids)
    HelpRequest.objects.filter(pk__in=request_ids).update(
        description="", window_start=None, window_end=None, anonymised_at=now
    )
    MatchProposal.objects.filter(volunteer=resident).update(reasons=[], distance_m=None, step_back_reason="")
    FollowUp.objects.filter(respondent=resident).update(comment="")
    QueueItem.objects.filter(resident=resident).update(summary="", outcome="", release_reason="", resident=None)
    QueueItem.objects.filter(pk__in=erased_items).update(outcome=QueueOutcome.ERASED)
    Referral.objects.filter(resident=resident).update(note="", reason="", resident=None)
    ContactLog.objects.filter(resident=resident).update(note="", resident=None)
    ReferralCard.objects.filter(queue_item__resident=resident).update(resident_name="", resident_contact="", what="")
    # Calls to them go; calls to others that tell their name, address or phone lose the words and are settled.
    CallTask.objects.filter(resident=resident).delete()
    CallTask.objects.filter(Q(request__requester=resident) | Q(proposal__volunteer=resident)).update(
        say="", done_at=now, outcome=CallOutcome.NOT_NEEDED
    )
    Notification.objects.filter(Q(recipient_resident=resident) | Q(recipient_user_id=resident.user_id)).update(
        to_email="", context={}, last_error="", recipient_resident=None, recipient_user=None
    )

    # 3. The profile itself.
    Housemate.objects.filter(resident=resident).delete()
    HelpEntry.objects.filter(resident=resident).delete()
    ResidentBlock.objects.filter(Q(blocker=resident) | Q(blocked=resident)).delete()
    Consent.objects.filter(resident=resident, withdrawn_at__isnull=True).update(withdrawn_at=now)
    Resident.objects.filter(household_of=resident).update(household_of=None)
    if resident.photo:
        resident.photo.delete(save=False)
    Resident.objects.filter(pk=resident.pk).update(
        user=None,
        first_name="",
        last_name="",
        birth_date=None,
        house_description="",
        phone="",
        other_contact="",
        photo="",
        favourites="",
        dream="",
        favourite_food="",
        email="",
        street=None,
        street_typed="",
        house_number="",
        lat=None,
        lon=None,
        languages=[],
        availability=[],
        has_car=False,
        paused_until=None,
        emails_paused=True,
        weekly_digest=False,
        shared_fields=[],
        household_of=None,
        created_by=None,
        contact_note="",
        approved=False,
        is_blocked=True,
        needs_follow_up=False,
        max_active_matches=0,
        max_matches_per_month=0,
        last_active_at=None,
        deleted_at=now,
    )
    _scrub_admin_log(Resident, resident.pk)
