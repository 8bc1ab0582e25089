"""M6: a resident with an account is mailed at the account's primary verified address, so after an email change
the mail goes to the new address (`Resident.email` was copied once at sign-up)."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident
from burenhulp.residents.selectors import contact_of
from tests.factories import ResidentFactory

NEW = "rita.new@example.org"


def _change_email(resident: Resident) -> None:
    """What allauth leaves behind once a new address is confirmed and made primary."""
    user = resident.user
    assert user is not None
    EmailAddress.objects.filter(user=user).update(primary=False)
    EmailAddress.objects.create(user=user, email=NEW, verified=True, primary=True)
    user.email = NEW
    user.save(update_fields=["email"])


def test_mail_goes_to_the_new_address(requester: Resident) -> None:
    _change_email(requester)
    requester.refresh_from_db()
    assert requester.email == "requester@example.org"  # the copy on the card is stale
    sent = notify(template="reminder", key="m6:1", resident=requester, context={})
    assert sent.to_email == NEW
    assert contact_of(requester).email == NEW


def test_an_unconfirmed_new_address_gets_no_mail_yet(requester: Resident) -> None:
    assert requester.user is not None
    EmailAddress.objects.create(user=requester.user, email=NEW, verified=False, primary=False)
    assert notify(template="reminder", key="m6:2", resident=requester, context={}).to_email == "requester@example.org"


def test_a_resident_without_an_account_is_mailed_at_the_card(buurt: object) -> None:
    card = ResidentFactory(buurt=buurt, email="card@example.org")
    assert notify(template="reminder", key="m6:3", resident=card, context={}).to_email == "card@example.org"
