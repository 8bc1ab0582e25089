"""Output pieces shared by the API's serializers: times as written in the contract, and contact details."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
