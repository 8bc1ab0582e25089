"""Coordination: the queue, the referral directory, referrals, contact log and referral cards (DESIGN §8)."""

from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.core.models import Neighbourhood
from burenhulp.core.tenancy import TenantQuerySet
from burenhulp.helprequests.models import FollowUp, HelpRequest, TriageLevel
from burenhulp.residents.models import Resident


class QueueKind(models.TextChoices):
    TRIAGE = "triage", _("heavy or crisis need")
    NO_MATCH = "no_match", _("no neighbour found")
    FOLLOW_UP = "follow_up", _("a follow-up raised a flag")
    CHECK_IN = "check_in", _("check in with this resident")
    REPORT = "report", _("reported content")


class QueueStatus(models.TextChoices):
    OPEN = "open", _("open")
    REFERRED = "referred", _("referred")
    RELEASED = "released", _("released to neighbours")
    CLOSED = "closed", _("closed")


class QueueOutcome(models.TextChoices):
    """Outcomes the platform writes when it closes an item itself; stored as these codes and shown in the reader's
    language (`QueueItem.outcome_text`). A coordinator's own outcome is stored as written."""

    CANCELLED = "cancelled", _("The request was cancelled.")
    ERASED = "erased", _("The resident's account was deleted.")
    MATCHED_BY_HAND = "matched by hand", _("Matched by hand with a neighbour.")
    HIDDEN = "hidden", _("Hidden by a coordinator.")


# Lower number = more urgent. Used to sort the queue with one index.
LEVEL_PRIORITY = {TriageLevel.CRISIS: 0, TriageLevel.HEAVY: 1, TriageLevel.LIGHT: 2}


class QueueItemQuerySet(TenantQuerySet["QueueItem"]):
    def open(self) -> Self:
        return self.filter(status=QueueStatus.OPEN)

    def by_urgency(self) -> Self:
        return self.order_by("priority", "-urgent", "created_at")


class QueueItem(models.Model):
    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="queue_items")
    kind = models.CharField(max_length=10, choices=QueueKind.choices)
    request = models.ForeignKey(
        HelpRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="queue_items"
    )
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    follow_up = models.ForeignKey(FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    level = models.CharField(max_length=6, choices=TriageLevel.choices, default=TriageLevel.HEAVY)
    reasons = models.JSONField(default=list, blank=True)
    priority = models.PositiveSmallIntegerField(default=1)
    urgent = models.BooleanField(default=False)
    summary = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=QueueStatus.choices, default=QueueStatus.OPEN)
    outcome = models.TextField(blank=True)
    # DESIGN §12: a resident who cancels a heavy or crisis request leaves its items open, marked (often the moment
    # to call); and a release to neighbours records why.
    resident_cancelled_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = QueueItemQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "-urgent", "created_at"]
        indexes = [
            models.Index(fields=["buurt", "status", "priority", "created_at"], name="queue_open_by_priority"),
            # The exact order of the queue page, so its first page is read straight from the index.
            models.Index(fields=["buurt", "status", "priority", "-urgent", "created_at"], name="queue_open_order"),
        ]

    def __str__(self) -> str:
        return f"queue {self.pk} {self.kind} ({self.status})"

    def is_open(self) -> bool:
        return self.status == QueueStatus.OPEN

    @property
    def outcome_text(self) -> str:
        """The outcome in the reader's language when the platform wrote it, else the coordinator's own words."""
        try:
            return str(QueueOutcome(self.outcome).label)
        except ValueError:
            return self.outcome


class ServiceKind(models.TextChoices):
    OCMW = "ocmw", _("OCMW / Sociaal Huis")
    CAW = "caw", _("CAW (general welfare work)")
    THUISZORG = "thuiszorg", _("Home care / family care")
    LDC = "ldc", _("Local service centre (lokaal dienstencentrum)")
    HUISARTS = "huisarts", _("GP / community health centre")
    MANTELZORG = "mantelzorg", _("Support for informal carers")
    SCHULDBEMIDDELING = "schuldbemiddeling", _("Debt mediation")
    WOONBEGELEIDING = "woonbegeleiding", _("Housing support")
    TELE_ONTHAAL = "tele-onthaal", _("Tele-Onthaal")
    ANDERE = "andere", _("Other")


class ProfessionalService(models.Model):
    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    what_for = models.TextField(_("what it is for"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONTACTED = "contacted", _("service contacted")
    ACCEPTED = "accepted", _("accepted by the service")
    CLOSED = "closed", _("closed")


class Referral(models.Model):
    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="referrals")
    queue_item = models.ForeignKey(
        QueueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    request = models.ForeignKey(HelpRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals")
    service = models.ForeignKey(ProfessionalService, on_delete=models.PROTECT, related_name="referrals")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    consent = models.BooleanField(_("the resident agreed"), default=False)
    note = models.TextField(_("note (coordinators only)"), blank=True)
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"referral {self.pk} to {self.service_id} ({self.status})"


class ContactLog(models.Model):
    """A phone call (belronde), a visit or a note about a resident."""

    class Kind(models.TextChoices):
        CALL = "call", _("phone call")
        VISIT = "visit", _("visit")
        NOTE = "note", _("note")

    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    queue_item = models.ForeignKey(QueueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class ReferralCard(models.Model):
    """A signal left by a care professional on the neighbourhood's public form (doorverwijskaartje)."""

    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="referral_cards")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    professional_name = models.CharField(_("your name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    professional_contact = models.CharField(_("how can we reach you?"), max_length=160)
    resident_name = models.CharField(_("name of the resident"), max_length=120)
    resident_contact = models.CharField(_("address or phone of the resident"), max_length=200, blank=True)
    what = models.TextField(_("what could help this person?"), max_length=2000)
    consent = models.BooleanField(_("the resident agreed to this signal"), default=False)
    queue_item = models.ForeignKey(QueueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"referral card {self.pk}"
