"""DESIGN §12, "nobody falls through", in the domain functions (so pages, API, email links and tasks all obey):
cancel keeps heavy and crisis signals open, release needs a reason (a crisis also a confirmation), one signal makes
one item and one alert, and a volunteer can step back after saying yes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from burenhulp.coordination import services as coordination
from burenhulp.coordination.models import ProfessionalService, QueueItem, QueueKind, QueueOutcome, QueueStatus
from burenhulp.coordination.queue import queue_item_open
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests import services, stepback
from burenhulp.helprequests.models import HelpRequest, MatchProposal, ProposalStatus, RequestStatus, TransitionError
from burenhulp.notifications import sending
from burenhulp.notifications.models import Notification
from burenhulp.privacy.erasure import account_erase
from burenhulp.residents.models import Resident
from tests.conftest import api_client, web_client
from tests.factories import UserFactory
from tests.requests.helpers import CRISIS, HEAVY, LIGHT, helper

# --- 1. A heavy or crisis signal is closed only by a coordinator --------------------------------------------------


@pytest.mark.parametrize("text", [CRISIS, HEAVY])
def test_cancelling_a_heavy_or_crisis_request_keeps_its_items_open_marked(
    requester: Resident, coordinator: User, text: str
) -> None:
    Resident.objects.filter(pk=requester.pk).update(needs_follow_up=True)
    requester.refresh_from_db()
    hr = services.request_create(requester=requester, category="andere", description=text)
    assert set(QueueItem.objects.filter(request=hr).values_list("kind", flat=True)) == {"triage", "check_in"}
    response = api_client(requester.user).post(f"/api/v1/requests/{hr.pk}/cancel/")
    assert response.status_code == 200 and response.json() == {"id": hr.pk, "status": "cancelled"}
    items = QueueItem.objects.filter(request=hr)
    assert [i.status for i in items] == ["open", "open"]
    assert all(i.resident_cancelled_at is not None for i in items)
    # The coordinator sees it, on the API and on the page.
    queue = api_client(coordinator).get("/api/v1/queue/").json()
    triage_row = next(r for r in queue if r["kind"] == "triage")
    assert triage_row["resident_cancelled"] is True
    assert (
        triage_row["reasons"][0]
        == "De bewoner heeft de hulpvraag geannuleerd. Alleen een coördinator sluit dit punt af."
    )
    triage = items.get(kind="triage")
    with translation.override("en"):
        page = web_client(coordinator).get(f"/coordinator/item/{triage.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    # Only a coordinator closes it.
    coordination.item_close(item=triage, outcome="Called her, her daughter is there now.", by=coordinator)
    triage.refresh_from_db()
    assert triage.status == QueueStatus.CLOSED


def test_cancelling_a_light_request_closes_its_no_match_item_but_not_a_check_in(
    buurt, requester: Resident, coordinator: User
) -> None:
    Resident.objects.filter(pk=requester.pk).update(needs_follow_up=True)
    requester.refresh_from_db()
    hr = services.request_create(requester=requester, category="boodschappen", description=LIGHT)
    assert hr.status == RequestStatus.QUEUED  # nobody near: no match
    services.request_cancel(request=hr, by=requester.user)
    no_match = QueueItem.objects.get(request=hr, kind=QueueKind.NO_MATCH)
    check_in = QueueItem.objects.get(request=hr, kind=QueueKind.CHECK_IN)
    assert no_match.status == QueueStatus.CLOSED and no_match.outcome == QueueOutcome.CANCELLED
    assert check_in.status == QueueStatus.OPEN and check_in.resident_cancelled_at is not None


def test_cancel_withdraws_open_proposals_and_only_the_requester_or_a_coordinator_may(
    buurt, requester: Resident, coordinator: User, outsider_coordinator: User
) -> None:
    near = helper(buurt, 100, email="near@example.org")
    hr = services.request_create(requester=requester, category="boodschappen", description=LIGHT)
    assert MatchProposal.objects.get(request=hr).volunteer == near
    assert api_client(near.user).post(f"/api/v1/requests/{hr.pk}/cancel/").status_code == 404
    assert api_client(outsider_coordinator).post(f"/api/v1/requests/{hr.pk}/cancel/").status_code == 404
    response = api_client(coordinator).post(f"/api/v1/requests/{hr.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert MatchProposal.objects.get(request=hr).status == ProposalStatus.WITHDRAWN
    again = api_client(coordinator).post(f"/api/v1/requests/{hr.pk}/cancel/")
    assert again.status_code == 409 and again.json()["detail"]


def test_erasure_closes_the_items_and_says_so(requester: Resident, coordinator: User) -> None:
    hr = services.request_create(requester=requester, category="andere", description=CRISIS)
    services.request_cancel(request=hr, by=requester.user)
    account_erase(user=requester.user)
    item = QueueItem.objects.get(request=hr, kind="triage")
    assert item.status == QueueStatus.CLOSED and item.outcome == QueueOutcome.ERASED and item.closed_at
    assert AuditLog.objects.filter(action="delete", target_id=str(requester.pk)).exists()


# --- 2. Crisis is never released to neighbours in one click -------------------------------------------------------


def test_release_needs_a_reason_and_a_crisis_also_a_confirmation(buurt, requester: Resident, coordinator: User) -> None:
    helper(buurt, 100, email="near@example.org")
    hr = services.request_create(requester=requester, category="boodschappen", description=CRISIS)
    item = QueueItem.objects.get(request=hr, kind="triage")
    assert item.level == "crisis"
    client = api_client(coordinator)
    url = f"/api/v1/queue/{item.pk}/release/"
    no_reason = client.post(url, {"confirm": True}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json() and no_reason.json()["detail"]
    blank = client.post(url, {"reason": "   ", "confirm": True}, format="json")
    assert blank.status_code == 400
    unconfirmed = client.post(url, {"reason": "Spoke to her, it was a joke"}, format="json")
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()
    hr.refresh_from_db()
    item.refresh_from_db()
    assert hr.status == RequestStatus.QUEUED and hr.triage_level == "crisis" and item.status == QueueStatus.OPEN
    assert not MatchProposal.objects.filter(request=hr).exists()
    done = client.post(url, {"reason": "Spoke to her, it was a joke", "confirm": True}, format="json")
    assert done.status_code == 200
    item.refresh_from_db()
    assert item.status == QueueStatus.RELEASED and item.release_reason == "Spoke to her, it was a joke"
    row = AuditLog.objects.get(action="override", target_id=str(hr.pk))
    assert "Spoke to her, it was a joke" in row.reason and "crisis" in row.reason


def test_the_release_page_refuses_without_a_reason_and_keeps_what_was_typed(
    requester: Resident, coordinator: User
) -> None:
    hr = services.request_create(requester=requester, category="andere", description=CRISIS)
    item = QueueItem.objects.get(request=hr, kind="triage")
    client = web_client(coordinator)
    url = f"/coordinator/item/{item.pk}/"
    empty = client.post(url, {"action": "release", "reason": ""})
    assert empty.status_code == 200 and b'name="reason"' in empty.content
    typed = client.post(url, {"action": "release", "reason": "Mijn eigen woorden"})
    assert typed.status_code == 200 and "Mijn eigen woorden" in typed.content.decode()
    item.refresh_from_db()
    assert item.status == QueueStatus.OPEN
    ok = client.post(url, {"action": "release", "reason": "Mijn eigen woorden", "confirm": "on"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.status == QueueStatus.RELEASED
    assert "Mijn eigen woorden" in client.get(url).content.decode()


def test_releasing_a_heavy_item_needs_only_a_reason(requester: Resident, coordinator: User) -> None:
    hr = services.request_create(requester=requester, category="documenten", description=HEAVY)
    item = QueueItem.objects.get(request=hr, kind="triage")
    with pytest.raises(ValidationError):
        coordination.item_release(item=item, by=coordinator, reason="")
    coordination.item_release(item=item, by=coordinator, reason="Only a letter to read")
    hr.refresh_from_db()
    assert hr.triage_level == "light"


# --- 3. One signal, one item, one alert ---------------------------------------------------------------------------


def test_one_open_check_in_per_resident_never_labelled_crisis(requester: Resident, coordinator: User) -> None:
    Resident.objects.filter(pk=requester.pk).update(needs_follow_up=True)
    requester.refresh_from_db()
    requests = [services.request_create(requester=requester, category="andere", description=CRISIS) for _ in range(4)]
    check_ins = QueueItem.objects.filter(resident=requester, kind=QueueKind.CHECK_IN, status=QueueStatus.OPEN)
    assert check_ins.count() == 1
    assert check_ins.get().level == "heavy"
    assert QueueItem.objects.filter(kind=QueueKind.TRIAGE, level="crisis").count() == len(requests)
    queue = api_client(coordinator).get("/api/v1/queue/").json()
    assert [r["level"] for r in queue if r["kind"] == "check_in"] == ["heavy"]
    page = web_client(coordinator).get("/coordinator/?kind=check_in")
    assert page.context["crisis_count"] == len(requests)  # the triage items only


def test_one_crisis_alert_per_request_per_coordinator(buurt, requester: Resident, coordinator: User) -> None:
    second: User = UserFactory(email="second@example.org")
    buurt.coordinators.add(second)
    Resident.objects.filter(pk=requester.pk).update(needs_follow_up=True)
    requester.refresh_from_db()
    hr = services.request_create(requester=requester, category="andere", description=CRISIS)
    item = QueueItem.objects.get(request=hr, kind="triage")
    # A coordinator closes the item and, later, another item about the same request opens as crisis: no new alert.
    coordination.item_close(item=item, outcome="Called", by=coordinator)
    queue_item_open(buurt=buurt, kind=QueueKind.TRIAGE, level="crisis", reasons=[], request=hr)
    alerts = Notification.objects.filter(template="crisis_alert")
    assert sorted(n.recipient_user_id for n in alerts) == sorted([coordinator.pk, second.pk])


# --- 4. A volunteer can step back -------------------------------------------------------------------------------


def _accepted(buurt, requester: Resident) -> tuple[MatchProposal, Resident, Resident]:
    first = helper(buurt, 100, email="first@example.org")
    second = helper(buurt, 300, email="second-helper@example.org")
    Resident.objects.filter(pk__in=[first.pk, second.pk]).update(max_active_matches=5)
    Neighbourhood.objects.filter(pk=buurt.pk).update(proposals_per_round=1)
    hr = services.request_create(requester=requester, category="boodschappen", description=LIGHT)
    proposal = MatchProposal.objects.get(request=hr)
    assert proposal.volunteer == first
    return services.proposal_accept(proposal=proposal, by=first.user), first, second


def test_a_volunteer_steps_back_matching_starts_again_and_the_requester_is_told(
    buurt, requester: Resident, coordinator: User
) -> None:
    accepted, first, second = _accepted(buurt, requester)
    response = api_client(first.user).post(
        f"/api/v1/proposals/{accepted.pk}/withdraw/", {"reason": "Mijn knie"}, format="json"
    )
    assert response.status_code == 200 and response.json()["proposal"]["status"] == "withdrawn"
    accepted.refresh_from_db()
    assert accepted.step_back_reason == "Mijn knie" and accepted.stepped_back_at is not None
    hr = HelpRequest.objects.get(pk=accepted.request_id)
    assert hr.status == RequestStatus.PROPOSED and hr.matched_at is None
    assert MatchProposal.objects.get(request=hr, volunteer=second).status == ProposalStatus.PROPOSED
    told = Notification.objects.get(template="stepped_back")
    assert told.recipient_resident_id == requester.pk and told.to_email == "requester@example.org"
    message = sending.build_message(told)
    assert first.first_name in message.body
    # The coordinator sees the reason.
    detail = api_client(coordinator).get(f"/api/v1/requests/{hr.pk}/").json()
    assert [p["step_back_reason"] for p in detail["proposals"] if p["volunteer"] == first.pk] == ["Mijn knie"]
    # Not accepted (any more): 409.
    assert api_client(first.user).post(f"/api/v1/proposals/{accepted.pk}/withdraw/").status_code == 409
    with pytest.raises(TransitionError):
        stepback.proposal_withdraw(proposal=accepted, by=coordinator, reason="")


def test_a_coordinator_withdraws_on_the_volunteers_behalf(buurt, requester: Resident, coordinator: User) -> None:
    accepted, _first, _second = _accepted(buurt, requester)
    open_one = MatchProposal.objects.filter(status=ProposalStatus.PROPOSED).first()
    assert open_one is None  # the only open proposal was accepted
    response = api_client(coordinator).post(f"/api/v1/proposals/{accepted.pk}/withdraw/", {}, format="json")
    assert response.status_code == 200
    assert AuditLog.objects.filter(actor=coordinator, action="change", reason__contains="stepped back").exists()


# --- After a referral the resident knows who will call --------------------------------------------------------------


def test_after_a_referral_the_page_and_the_email_name_the_service_and_its_phone(
    requester: Resident, coordinator: User, service: ProfessionalService
) -> None:
    hr = services.request_create(requester=requester, category="documenten", description=HEAVY)
    item = QueueItem.objects.get(request=hr, kind="triage")
    coordination.item_refer(item=item, service=service, consent=True, by=coordinator)
    page = web_client(requester.user).get(f"/help/request/{hr.public_id}/").content.decode()
    assert "Sociaal Huis Wakken" in page and "056 00 00 00" in page
    told = Notification.objects.get(template="referred")
    assert told.recipient_resident_id == requester.pk
    message = sending.build_message(told)
    assert "Sociaal Huis Wakken" in message.subject + message.body and "056 00 00 00" in message.body


def test_a_coordinator_records_a_step_back_on_the_item_page(buurt, requester: Resident, coordinator: User) -> None:
    Resident.objects.filter(pk=requester.pk).update(needs_follow_up=True)
    requester.refresh_from_db()
    accepted, _first, _second = _accepted(buurt, requester)
    item = QueueItem.objects.get(request=accepted.request, kind=QueueKind.CHECK_IN)
    client = web_client(coordinator)
    page = client.get(f"/coordinator/item/{item.pk}/").content.decode()
    assert 'value="step_back"' in page
    bad = client.post(f"/coordinator/item/{item.pk}/", {"action": "step_back", "proposal": "abc"})
    assert bad.status_code == 404
    done = client.post(
        f"/coordinator/item/{item.pk}/", {"action": "step_back", "proposal": accepted.pk, "reason": "Belde af"}
    )
    assert done.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == ProposalStatus.WITHDRAWN and accepted.step_back_reason == "Belde af"
    assert "Belde af" in client.get(f"/coordinator/item/{item.pk}/").content.decode()
