"""H2 (issue #14): a blocked volunteer could still accept by email and then received the requester's address, phone
and email. Blocking, erasure and a disabled account withdraw the volunteer's open proposals; `proposal_accept`, the
link pages and `notify()` refuse or skip a volunteer who may not act (DESIGN §12)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.utils import timezone

from burenhulp.coordination import services as coordination
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests import services
from burenhulp.helprequests.models import HelpRequest, MatchProposal, ProposalStatus, RequestStatus, TransitionError
from burenhulp.notifications import links
from burenhulp.notifications.models import Notification, NotificationStatus
from burenhulp.notifications.outbox import notify
from burenhulp.privacy.erasure import account_erase
from burenhulp.residents.models import Resident
from tests.conftest import api_client
from tests.requests.helpers import LIGHT, helper


def _proposed(buurt: Neighbourhood, requester: Resident) -> tuple[MatchProposal, Resident]:
    near = helper(buurt, 100, email="near@example.org")
    hr = services.request_create(requester=requester, category="boodschappen", description=LIGHT)
    return MatchProposal.objects.get(request=hr, volunteer=near), near


def test_blocking_withdraws_open_proposals_and_the_email_link_no_longer_accepts(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    proposal, near = _proposed(buurt, requester)
    url = links.proposal_url(proposal.public_id, "accept").replace("http://testserver", "")
    coordination.resident_moderate(resident=near, action="block", by=coordinator)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    page = Client().post(url)
    assert b"requester@example.org" not in page.content and page.status_code in {200, 410}
    assert not MatchProposal.objects.filter(status=ProposalStatus.ACCEPTED).exists()
    assert HelpRequest.objects.get(pk=proposal.request_id).status != RequestStatus.MATCHED


def test_a_blocked_volunteer_cannot_accept_even_a_proposal_left_open(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    proposal, near = _proposed(buurt, requester)
    Resident.objects.filter(pk=near.pk).update(is_blocked=True)  # blocked by any road, proposals left as they were
    url = links.proposal_url(proposal.public_id, "accept").replace("http://testserver", "")
    confirm = Client().get(url)
    assert next(t.name for t in confirm.templates) == "notifications/link_problem.html"
    assert b"requester@example.org" not in Client().post(url).content
    with pytest.raises(TransitionError):
        services.proposal_accept(proposal=proposal, by=near.user)
    response = api_client(near.user).post(f"/api/v1/proposals/{proposal.pk}/accept/")
    assert response.status_code in {404, 409} and "requester" not in response.json()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_a_disabled_account_or_a_paused_volunteer_cannot_accept(buurt: Neighbourhood, requester: Resident) -> None:
    proposal, near = _proposed(buurt, requester)
    User.objects.filter(pk=near.user_id).update(is_active=False)
    with pytest.raises(TransitionError):
        services.proposal_accept(proposal=proposal, by=None)
    User.objects.filter(pk=near.user_id).update(is_active=True)
    Resident.objects.filter(pk=near.pk).update(paused_until=timezone.localdate() + timedelta(days=3))
    with pytest.raises(TransitionError):
        services.proposal_accept(proposal=proposal, by=None)
    Resident.objects.filter(pk=near.pk).update(paused_until=None)
    assert services.proposal_accept(proposal=proposal, by=None).status == ProposalStatus.ACCEPTED


def test_notify_skips_a_volunteer_who_may_not_act(buurt: Neighbourhood, requester: Resident) -> None:
    proposal, near = _proposed(buurt, requester)
    Resident.objects.filter(pk=near.pk).update(is_blocked=True)
    near.refresh_from_db()
    row = notify(template="proposal", key="p:again", resident=near, context={"proposal_id": proposal.pk})
    assert row.status == NotificationStatus.SKIPPED and row.to_email == "" and row.last_error == "volunteer not active"
    # A requester is still told what concerns their own request.
    told = notify(template="no_match", key="n:1", resident=near, context={"request_id": proposal.request_id})
    assert told.status == NotificationStatus.PENDING


def test_blocking_a_volunteer_who_accepted_sends_the_request_back_to_matching(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    proposal, near = _proposed(buurt, requester)
    services.proposal_accept(proposal=proposal, by=near.user)
    coordination.resident_moderate(resident=near, action="block", by=coordinator)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN and proposal.stepped_back_at is not None
    hr = HelpRequest.objects.get(pk=proposal.request_id)
    assert hr.status != RequestStatus.MATCHED
    assert Notification.objects.filter(template="stepped_back", recipient_resident=requester).exists()


def test_erasure_withdraws_open_proposals_and_keeps_given_help_for_the_statistics(
    buurt: Neighbourhood, requester: Resident
) -> None:
    proposal, near = _proposed(buurt, requester)
    account_erase(user=near.user)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    with pytest.raises(TransitionError):
        services.proposal_accept(proposal=proposal, by=None)


def test_disabling_an_account_in_the_admin_stands_the_volunteer_down(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    proposal, near = _proposed(buurt, requester)
    user_admin = admin.site._registry[User]
    request = RequestFactory().post("/admin/")
    request.user = coordinator
    near.user.is_active = False
    user_admin.save_model(request, near.user, SimpleNamespace(changed_data=["is_active"]), True)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
