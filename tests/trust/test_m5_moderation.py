"""M5 (issue #14): moderation acted on the whole account. Blocking a Burenbox in neighbourhood A deactivated the user
(who may coordinate B), and "unblock" re-activated accounts an admin had disabled. Block the Burenbox, never the
account."""

from __future__ import annotations

from burenhulp.coordination import services as coordination
from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import api_client, web_client
from tests.factories import ResidentFactory, UserFactory


def test_blocking_a_burenbox_leaves_the_account_and_its_other_neighbourhood_alone(
    buurt: Neighbourhood, other_buurt: Neighbourhood, coordinator: User
) -> None:
    user: User = UserFactory(email="both-roles@example.org")
    other_buurt.coordinators.add(user)
    box = ResidentFactory(buurt=buurt, user=user, email="both-roles@example.org")
    response = web_client(coordinator).post(
        "/coordinator/moderation/", {"action": "block", "resident": box.pk, "confirmed": "1"}
    )
    assert response.status_code == 302
    box.refresh_from_db()
    user.refresh_from_db()
    assert box.is_blocked is True
    assert user.is_active is True  # still coordinates the other neighbourhood, still signs in


def test_unblock_never_reactivates_an_account_an_admin_disabled(buurt: Neighbourhood, coordinator: User) -> None:
    user: User = UserFactory(email="disabled@example.org")
    box: Resident = ResidentFactory(buurt=buurt, user=user, email="disabled@example.org")
    coordination.resident_moderate(resident=box, action="block", by=coordinator)
    User.objects.filter(pk=user.pk).update(is_active=False)  # an admin disables the account
    coordination.resident_moderate(resident=box, action="unblock", by=coordinator)
    user.refresh_from_db()
    box.refresh_from_db()
    assert box.is_blocked is False
    assert user.is_active is False


def test_the_api_blocks_the_burenbox_not_the_account(buurt: Neighbourhood, coordinator: User) -> None:
    user: User = UserFactory(email="api-blocked@example.org")
    box: Resident = ResidentFactory(buurt=buurt, user=user, email="api-blocked@example.org")
    client = api_client(coordinator)
    response = client.patch(f"/api/v1/residents/{box.pk}/", {"blocked": True}, format="json")
    assert response.status_code == 200 and response.json()["blocked"] is True
    box.refresh_from_db()
    user.refresh_from_db()
    assert box.is_blocked and user.is_active
    assert client.patch(f"/api/v1/residents/{box.pk}/", {"blocked": False}, format="json").json()["blocked"] is False
    # A resident cannot unblock (or block) their own Burenbox.
    own = api_client(user).patch(f"/api/v1/residents/{box.pk}/", {"blocked": True}, format="json")
    assert own.status_code in {400, 404}
    box.refresh_from_db()
    assert not box.is_blocked
