"""Issue #16: phone numbers wherever a page says "call", matching by hand without a pre-selected neighbour, and
several referrals for one queue item (pages and the API share `services.item_refer`)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from burenhulp.coordination import services
from burenhulp.coordination.models import ProfessionalService, QueueKind, QueueStatus, Referral
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests.models import TriageLevel
from burenhulp.residents.models import Resident
from tests.coordination.conftest import queued_request

pytestmark = pytest.mark.django_db


def test_match_by_hand_preselects_nobody_and_shows_phone_numbers(
    coordinator_web: Client, requester: Resident, volunteer: Resident
) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(phone="0470 11 22 33")
    item = queued_request(
        requester, level=TriageLevel.LIGHT, kind=QueueKind.NO_MATCH, category="boodschappen", description="Brood"
    )
    html = coordinator_web.get(f"/coordinator/item/{item.pk}/match/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'name="volunteer" value="{volunteer.pk}"' in html
    assert " checked" not in html.split('class="candidates"', 1)[1]
    assert '<a href="tel:0470112233">0470 11 22 33</a>' in html
    # The page shows the neighbours' phone numbers: each view is audited (one row per candidate).
    assert AuditLog.objects.filter(
        reason=f"candidates for queue item {item.pk}", subject_resident_id=volunteer.pk
    ).exists()
    # Submitting without a choice keeps the page and says what to do.
    response = coordinator_web.post(f"/coordinator/item/{item.pk}/match/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Choose a neighbour from the list." in response.content.decode()


def test_crisis_item_links_the_residents_phone(coordinator_web: Client, requester: Resident) -> None:
    Resident.objects.filter(pk=requester.pk).update(phone="056 12 34 56")
    item = queued_request(requester, level=TriageLevel.CRISIS, description="Hij slaat mij")
    html = coordinator_web.get(f"/coordinator/item/{item.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    alert = html.split('class="crisis-alert" role="alert"><p><strong>Possible crisis.', 1)[1].split("</div>", 1)[0]
    assert 'href="tel:056123456"' in alert and "Call Rita: 056 12 34 56" in alert
    assert 'href="tel:112"' in alert


def test_one_item_takes_several_referrals(
    coordinator_web: Client, coordinator: User, requester: Resident, service: ProfessionalService, buurt: Neighbourhood
) -> None:
    nurse = ProfessionalService.objects.create(buurt=buurt, name="Thuisverpleging", kind="zorg", phone="056 99 99 99")
    item = queued_request(requester)
    post = {"action": "refer", "consent": "on", "note": "", "reason": "", "follow_up_on": ""}
    r1 = coordinator_web.post(f"/coordinator/item/{item.pk}/", {**post, "service": service.pk})
    assert r1.status_code == 302
    item.refresh_from_db()
    assert item.status == QueueStatus.REFERRED
    html = coordinator_web.get(f"/coordinator/item/{item.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Refer to another service too" in html
    r2 = coordinator_web.post(f"/coordinator/item/{item.pk}/", {**post, "service": nurse.pk})
    assert r2.status_code == 302
    assert set(Referral.objects.filter(queue_item=item).values_list("service_id", flat=True)) == {service.pk, nurse.pk}
    html = coordinator_web.get(f"/coordinator/item/{item.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="tel:056999999"' in html
    # The same service twice while the first referral is live: refused with a message, nothing written.
    r3 = coordinator_web.post(f"/coordinator/item/{item.pk}/", {**post, "service": nurse.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert r3.status_code == 200 and "already referred to that service" in r3.content.decode()
    assert Referral.objects.filter(queue_item=item).count() == 2


def test_a_closed_item_takes_no_referral(coordinator: User, requester: Resident, service: ProfessionalService) -> None:
    item = queued_request(requester)
    services.item_close(item=item, outcome="Opgelost", by=coordinator)
    item.refresh_from_db()
    with pytest.raises(Exception, match="no longer open"):
        services.item_refer(item=item, service=service, consent=True, by=coordinator)


def test_api_refers_a_referred_item_again(
    coordinator_api: APIClient, requester: Resident, service: ProfessionalService, buurt: Neighbourhood
) -> None:
    nurse = ProfessionalService.objects.create(buurt=buurt, name="Thuisverpleging", kind="zorg")
    item = queued_request(requester)
    url = f"/api/v1/queue/{item.pk}/refer/"
    assert coordinator_api.post(url, {"service": service.pk, "consent": True}, format="json").status_code == 201
    assert coordinator_api.post(url, {"service": nurse.pk, "consent": True}, format="json").status_code == 201
    assert Referral.objects.filter(queue_item=item).count() == 2
