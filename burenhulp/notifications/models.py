"""The outbox: one row per message, written in the same transaction as the event that causes it (DESIGN §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.core.models import Neighbourhood
from burenhulp.core.tenancy import TenantQuerySet


class NotificationQuerySet(TenantQuerySet["Notification"]):
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
