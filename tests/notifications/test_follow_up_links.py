"""Signed links for both sides after a match (DESIGN §12): "I cannot come after all" in the acceptance email, and
"How did it go?" in the follow-up email, for the volunteer and the requester. Single use, expiring, scanner-safe
(GET shows a page with a button, POST acts), no password; used twice or too old: a kind page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from burenhulp.coordination.models import QueueItem, QueueKind
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.helprequests.services import proposal_accept
from burenhulp.notifications import links, sending
from burenhulp.notifications.models import Notification
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.notifications.helpers import open_request, propose


def _path(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


@pytest.fixture
def accepted(volunteer: Resident, requester: Resident) -> MatchProposal:
    Resident.objects.filter(pk=volunteer.pk).update(language="en")
    volunteer.refresh_from_db()
    return proposal_accept(proposal=propose(open_request(requester), volunteer), by=None)


@pytest.mark.django_db
def test_the_acceptance_email_carries_a_step_back_link_that_works_once(
    accepted: MatchProposal, volunteer: Resident, requester: Resident
) -> None:
    row = Notification.objects.get(template="accepted_volunteer")
    message = sending.build_message(row)
    url = next(w for w in message.body.split() if "/email/step-back/" in w)
    client = Client()
    page = client.get(_path(url))
    assert page.status_code == 200 and b"I step back" in page.content and b'name="reason"' in page.content
    accepted.refresh_from_db()
    assert accepted.status == ProposalStatus.ACCEPTED  # opening the link (a mail scanner) changes nothing
    done = client.post(_path(url), {"reason": "Sick"})
    assert done.status_code == 200 and b"another neighbour" in done.content
    accepted.refresh_from_db()
    assert accepted.status == ProposalStatus.WITHDRAWN and accepted.step_back_reason == "Sick"
    assert HelpRequest.objects.get(pk=accepted.request_id).status != RequestStatus.MATCHED
    again = client.post(_path(url), {"reason": "Sick"})
    assert again.status_code == 410 and b"already" in again.content


@pytest.mark.django_db
def test_a_step_back_link_expires_and_a_tampered_one_is_refused(accepted: MatchProposal) -> None:
    url = _path(links.action_url("step_back", accepted.public_id))
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.EMAIL_LINK_MAX_AGE_SECONDS + 60)):
        old = Client().post(url)
    assert old.status_code == 410 and old.context["kind"] == "expired"
    assert Client().get(url[:-3] + "abc/").status_code == 400
    # A follow-up token never works as a step-back token.
    other = _path(links.action_url("follow_up", accepted.public_id)).replace("/follow-up/", "/step-back/")
    assert Client().post(other).status_code == 400
    accepted.refresh_from_db()
    assert accepted.status == ProposalStatus.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize("role", [FollowUp.Role.VOLUNTEER, FollowUp.Role.REQUESTER])
def test_the_follow_up_link_answers_without_a_password_once(
    accepted: MatchProposal, volunteer: Resident, requester: Resident, role: str
) -> None:
    respondent = volunteer if role == FollowUp.Role.VOLUNTEER else requester
    fu = FollowUp.objects.create(request=accepted.request, respondent=respondent, role=role)
    row = notify(template="follow_up", key=f"fu:{role}", resident=respondent, context={"follow_up_id": fu.pk})
    url = next(w for w in sending.build_message(row).body.split() if "/email/follow-up/" in w)
    client = Client()  # signed out
    page = client.get(_path(url))
    assert page.status_code == 200 and b'name="happened"' in page.content
    fu.refresh_from_db()
    assert fu.answered_at is None
    done = client.post(_path(url), {"happened": "no", "comment": "Nobody came"})
    assert done.status_code == 200
    fu.refresh_from_db()
    assert fu.answered_at is not None and fu.happened == "no"
    assert QueueItem.objects.filter(kind=QueueKind.FOLLOW_UP, follow_up=fu).exists()
    again = client.get(_path(url))
    assert again.status_code == 410


@pytest.mark.django_db
def test_the_follow_up_link_keeps_what_was_typed_on_bad_input(accepted: MatchProposal, requester: Resident) -> None:
    fu = FollowUp.objects.create(request=accepted.request, respondent=requester, role=FollowUp.Role.REQUESTER)
    url = _path(links.action_url("follow_up", fu.public_id))
    page = Client().post(url, {"comment": "Mijn woorden"})
    assert page.status_code == 200 and "Mijn woorden" in page.content.decode()
    fu.refresh_from_db()
    assert fu.answered_at is None


@pytest.mark.django_db
def test_the_volunteer_steps_back_from_their_own_page(accepted: MatchProposal, volunteer: Resident) -> None:
    client = web_client(volunteer.user)
    proposal_page = client.get(f"/help/proposals/{accepted.public_id}/")
    assert f"/help/proposals/{accepted.public_id}/step-back/".encode() in proposal_page.content
    confirm = client.get(f"/help/proposals/{accepted.public_id}/step-back/")
    assert confirm.status_code == 200
    accepted.refresh_from_db()
    assert accepted.status == ProposalStatus.ACCEPTED
    done = client.post(f"/help/proposals/{accepted.public_id}/step-back/", {"reason": ""})
    assert done.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == ProposalStatus.WITHDRAWN and accepted.stepped_back_at is not None
