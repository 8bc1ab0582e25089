"""The Burenbox: a resident's neighbour profile (DESIGN §3, the paper card of Figuur 7)."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.core.categories import Category
from burenhulp.core.models import Language, Neighbourhood, Street
from burenhulp.core.tenancy import TenantQuerySet

HOUSE_NUMBER_VALIDATOR = RegexValidator(
    r"^[1-9][0-9]{0,4}(\s?[A-Za-z]{1,2})?(\s?(bus|b|/)\s?[0-9A-Za-z]{1,5})?$",
    _("Enter a house number such as 12, 12B or 12 bus 3."),
)


class DayPart(models.TextChoices):
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")


# Local hours of each part of the day (DESIGN §5 rule 7).
DAY_PART_HOURS = {"morning": (8, 12), "afternoon": (12, 18), "evening": (18, 22)}


class CreatedVia(models.TextChoices):
    SELF = "self", _("by the resident")
    COORDINATOR = "coordinator", _("by a coordinator on their behalf")
    REFERRAL = "referral", _("through a referral")


class ConsentHow(models.TextChoices):
    ONLINE = "online", _("online")
    VERBAL = "verbal", _("verbally")
    PAPER = "paper", _("on paper")


class ContactVia(models.TextChoices):
    EMAIL = "email", _("email")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    RELATIVE = "relative", _("via a relative or neighbour")
    VISIT = "visit", _("a visit")


# Card fields a resident may choose to show to neighbours. The exact address and phone are never among them:
# they are revealed only to the volunteer who accepted, for that request.
SHAREABLE_FIELDS = (
    "last_name",
    "photo",
    "birthday",
    "housemates",
    "house_description",
    "favourites",
    "dream",
    "favourite_food",
    "languages",
    "street",
    "offers",
    "wants",
)
DEFAULT_SHARED = ["offers", "wants", "languages"]


def default_visibility() -> list[str]:
    return list(DEFAULT_SHARED)


class ResidentQuerySet(TenantQuerySet["Resident"]):
    def active(self) -> ResidentQuerySet:
        """Residents whose Burenbox may be used: not blocked, not deleted, platform consent not withdrawn."""
        return self.filter(is_blocked=False, deleted_at__isnull=True, consent_withdrawn_at__isnull=True)

    def shared_with_neighbours(self) -> ResidentQuerySet:
        """Residents who chose to show their card to neighbours (a live "share_profile" consent)."""
        return self.active().filter(consents__purpose="share_profile", consents__withdrawn_at__isnull=True)

    def approved(self) -> ResidentQuerySet:
        return self.filter(approved=True)


def photo_path(instance: Resident, filename: str) -> str:
    # Random names: never guessable, never the uploader's file name.
    return f"photos/{uuid.uuid4().hex}.jpg"


class Resident(models.Model):
    """A resident's Burenbox. Every card field but the first name is optional."""

    buurt = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="residents")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="resident"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    # The card
    first_name = models.CharField(_("first name"), max_length=60)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    birth_date = models.DateField(_("birthday"), null=True, blank=True)
    house_description = models.CharField(
        _("my house"), max_length=300, blank=True, help_text=_("How to find me: a green door, 3rd floor…")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    other_contact = models.CharField(_("other way to reach me"), max_length=120, blank=True)
    photo = models.ImageField(_("photo or drawing of myself"), upload_to=photo_path, blank=True)
    favourites = models.CharField(_("my favourite book, film or music"), max_length=200, blank=True)
    dream = models.CharField(_("something I still want to do one day"), max_length=200, blank=True)
    favourite_food = models.CharField(_("what I could eat every day"), max_length=200, blank=True)

    # Beyond the card
    email = models.EmailField(_("email address"), blank=True)
    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents", verbose_name=_("street")
    )
    house_number = models.CharField(_("house number"), max_length=16, blank=True, validators=[HOUSE_NUMBER_VALIDATOR])
    # A street the resident typed that is not on the neighbourhood's list: kept here, with the resident only (never a
    # shared Street row, never suggested to others), until a coordinator confirms it (`residents.services`).
    street_typed = models.CharField(_("street as typed, to be confirmed"), max_length=120, blank=True)
    lat = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    language = models.CharField(_("language for messages"), max_length=8, choices=Language.choices, default=Language.NL)
    languages = models.JSONField(_("languages I speak"), default=list, blank=True)
    # [{"day": 0..6 (Monday = 0), "part": "morning" | "afternoon" | "evening"}]; empty = flexible.
    availability = models.JSONField(_("when I can help"), default=list, blank=True)
    has_car = models.BooleanField(_("I have a car"), default=False)
    max_active_matches = models.PositiveSmallIntegerField(
        _("at most this many helps at the same time"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    max_matches_per_month = models.PositiveSmallIntegerField(
        _("at most this many helps a month"), default=6, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    paused_until = models.DateField(_("pause helping until"), null=True, blank=True)
    emails_paused = models.BooleanField(_("send me no emails for now"), default=False)
    weekly_digest = models.BooleanField(_("weekly email with requests near me"), default=False)
    shared_fields = models.JSONField(_("what neighbours may see"), default=default_visibility, blank=True)

    # Household: residents pointing at the household's first resident, plus anyone at the same address.
    household_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="household_members"
    )

    # Intake and moderation
    created_via = models.CharField(max_length=12, choices=CreatedVia.choices, default=CreatedVia.SELF)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_how = models.CharField(max_length=8, choices=ConsentHow.choices, default=ConsentHow.ONLINE)
    contact_via = models.CharField(max_length=10, choices=ContactVia.choices, default=ContactVia.EMAIL)
    contact_note = models.CharField(_("how to reach this person"), max_length=200, blank=True)
    approved = models.BooleanField(default=True)
    is_blocked = models.BooleanField(default=False)
    needs_follow_up = models.BooleanField(_("marked for follow-up by a coordinator"), default=False)
    # Set when the resident withdraws the platform consent: the Burenbox is then not used at all (no matching, no
    # card for neighbours) until they give it again. Matching filters on it through `Resident.objects.active()`.
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_active_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["first_name", "last_name"]
        indexes = [
            models.Index(fields=["buurt", "lat", "lon"], name="resident_buurt_geo"),
            models.Index(fields=["street", "house_number"], name="resident_address"),
        ]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return self.first_name

    # Reads -------------------------------------------------------------------------------------------------------

    def is_paused(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.paused_until is not None and today <= self.paused_until

    def can_act(self, today: date | None = None) -> bool:
        """May this resident act as a volunteer now (DESIGN §12): not blocked, paused, erased or without consent,
        and their account (if any) not disabled. Accepting, the link pages and the outbox all ask this."""
        if self.is_blocked or self.deleted_at is not None or self.consent_withdrawn_at is not None:
            return False
        if self.is_paused(today):
            return False
        return not (self.user_id is not None and self.user is not None and not self.user.is_active)

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def offered_categories(self) -> set[str]:
        return {h.category for h in self.help_entries.all() if h.kind == HelpKind.OFFER}

    def wanted_categories(self) -> set[str]:
        return {h.category for h in self.help_entries.all() if h.kind == HelpKind.WANT}

    @property
    def household_root_id(self) -> int:
        return self.household_of_id or self.pk

    # Behaviour ---------------------------------------------------------------------------------------------------

    def pause(self, until: date) -> None:
        self.paused_until = until
        self.save(update_fields=["paused_until", "updated_at"])

    def resume(self) -> None:
        self.paused_until = None
        self.save(update_fields=["paused_until", "updated_at"])

    def touch(self) -> None:
        self.last_active_at = timezone.now()
        self.save(update_fields=["last_active_at"])


class Housemate(models.Model):
    """A housemate's name and birthday as written on the card (not an account)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="housemates")
    name = models.CharField(_("name"), max_length=80)
    birthday = models.DateField(_("birthday"), null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class HelpKind(models.TextChoices):
    OFFER = "offer", _("I can offer help")
    WANT = "want", _("I could use help")


class HelpEntry(models.Model):
    """One ticked box of the card's help table. The neighbourhood is copied here so that candidate selection is
    one indexed lookup (neighbourhood, kind, category)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="help_entries")
    buurt = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=Category.choices)
    kind = models.CharField(max_length=5, choices=HelpKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resident", "category", "kind"], name="help_entry_unique"),
        ]
        # Covering (PostgreSQL): candidate selection reads the residents of one (buurt, kind, category) from the
        # index alone. SQLite ignores `include`.
        indexes = [
            models.Index(fields=["buurt", "kind", "category"], name="help_entry_offers", include=["resident"]),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.kind} {self.category}"


class Consent(models.Model):
    """What a resident agreed to, when, how and with which text version. Withdrawing stops that use."""

    class Purpose(models.TextChoices):
        PLATFORM = "platform", _("Keep my Burenbox and match me with neighbours")
        SHARE_PROFILE = "share_profile", _("Show my shared card to neighbours")
        PHOTO = "photo", _("Show my photo to neighbours")
        DIGEST = "digest", _("Send me a weekly digest of requests nearby")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    text_version = models.CharField(max_length=20)
    how = models.CharField(max_length=8, choices=ConsentHow.choices, default=ConsentHow.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "purpose"], condition=Q(withdrawn_at__isnull=True), name="one_live_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.purpose} {self.text_version}"

    def withdraw(self) -> None:
        self.withdrawn_at = timezone.now()
        self.save(update_fields=["withdrawn_at"])


class ResidentBlock(models.Model):
    """A resident does not want to be helped by (or proposed to) another resident."""

    blocker = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


# --- Words of the card (shown on the pages and printed cards) -----------------------------------------------

# The version of the consent texts below. Change it whenever a text changes, so each consent records what was read.
CONSENT_TEXT_VERSION = "2026-01"
CONSENT_TEXTS = {
    Consent.Purpose.PLATFORM: _(
        "Burenhulp keeps my Burenbox and may suggest me to neighbours who ask for the kind of help I offer. "
        "I can stop this at any time."
    ),
    Consent.Purpose.SHARE_PROFILE: _("Neighbours who use Burenhulp may see the parts of my card that I choose."),
    Consent.Purpose.PHOTO: _("Neighbours who use Burenhulp may see my photo or drawing."),
    Consent.Purpose.DIGEST: _("Burenhulp may send me a weekly email with requests for help near me."),
}

DAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
SHAREABLE_LABELS = {
    "last_name": _("my last name"),
    "photo": _("my photo or drawing"),
    "birthday": _("my birthday (day and month)"),
    "housemates": _("my housemates"),
    "house_description": _("how to find my house"),
    "favourites": _("my favourite book, film or music"),
    "dream": _("something I still want to do one day"),
    "favourite_food": _("what I could eat every day"),
    "languages": _("the languages I speak"),
    "street": _("my street (never the house number)"),
    "offers": _("the help I offer"),
    "wants": _("the help I could use"),
}
MAX_HOUSEMATES = 10
