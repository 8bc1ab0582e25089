"""Output pieces shared by the API's serializers: times as written in the contract, and contact details."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from burenhulp.residents.selectors import Contact


class IsoDateTimeField(serializers.DateTimeField):
    """An aware time as `isoformat()` writes it (the offset the database gave it), for output."""

    def to_representation(self, value: datetime | None) -> str | None:  # type: ignore[override]
        return value.isoformat() if value is not None else None


class InputDateTimeField(serializers.DateTimeField):
    """DRF's date-time input, except that a moment near year 1 or 9999 is "out of range" (400) instead of an
    OverflowError (500) when it is moved between time zones."""

    def to_internal_value(self, value: Any) -> datetime:
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")
            raise  # pragma: no cover (fail raises)


def _wrong_type(field: serializers.Field, value: Any) -> str | None:
    """The message for a JSON value of another type than the schema says, or None when the type is right. DRF would
    take a number for a string (and store its text), "1" for an integer and "yes" for a boolean."""
    if value is None:
        return None
    if isinstance(field, serializers.CharField | serializers.ChoiceField) and not isinstance(
        field, serializers.MultipleChoiceField
    ):
        return None if isinstance(value, str) else _("Send this as text (a JSON string).")
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("Send true or false.")
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else _("Send a whole number.")
    if isinstance(field, serializers.ListField | serializers.MultipleChoiceField):
        if not isinstance(value, list):
            return _("Send a list.")
        child = field.child if isinstance(field, serializers.ListField) else serializers.CharField()
        return next((m for m in (_wrong_type(child, item) for item in value) if m), None)
    return None


class StrictTypes:
    """Input serializers: every value must have the JSON type the OpenAPI schema gives it (a number where the
    schema says string is refused, not stored as its text), so the schema says what the validation does."""

    fields: Any

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors = {}
            for name, field in self.fields.items():
                if not field.read_only and name in data:
                    message = _wrong_type(field, data[name])
                    if message:
                        errors[name] = [message]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


class OmitEmpty:
    """A serializer mixin: the fields named in `omit_when_empty` are left out of the answer when they are empty
    (DESIGN §9: "phone"?, "email"? are present only when known)."""

    omit_when_empty: tuple[str, ...] = ()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)  # type: ignore[misc]
        return {k: v for k, v in data.items() if v or k not in self.omit_when_empty}


class RequesterContactSerializer(OmitEmpty, serializers.Serializer[Contact]):
    """Where and how to reach the requester (the accepted volunteer and coordinators); phone and email only when
    known. Built from `burenhulp.residents.selectors.contact_of(…, with_address=True)`."""

    omit_when_empty = ("house_description", "phone", "email")

    first_name = serializers.CharField()
    street = serializers.CharField(allow_blank=True)
    house_number = serializers.CharField(allow_blank=True)
    house_description = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)


class VolunteerContactSerializer(OmitEmpty, serializers.Serializer[Contact]):
    """How to reach the accepted volunteer (no address)."""

    omit_when_empty = ("phone", "email")

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
