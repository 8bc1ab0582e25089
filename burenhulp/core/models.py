"""Accounts, neighbourhoods (tenancy), streets and the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.core.emails import email_key


class Language(models.TextChoices):
    NL = "nl-be", "Nederlands"
    FR = "fr", "Français"
    EN = "en", "English"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email_key(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Exact, on the one stored form: `iexact` (SQL UPPER) matched look-alike letters on PostgreSQL (M1).
        return self.get(email=email_key(username or ""))


class User(AbstractUser):
    """An account. Email is the login; residents without email have no account at all."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.NL)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = email_key(self.email)
        super().save(*args, **kwargs)

    @property
    def is_coordinator(self) -> bool:
        return self.coordinated_buurten.exists()


class Neighbourhood(models.Model):
    """A caring neighbourhood (zorgzame buurt): the tenant every other record belongs to."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    postcodes = models.JSONField(_("postcodes"), default=list, blank=True)
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    match_radius_m = models.PositiveIntegerField(
        _("match radius (m)"), default=1500, validators=[MinValueValidator(50), MaxValueValidator(50_000)]
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=Language.choices, default=Language.NL
    )
    proposals_per_round = models.PositiveSmallIntegerField(
        _("proposals per round"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    round_hours = models.PositiveSmallIntegerField(
        _("hours before a round escalates"), default=24, validators=[MinValueValidator(1), MaxValueValidator(24 * 14)]
    )
    max_rounds = models.PositiveSmallIntegerField(
        _("rounds before the coordinator is asked"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    requires_approval = models.BooleanField(_("new profiles need approval"), default=False)
    emergency_number = models.CharField(_("emergency number"), max_length=30, default="112")
    contact_phone = models.CharField(_("local contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("local contact email"), blank=True)
    contact_address = models.CharField(_("local contact point"), max_length=200, blank=True)
    retention_days = models.PositiveIntegerField(
        _("keep closed requests for (days)"), default=730, validators=[MinValueValidator(30)]
    )
    triage_terms = models.JSONField(
        _("extra triage terms"),
        default=dict,
        blank=True,
        help_text=_('Extra words per level, e.g. {"heavy": ["schimmel"], "crisis": ["..."]}.'),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_buurten", blank=True, verbose_name=_("coordinators")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name


class HelpLine(models.Model):
    """An emergency or help line shown with a crisis (DESIGN §4, §12), per neighbourhood and reader's language.
    A neighbourhood without rows for a language shows the defaults of `burenhulp.core.helplines`."""

    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="help_lines")
    language = models.CharField(
        _("for readers of"), max_length=8, choices=[("", _("every language")), *Language.choices], blank=True
    )
    number = models.CharField(_("number"), max_length=30)
    label = models.CharField(_("what it is for"), max_length=160, help_text=_("Without the number itself."))
    hours = models.CharField(_("when it answers"), max_length=120, help_text=_("For example: day and night."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("help line")
        verbose_name_plural = _("help lines")

    def __str__(self) -> str:
        return f"{self.number} {self.label}"


class Street(models.Model):
    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="streets")
    name = models.CharField(_("street"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["buurt", "name"], name="street_unique_per_buurt")]
        verbose_name = _("street")
        verbose_name_plural = _("streets")

    def __str__(self) -> str:
        return self.name


class AuditQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit log rows cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit log rows cannot be deleted.")


class AuditLog(models.Model):
    """Who viewed or changed which sensitive record, when and why. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CHANGE = "change", _("changed")
        CREATE = "create", _("created")
        OVERRIDE = "override", _("overrode triage")
        EXPORT = "export", _("exported")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("signed in")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    buurt = models.ForeignKey(Neighbourhood, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    # The resident whose data this concerns, so "who viewed my data" is one indexed query.
    subject_resident_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    reason = models.CharField(max_length=200, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Integrity guard, not business logic: an existing row is never rewritten.
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit log rows cannot be deleted.")


def acting_account(by: Any) -> User | None:
    """The signed-in account behind an action, or None (a signed email link, a task, an anonymous visitor)."""
    return by if getattr(by, "is_authenticated", False) else None


def audit(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    buurt: Neighbourhood | None = None,
    subject_resident_id: int | None = None,
    reason: str = "",
) -> AuditLog:
    """Record one view or change of sensitive data.

    Unless said otherwise, the row is about the resident the target is about (the resident itself, a request's
    requester, a queue item's or referral's resident) and about the target's neighbourhood (the neighbourhood itself,
    or the one it belongs to)."""
    label = target._meta.label_lower
    if subject_resident_id is None:
        if label == "residents.resident":
            subject_resident_id = target.pk
        else:
            subject_resident_id = getattr(target, "requester_id", None) or getattr(target, "resident_id", None)
    buurt_id: int | None
    if buurt is not None:
        buurt_id = buurt.pk
    else:
        buurt_id = target.pk if isinstance(target, Neighbourhood) else getattr(target, "buurt_id", None)
    return AuditLog.objects.create(
        actor=acting_account(actor),
        action=action,
        target_type=label,
        target_id=str(target.pk),
        buurt_id=buurt_id,
        subject_resident_id=subject_resident_id,
        reason=reason[:200],
    )


class Branding(models.Model):
    """How the platform presents itself for a municipality or one neighbourhood: name, logo, colour, contact line
    and the privacy and accessibility statements. Set without code: in the Django admin, or by a coordinator on
    the neighbourhood's "Huisstijl" page. The most specific one wins:
    the neighbourhood's, then its municipality's, then the platform's (neither filled in). The rules (contrast,
    logo) live in burenhulp/core/branding.py."""

    buurt = models.OneToOneField(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="branding",
        help_text=_("Only for this neighbourhood. Leave empty for a whole municipality or the whole platform."),
    )
    municipality = models.CharField(
        _("municipality"),
        max_length=120,
        blank=True,
        help_text=_("For every neighbourhood of this municipality (as written on the neighbourhood)."),
    )
    name = models.CharField(_("name shown to residents"), max_length=80, default="Burenhulp")
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#1d5e3a",
        help_text=_("A dark colour as #rrggbb: white text on it must stay easy to read."),
    )
    contact_line = models.CharField(
        _("contact line"),
        max_length=200,
        blank=True,
        help_text=_("Shown at the bottom of every page and email, e.g. 'Zorgpunt Wakken · 056 12 34 56'."),
    )
    privacy_statement = models.TextField(_("privacy statement"), blank=True)
    accessibility_statement = models.TextField(_("accessibility statement"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("branding")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], condition=models.Q(buurt__isnull=True), name="one_branding_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name

    #: Pages read the branding from the cache (`core.branding.branding_for`); a change starts a new generation.
    CACHE_GENERATION_KEY = "branding:generation"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        Branding.changed()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        Branding.changed()
        return deleted

    @staticmethod
    def changed() -> None:
        try:
            cache.incr(Branding.CACHE_GENERATION_KEY)
        except ValueError:
            cache.set(Branding.CACHE_GENERATION_KEY, 1, None)


def audit_list(
    *,
    actor: Any,
    targets: Iterable[models.Model],
    reason: str,
    buurt: Neighbourhood | None = None,
    subject_of: Callable[[Any], int | None] | None = None,
) -> int:
    """Record that a coordinator saw a list (queue, proposals, candidates, moderation, referral cards): one "view"
    row per listed record, about the resident it is about, written in one INSERT (so a page stays within its query
    budget). Returns how many rows were written (issue #14 L9)."""
    account = acting_account(actor)
    rows = []
    for target in targets:
        label = target._meta.label_lower
        if subject_of is not None:
            subject = subject_of(target)
        elif label == "residents.resident":
            subject = target.pk
        else:
            subject = (
                getattr(target, "requester_id", None)
                or getattr(target, "resident_id", None)
                or getattr(target, "volunteer_id", None)
            )
        rows.append(
            AuditLog(
                actor=account,
                action=AuditLog.Action.VIEW,
                target_type=label,
                target_id=str(target.pk),
                buurt_id=buurt.pk if buurt is not None else getattr(target, "buurt_id", None),
                subject_resident_id=subject,
                reason=reason[:200],
            )
        )
    if rows:
        AuditLog.objects.bulk_create(rows)
    return len(rows)


class ApiToken(models.Model):
    """An API token (DESIGN §9): only a SHA-256 digest of the key is stored, with a short prefix to find it, and it
    expires. Issued and checked by `burenhulp.core.apitokens`; revoked on password change, reset and MFA changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"token {self.prefix}… of user {self.user_id}"
