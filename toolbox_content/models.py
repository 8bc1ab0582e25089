"""Local notes: what a coordinator adds beside the shared guidance for one neighbourhood."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from burenhulp.core.models import Neighbourhood
from burenhulp.core.tenancy import TenantQuerySet
from toolbox_content.guidance import render_markdown


class LocalNoteQuerySet(TenantQuerySet["LocalNote"]):
    def shown(self, *, language: str, audiences: tuple[str, ...] | None = None) -> LocalNoteQuerySet:
        """Notes in this language (or for every language), for one of these audiences (or for everyone)."""
        qs = self.filter(models.Q(language="") | models.Q(language=language))
        if audiences:
            qs = qs.filter(models.Q(audience="") | models.Q(audience__in=audiences))
        return qs


class LocalNote(models.Model):
    """A note for the residents of one neighbourhood: local contacts, a volunteer charter, a meeting place."""

    class Language(models.TextChoices):
        ALL = "", _("Every language")
        NL = "nl", "Nederlands"
        FR = "fr", "Français"
        EN = "en", "English"

    class Audience(models.TextChoices):
        ALL = "", _("Everyone")
        RESIDENT = "resident", _("Residents")
        VOLUNTEER = "volunteer", _("Volunteers")
        COORDINATOR = "coordinator", _("Coordinators")

    buurt = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="local_notes", verbose_name=_("neighbourhood")
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        max_length=10_000,
        help_text=_(
            "Plain text. You may use Markdown: **bold**, a list with - at the start of a line, [a link](https://…)."
        ),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True, default="")
    audience = models.CharField(_("for whom"), max_length=12, choices=Audience.choices, blank=True, default="")
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalNoteQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("local note")
        verbose_name_plural = _("local notes")
        indexes = [models.Index(fields=["buurt", "language"])]

    def __str__(self) -> str:
        return self.title

    @property
    def html(self) -> SafeString:
        return render_markdown(self.body)
