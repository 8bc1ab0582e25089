"""The outbox: one row per message, written in the same transaction as the event that causes it (DESIGN §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.core.models import Neighbourhood
from burenhulp.core.tenancy import TenantQuerySet


class NotificationQuerySet(TenantQuerySet["Notification"]):
    def unreached(self) -> NotificationQuerySet:
        """Messages a resident had to hear and did not get by email: failed, or skipped because of the person (no
        address, emails paused), not because the message became obsolete. Each one must have a call task."""
        return self.filter(
            models.Q(status=NotificationStatus.FAILED)
            | models.Q(status=NotificationStatus.SKIPPED, last_error__in=UNREACHABLE_REASONS),
            recipient_resident__isnull=False,
            template__in=CALL_TEMPLATES,
        )

    def needs_attention(self) -> NotificationQuerySet:
        """Messages that did not reach their recipient: failed for good, or skipped (no email address, emails
        paused). The coordinator dashboard lists these: whom to call instead."""
        return self.filter(status__in=[NotificationStatus.FAILED, NotificationStatus.SKIPPED]).select_related(
            "recipient_resident", "recipient_user"
        )


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed (permanent)")
    SKIPPED = "skipped", _("not sent (no email address or paused)")


class Channel(models.TextChoices):
    EMAIL = "email", _("email")


class Notification(models.Model):
    buurt = models.ForeignKey(Neighbourhood, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_resident = models.ForeignKey(
        "residents.Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    to_email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, default="nl-be")
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    template = models.CharField(max_length=60)
    context = models.JSONField(default=dict, blank=True)
    # Unique in the database: the same event never produces two messages.
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The id of the task run that claimed the row. A task redelivered after its worker died (same task id) may take
    # its own rows back at once instead of waiting for the claim to go stale.
    claimed_by = models.CharField(max_length=64, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status")]

    def __str__(self) -> str:
        return f"{self.template} -> {self.to_email or '-'} ({self.status})"


class EmailLinkUse(models.Model):
    """An emailed action link that was used. Unique per object, so a link acts once (the database is the backstop
    for two clicks at the same moment)."""

    key = models.CharField(max_length=100, unique=True)
    action = models.CharField(max_length=20)
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key} {self.action}"


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("reached, told them")
    NOT_REACHED = "not_reached", _("not reached")
    ACCEPTED = "accepted", _("said yes")
    DECLINED = "declined", _("said no")
    ANSWERED = "answered", _("answered the follow-up")
    NOT_NEEDED = "not_needed", _("no longer needed")


#: Messages that become a call when they cannot be emailed: everything a resident must hear about their request or
#: proposal. Digests are a convenience, not a signal; crisis alerts go to coordinators' accounts.
CALL_TEMPLATES = frozenset(
    {
        "proposal",
        "accepted_volunteer",
        "accepted_requester",
        "taken",
        "round_escalated",
        "no_match",
        "reminder",
        "follow_up",
    }
)
#: Why a message was skipped when the person, not the message, was the problem (other skips are obsolete messages).
UNREACHABLE_REASONS = ("no email address", "emails paused")


class CallTaskQuerySet(TenantQuerySet["CallTask"]):
    def open(self) -> CallTaskQuerySet:
        return self.filter(done_at__isnull=True)


class CallTask(models.Model):
    """A message that could not be emailed, on the coordinator's call list (belronde, DESIGN §12): whom to call, what
    to tell them, and, once called, what they answered."""

    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="call_task")
    resident = models.ForeignKey("residents.Resident", on_delete=models.CASCADE, related_name="call_tasks")
    template = models.CharField(max_length=60)
    #: What to tell them, short, in their language, written when the task is made.
    say = models.TextField(blank=True)
    why = models.CharField(max_length=200, blank=True)
    request = models.ForeignKey(
        "helprequests.HelpRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal = models.ForeignKey(
        "helprequests.MatchProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up = models.ForeignKey(
        "helprequests.FollowUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=CallOutcome.choices, blank=True)

    objects = CallTaskQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["buurt", "created_at", "id"], condition=models.Q(done_at__isnull=True), name="calltask_open"
            )
        ]

    def __str__(self) -> str:
        return f"call {self.template} -> resident {self.resident_id}"

    def is_open(self) -> bool:
        return self.done_at is None
