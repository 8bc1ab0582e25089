"""Withdrawing a consent stops its use, whichever page the resident withdraws it on."""

from __future__ import annotations

import pytest

from burenhulp.residents.models import Consent, Resident
from burenhulp.residents.services import consent_give, consent_withdraw

pytestmark = pytest.mark.django_db


def test_withdrawing_the_digest_consent_stops_the_digest(requester: Resident) -> None:
    consent_give(resident=requester, purpose=Consent.Purpose.DIGEST)
    Resident.objects.filter(pk=requester.pk).update(weekly_digest=True)
    requester.refresh_from_db()
    consent_withdraw(resident=requester, purpose=Consent.Purpose.DIGEST)
    requester.refresh_from_db()
    assert requester.weekly_digest is False


def test_withdrawing_the_photo_consent_hides_the_photo(requester: Resident) -> None:
    consent_give(resident=requester, purpose=Consent.Purpose.PHOTO)
    Resident.objects.filter(pk=requester.pk).update(shared_fields=["offers", "photo"])
    requester.refresh_from_db()
    consent_withdraw(resident=requester, purpose=Consent.Purpose.PHOTO)
    requester.refresh_from_db()
    assert requester.shared_fields == ["offers"]
