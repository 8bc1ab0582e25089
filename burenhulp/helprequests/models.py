"""Help requests (hulpvragen), match proposals and follow-ups (DESIGN §3, §5)."""

from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.core.categories import Category
from burenhulp.core.models import Neighbourhood
from burenhulp.core.tenancy import TenantQuerySet
from burenhulp.residents.models import CreatedVia, Resident

DESCRIPTION_MAX = 2000


class CameInBy(models.TextChoices):
    """How a request a coordinator entered on someone's behalf came in."""

    PHONE = "phone", _("by phone")
    VISIT = "visit", _("on a visit")
    PAPER_CARD = "paper_card", _("on a paper card")
    REFERRAL_CARD = "referral_card", _("on a referral card")


class TransitionError(Exception):
    """A status change that is not allowed from the current status. HTML views show it, the API answers 409."""


class TriageLevel(models.TextChoices):
    LIGHT = "light", _("light: neighbours can help")
    HEAVY = "heavy", _("heavy: a coordinator refers it on")
    CRISIS = "crisis", _("crisis: a coordinator acts now")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    PROPOSED = "proposed", _("proposed to neighbours")
    MATCHED = "matched", _("a neighbour said yes")
    DONE = "done", _("done")
    QUEUED = "queued", _("with the coordinator")
    REFERRED = "referred", _("referred to a service")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")


class Recurrence(models.TextChoices):
    NONE = "", _("once")
    WEEKLY = "weekly", _("every week")
    MONTHLY = "monthly", _("every month")


# What each status means, in one place (DESIGN §3). Views, the API, the workflows and the matching rules ask the
# model (`is_open()`, `.open()`) instead of repeating these sets.
#: Open to neighbours: may be proposed (rule 9 of DESIGN §5, with a light level).
OPEN_STATUSES = frozenset({RequestStatus.OPEN, RequestStatus.PROPOSED})
#: Still waiting for someone: the requester (or a coordinator) may cancel it; erasure stops it.
LIVE_STATUSES = frozenset({*OPEN_STATUSES, RequestStatus.QUEUED, RequestStatus.MATCHED})
#: A round may start from these (a coordinator may restart a request queued for want of a match).
ROUND_STATUSES = frozenset({*OPEN_STATUSES, RequestStatus.QUEUED})
#: Finished: the retention clock runs from `closed_at`.
CLOSED_STATUSES = frozenset(
    {RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.EXPIRED, RequestStatus.REFERRED}
)
#: A neighbour said yes (the reports' "matched").
REACHED_STATUSES = frozenset({RequestStatus.MATCHED, RequestStatus.DONE})


class HelpRequestQuerySet(TenantQuerySet["HelpRequest"]):
    def open(self) -> Self:
        """Open to neighbours (open or proposed)."""
        return self.filter(status__in=OPEN_STATUSES)

    def matchable(self) -> Self:
        """Light and open: neighbours may be proposed these (rule 9)."""
        return self.open().filter(triage_level=TriageLevel.LIGHT)

    def live(self) -> Self:
        return self.filter(status__in=LIVE_STATUSES)

    def closed(self) -> Self:
        return self.filter(status__in=CLOSED_STATUSES)

    def locked(self, pk: int) -> HelpRequest:
        """The request row locked for this transaction (`select_for_update`), with its neighbourhood and its
        requester's street loaded. Only the request row is locked (the street is an outer join)."""
        return self.select_for_update(of=("self",)).select_related("buurt", "requester__street").get(pk=pk)


