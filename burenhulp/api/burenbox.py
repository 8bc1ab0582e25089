"""The Burenbox as the API reads and writes it (DESIGN §9 residents): one serializer for the coordinator's and the
resident's endpoints, with the card form's rules (`burenhulp/residents/validation.py`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from burenhulp.api.fields import StrictTypes
from burenhulp.core.categories import Category
from burenhulp.core.emails import email_key, normalize_email
from burenhulp.core.models import Language, Neighbourhood
from burenhulp.residents.models import (
    HOUSE_NUMBER_VALIDATOR,
    SHAREABLE_FIELDS,
    ConsentHow,
    ContactVia,
    DayPart,
    HelpKind,
    Resident,
)
from burenhulp.residents.validation import (
    clean_first_name,
    clean_house_number,
    clean_languages,
    clean_last_name,
    validate_birthday,
    validate_pause_date,
    validate_phone,
)


class AvailabilitySerializer(StrictTypes, serializers.Serializer):
    day = serializers.IntegerField(min_value=0, max_value=6)
    part = serializers.ChoiceField(choices=DayPart.choices)


class HousemateSerializer(StrictTypes, serializers.Serializer):
    name = serializers.CharField(max_length=80)
    birthday = serializers.DateField(required=False, allow_null=True, validators=[validate_birthday])


class CategorySlugField(serializers.ChoiceField):
    default_error_messages = {"invalid_choice": _('"{input}" is not a known help category.')}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Category.values, **kwargs)


class ResidentSerializer(StrictTypes, serializers.Serializer):
    """The Burenbox profile. Field names follow DESIGN §9; the card's other fields are added alongside."""

    id = serializers.IntegerField(read_only=True)
    buurt = serializers.SlugField(required=False)
    first_name = serializers.CharField(max_length=60)
    last_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, validators=[validate_phone])
    other_contact = serializers.CharField(max_length=120, required=False, allow_blank=True)
    street = serializers.CharField(max_length=120, required=False, allow_blank=True, allow_null=True)
    street_confirmed = serializers.BooleanField(
        read_only=True,
        help_text="False while the street is not on the neighbourhood's list yet (a coordinator confirms it).",
    )
    house_number = serializers.CharField(
        max_length=16, required=False, allow_blank=True, validators=[HOUSE_NUMBER_VALIDATOR]
    )
    house_description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True, validators=[validate_birthday])
    housemates = HousemateSerializer(many=True, required=False)
    favourites = serializers.CharField(max_length=200, required=False, allow_blank=True)
    dream = serializers.CharField(max_length=200, required=False, allow_blank=True)
    favourite_food = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False, max_length=20)
    offers = serializers.ListField(child=CategorySlugField(), required=False, max_length=12)
    wants = serializers.ListField(child=CategorySlugField(), required=False, max_length=12)
    availability = AvailabilitySerializer(many=True, required=False)
    has_car = serializers.BooleanField(required=False)
    max_active_matches = serializers.IntegerField(min_value=0, max_value=20, required=False)
    max_matches_per_month = serializers.IntegerField(min_value=0, max_value=60, required=False)
    paused_until = serializers.DateField(required=False, allow_null=True)
    emails_paused = serializers.BooleanField(required=False)
    weekly_digest = serializers.BooleanField(required=False)
    shared_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SHAREABLE_FIELDS)), required=False, max_length=len(SHAREABLE_FIELDS)
    )
    household_of = serializers.IntegerField(required=False, allow_null=True)
    consent_how = serializers.ChoiceField(choices=ConsentHow.choices, required=False)
    contact_via = serializers.ChoiceField(choices=ContactVia.choices, required=False)
    contact_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    # Read-only facts
    is_paused = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()
    created_via = serializers.CharField(read_only=True)
    approved = serializers.BooleanField(read_only=True)
    consent_withdrawn = serializers.SerializerMethodField()
    blocked = serializers.BooleanField(
        required=False,
        help_text="Coordinators (PATCH): block this Burenbox in this neighbourhood, never the account; its open "
        "proposals are withdrawn.",
    )

    # Fields a resident may not set on their own profile.
    COORDINATOR_ONLY = ("household_of", "consent_how", "contact_via", "contact_note", "blocked")

    def __init__(self, *args: Any, scope_buurten: Any = None, as_coordinator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_buurten = scope_buurten
        self.as_coordinator = as_coordinator

    def get_is_paused(self, obj: Resident) -> bool:
        return obj.is_paused()

    def get_has_photo(self, obj: Resident) -> bool:
        return bool(obj.photo)

    def get_consent_withdrawn(self, obj: Resident) -> bool:
        return obj.consent_withdrawn_at is not None

    def to_representation(self, instance: Resident) -> dict[str, Any]:
        entries = list(instance.help_entries.all())
        return {
            "id": instance.pk,
            "buurt": instance.buurt.slug,
            "first_name": instance.first_name,
            "last_name": instance.last_name,
            "email": instance.email,
            "phone": instance.phone,
            "other_contact": instance.other_contact,
            "street": instance.street.name if instance.street else (instance.street_typed or None),
            "street_confirmed": instance.street_id is not None,
            "house_number": instance.house_number,
            "house_description": instance.house_description,
            "lat": instance.lat,
            "lon": instance.lon,
            "birth_date": instance.birth_date.isoformat() if instance.birth_date else None,
            "housemates": [
                {"name": h.name, "birthday": h.birthday.isoformat() if h.birthday else None}
                for h in instance.housemates.all()
            ],
            "favourites": instance.favourites,
            "dream": instance.dream,
            "favourite_food": instance.favourite_food,
            "language": instance.language,
            "languages": instance.languages,
            "offers": sorted(e.category for e in entries if e.kind == HelpKind.OFFER),
            "wants": sorted(e.category for e in entries if e.kind == HelpKind.WANT),
            "availability": instance.availability,
            "has_car": instance.has_car,
            "max_active_matches": instance.max_active_matches,
            "max_matches_per_month": instance.max_matches_per_month,
            "paused_until": instance.paused_until.isoformat() if instance.paused_until else None,
            "emails_paused": instance.emails_paused,
            "weekly_digest": instance.weekly_digest,
            "shared_fields": instance.shared_fields,
            "household_of": instance.household_of_id,
            "consent_how": instance.consent_how,
            "contact_via": instance.contact_via,
            "contact_note": instance.contact_note,
            "is_paused": instance.is_paused(),
            "has_photo": bool(instance.photo),
            "created_via": instance.created_via,
            "approved": instance.approved,
            "consent_withdrawn": instance.consent_withdrawn_at is not None,
            "blocked": instance.is_blocked,
        }

    # --- validation ---

    # The same rules as the card form (burenhulp/residents/validation.py); DRF turns their ValidationError into
    # the field's errors.
    def validate_first_name(self, value: str) -> str:
        return clean_first_name(value)

    def validate_last_name(self, value: str) -> str:
        return clean_last_name(value)

    def validate_house_number(self, value: str) -> str:
        return clean_house_number(value)

    def validate_languages(self, value: list[str]) -> list[str]:
        return clean_languages(value)

    def validate_paused_until(self, value: Any) -> Any:
        validate_pause_date(value)
        return value

    def validate_email(self, value: str) -> str:
        try:
            return normalize_email(value) if value.strip() else ""
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: Resident | None = self.instance
        if not self.as_coordinator:
            sent = self.initial_data if isinstance(self.initial_data, dict) else {}
            for name in self.COORDINATOR_ONLY:
                if name in sent:
                    raise serializers.ValidationError({name: [_("You cannot change this yourself.")]})
            if instance is not None:
                # The sign-in address and the neighbourhood are not changed here; sending them unchanged is fine.
                if "email" in attrs and attrs.pop("email") != email_key(instance.email):
                    raise serializers.ValidationError(
                        {"email": [_("Change your sign-in address in your account settings.")]}
                    )
                if "buurt" in attrs and attrs["buurt"] != instance.buurt.slug:
                    raise serializers.ValidationError({"buurt": [_("You cannot change this yourself.")]})
        if instance is None:
            attrs.pop("blocked", None)  # a new resident is never blocked on entry
            buurt = self._buurt_for_create(attrs.get("buurt"))
        else:
            if "buurt" in attrs and attrs["buurt"] != instance.buurt.slug:
                raise serializers.ValidationError(
                    {"buurt": [_("A resident cannot be moved to another neighbourhood.")]}
                )
            buurt = instance.buurt
            # Once a card has an address, only the resident changes it, whether or not it has an account: the
            # answer must not tell a coordinator which (issue #14 L5).
            if "email" in attrs and (instance.user_id or instance.email) and attrs["email"] != instance.email:
                raise serializers.ValidationError({"email": [_("Only the resident can change this address.")]})
        attrs["buurt"] = buurt
        household = attrs.get("household_of")
        if household is not None:
            target = Resident.objects.filter(pk=household, buurt=buurt, deleted_at__isnull=True).first()
            if target is None or (instance is not None and target.pk == instance.pk):
                raise serializers.ValidationError({"household_of": [_("This resident does not exist.")]})
            attrs["household_of"] = target
        if "availability" in attrs:
            attrs["availability"] = [dict(a) for a in attrs["availability"]]
        if "housemates" in attrs:
            attrs["housemates"] = [dict(h) for h in attrs["housemates"]]
        return attrs

    def _buurt_for_create(self, slug: str | None) -> Neighbourhood:
        buurten = self.scope_buurten
        if slug:
            buurt = buurten.filter(slug=slug).first()
            if buurt is None:
                raise serializers.ValidationError({"buurt": [_("This neighbourhood does not exist.")]})
            return buurt
        if buurten.count() == 1:
            return buurten.first()
        raise serializers.ValidationError({"buurt": [_("Name the neighbourhood (its slug).")]})
