"""Accept / Decline links from the proposal email: signed, purpose-bound, expiring, act once; opening one never
changes anything; bad links get a clear page, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from burenhulp.helprequests.models import MatchProposal, ProposalStatus, RequestStatus
from burenhulp.notifications import links
from burenhulp.notifications.models import EmailLinkUse, Notification
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Consent, Resident
from tests.conftest import web_client
from tests.notifications.helpers import open_request, propose
from tests.pages import assert_accessible
from tests.realparts import SMTPSink, text_and_html
from toolbox_content.guidance import pieces_for


def _path(proposal: MatchProposal, action: str) -> str:
    return links.proposal_url(proposal.public_id, action).removeprefix(settings.SITE_URL)


@pytest.fixture
def proposal(volunteer: Resident, requester: Resident) -> MatchProposal:
    Resident.objects.filter(pk=volunteer.pk).update(language="en")
    volunteer.refresh_from_db()
    return propose(open_request(requester), volunteer)


@pytest.mark.django_db
def test_opening_the_link_changes_nothing_and_shows_one_post_button(proposal: MatchProposal) -> None:
    response = Client().get(_path(proposal, "accept"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<form") == 2  # The page's form plus the language switch in the header.
    assert re.search(r'<form method="post" class="confirm-form">', html)
    assert "Yes, I will help" in html and "Kerkstraat" in html and "17" not in html.split("Kerkstraat")[1][:10]
    Client().head(_path(proposal, "accept"))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not EmailLinkUse.objects.exists()


@pytest.mark.django_db
def test_the_confirm_post_accepts_then_a_second_use_says_already_used(proposal: MatchProposal) -> None:
    client = Client(enforce_csrf_checks=False)
    response = client.post(_path(proposal, "accept"))
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert "What happens next" in html and "Before you go" in html
    for tip in pieces_for(audience="volunteer", category="boodschappen", moment="before_you_go", language="en"):
        assert escape(tip.title) in html
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.request.status == RequestStatus.MATCHED
    again = Client().post(_path(proposal, "accept"))
    assert again.status_code == 410 and "already answered" in again.content.decode()
    decline_after = Client().get(_path(proposal, "decline"))
    assert decline_after.status_code == 410 and "already answered" in decline_after.content.decode()


@pytest.mark.django_db
def test_decline_declines(proposal: MatchProposal) -> None:
    response = Client().post(_path(proposal, "decline"))
    assert response.status_code == 200 and "We will ask another neighbour" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED


@pytest.mark.django_db
def test_taken_by_someone_else_says_thank_you(proposal: MatchProposal, requester: Resident) -> None:
    MatchProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.WITHDRAWN)
    proposal.request.status = RequestStatus.MATCHED
    proposal.request.save()
    for method in ("get", "post"):
        response = getattr(Client(), method)(_path(proposal, "accept"))
        assert response.status_code == 200
        assert "Another neighbour already said yes" in response.content.decode()
    assert MatchProposal.objects.get(pk=proposal.pk).status == ProposalStatus.WITHDRAWN


@pytest.mark.django_db
def test_tampered_and_wrong_purpose_links_get_400(proposal: MatchProposal) -> None:
    accept = links.proposal_token(proposal.public_id, "accept")
    tampered = accept[:-3] + ("AAA" if not accept.endswith("AAA") else "BBB")
    for path in (
        f"/email/proposal/accept/{tampered}/",
        f"/email/proposal/decline/{accept}/",  # An accept token is not a decline token.
        f"/email/proposal/delete/{accept}/",
        "/email/proposal/accept/not-a-token/",
    ):
        for method in ("get", "post"):
            response = getattr(Client(), method)(path)
            assert response.status_code == 400, path
            assert "This link does not work" in response.content.decode() or "werkt niet" in response.content.decode()
    assert MatchProposal.objects.get(pk=proposal.pk).status == ProposalStatus.PROPOSED


@pytest.mark.django_db
def test_expired_link_gets_410(proposal: MatchProposal) -> None:
    path = _path(proposal, "accept")
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.EMAIL_LINK_MAX_AGE_SECONDS + 60)):
        for method in ("get", "post"):
            response = getattr(Client(), method)(path)
            assert response.status_code == 410
    assert MatchProposal.objects.get(pk=proposal.pk).status == ProposalStatus.PROPOSED


@pytest.mark.django_db
def test_unsubscribe_with_unknown_token_says_nothing_about_who_exists(volunteer: Resident) -> None:
    with transaction.atomic():
        row = notify(template="taken", key="t:1", resident=volunteer, context={"proposal_id": 0})
    unknown = links.unsubscribe_token(987654)
    for token in (unknown[:-2] + "xx", "nonsense"):
        response = Client().post(f"/email/unsubscribe/{token}/")
        assert response.status_code == 400
    # A well-signed token for a row that does not exist gets the same answer as a real one.
    ghost = Client().post(f"/email/unsubscribe/{unknown}/")
    real = Client().post(f"/email/unsubscribe/{links.unsubscribe_token(row.pk)}/")
    assert ghost.status_code == real.status_code == 200
    assert ghost.templates[0].name == real.templates[0].name == "notifications/unsubscribe_done.html"
    volunteer.refresh_from_db()
    assert volunteer.emails_paused


@pytest.mark.django_db
def test_one_click_unsubscribe_pauses_but_get_does_not(volunteer: Resident) -> None:
    row = Notification.objects.create(template="taken", idempotency_key="t:2", recipient_resident=volunteer)
    path = f"/email/unsubscribe/{links.unsubscribe_token(row.pk)}/"
    assert Client().get(path).status_code == 200
    volunteer.refresh_from_db()
    assert not volunteer.emails_paused
    response = Client().post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.emails_paused


@pytest.mark.django_db
def test_preferences_pause_and_weekly_digest_opt_in(volunteer: Resident) -> None:
    client = web_client(volunteer.user)
    assert client.get("/email/settings/").status_code == 200
    response = client.post("/email/settings/", {"weekly_digest": "on"}, follow=True)
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.weekly_digest and not volunteer.emails_paused
    assert volunteer.consents.filter(purpose=Consent.Purpose.DIGEST, withdrawn_at__isnull=True).count() == 1
    client.post("/email/settings/", {"emails_paused": "on"})
    volunteer.refresh_from_db()
    assert volunteer.emails_paused and not volunteer.weekly_digest
    assert not volunteer.consents.filter(purpose=Consent.Purpose.DIGEST, withdrawn_at__isnull=True).exists()
    assert Client().get("/email/settings/").status_code == 302  # Signed-out: to the login page.


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_headless_browser_opens_the_emailed_link_changes_nothing_then_confirms(
    page: object, live_server: object, smtp_server: SMTPSink, volunteer: Resident, requester: Resident
) -> None:
    proposal = propose(open_request(requester), volunteer)
    with transaction.atomic():
        notify(template="proposal", key="p:browser", resident=volunteer, context={"proposal_id": proposal.pk})
    text, _ = text_and_html(smtp_server.wait_for(1, timeout=5)[0])
    accept_url = re.search(r"(http://testserver/email/proposal/accept/\S+)", text).group(1)  # type: ignore[union-attr]
    url = accept_url.replace("http://testserver", live_server.url)  # type: ignore[attr-defined]
    page.goto(url)  # type: ignore[attr-defined]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED  # A mail scanner's visit does nothing.
    assert_accessible(page)
    page.get_by_role("button", name="Ja, ik help").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.get_by_role("heading", name="Bedankt dat je helpt").is_visible()  # type: ignore[attr-defined]
    assert_accessible(page)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    page.goto(url)  # type: ignore[attr-defined]
    assert page.get_by_role("heading", name="Je antwoordde al").is_visible()  # type: ignore[attr-defined]