class HelpRequest(models.Model):
    buurt = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="help_requests")
    requester = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="help_requests")
    # The id in page URLs: never an enumerable integer in a public URL.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.CharField(_("kind of help"), max_length=20, choices=Category.choices)
    description = models.TextField(_("what do you need?"), max_length=DESCRIPTION_MAX)
    window_start = models.DateTimeField(_("from"), null=True, blank=True)
    window_end = models.DateTimeField(_("until"), null=True, blank=True)
    recurrence = models.CharField(_("how often"), max_length=10, choices=Recurrence.choices, blank=True, default="")
    urgent = models.BooleanField(_("it is urgent"), default=False)
    sensitive_topic = models.BooleanField(_("it is about health, housing, money or safety"), default=False)

    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    triage_level = models.CharField(max_length=6, choices=TriageLevel.choices, default=TriageLevel.LIGHT)
    triage_reasons = models.JSONField(default=list, blank=True)
    triage_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triage_overridden_at = models.DateTimeField(null=True, blank=True)

    created_via = models.CharField(max_length=12, choices=CreatedVia.choices, default=CreatedVia.SELF)
    came_in_by = models.CharField(_("how the request came in"), max_length=16, choices=CameInBy.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    current_round = models.PositiveSmallIntegerField(default=0)
    round_started_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["buurt", "status", "created_at"], name="request_buurt_status"),
            models.Index(fields=["status", "round_started_at"], name="request_round_due"),
            models.Index(fields=["requester", "created_at"], name="request_requester"),
        ]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} ({self.status})"

    @property
    def is_light(self) -> bool:
        return self.triage_level == TriageLevel.LIGHT

    def is_open(self) -> bool:
        """Open to neighbours: open or proposed."""
        return self.status in OPEN_STATUSES

    def is_matchable(self) -> bool:
        """Neighbours may be proposed it: light, and open or proposed (rule 9)."""
        return self.is_light and self.is_open()

    def is_live(self) -> bool:
        """Still waiting for someone, so it can be cancelled."""
        return self.status in LIVE_STATUSES

    def reached_a_match(self) -> bool:
        return self.status in REACHED_STATUSES

    def proposals_in_order(self) -> models.QuerySet[MatchProposal]:
        """Every proposal of this request, by round, best score first."""
        return self.proposals.order_by("round", "-score", "pk")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


class MatchProposalQuerySet(TenantQuerySet["MatchProposal"]):
    buurt_lookup = "request__buurt"


class MatchProposal(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="proposals")
    volunteer = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="proposals")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    score = models.FloatField()
    distance_m = models.FloatField(null=True, blank=True)
    # Reason codes with their values, e.g. [{"code": "distance", "m": 200}]; words are chosen at display time,
    # in the reader's language.
    reasons = models.JSONField(default=list)
    round = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # A volunteer who accepted and then stepped back (DESIGN §12): when, and the reason they gave (coordinators only).
    stepped_back_at = models.DateTimeField(null=True, blank=True)
    step_back_reason = models.TextField(blank=True)

    objects = MatchProposalQuerySet.as_manager()

    class Meta:
        ordering = ["request", "round", "-score"]
        constraints = [
            # At most one accepted proposal per request: the database is the last line of defence.
            models.UniqueConstraint(
                fields=["request"], condition=Q(status="accepted"), name="one_accepted_proposal_per_request"
            ),
            models.UniqueConstraint(fields=["request", "volunteer"], name="one_proposal_per_volunteer"),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status"], name="proposal_volunteer_status"),
            models.Index(fields=["status", "created_at"], name="proposal_status_created"),
        ]

    def __str__(self) -> str:
        return f"proposal {self.pk}: request {self.request_id} to {self.volunteer_id} ({self.status})"

    def is_open(self) -> bool:
        """Still waiting for this volunteer's answer."""
        return self.status == ProposalStatus.PROPOSED

    def is_answered(self) -> bool:
        """This volunteer said yes or no."""
        return self.status in (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED)


class FollowUp(models.Model):
    """After the date: did it happen, how did it go, was it too much? One per request and side."""

    class Role(models.TextChoices):
        REQUESTER = "requester", _("asked for help")
        VOLUNTEER = "volunteer", _("helped")

    class Happened(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        PARTLY = "partly", _("partly")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="follow_ups")
    respondent = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="follow_ups")
    role = models.CharField(max_length=10, choices=Role.choices)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    happened = models.CharField(_("did it happen?"), max_length=6, choices=Happened.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("how did it go?"), null=True, blank=True)
    comment = models.TextField(_("anything to add?"), max_length=2000, blank=True)
    too_much = models.BooleanField(_("it was too much for me"), default=False)
    hand_to_coordinator = models.BooleanField(_("please let the coordinator take this over"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "respondent"], name="one_follow_up_per_side")]

    def __str__(self) -> str:
        return f"follow-up {self.request_id} {self.role}"

    @property
    def raises_flag(self) -> bool:
        return self.too_much or self.hand_to_coordinator or self.happened == self.Happened.NO
