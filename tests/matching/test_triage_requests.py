"""Issue #12, acceptance 3, through the API and in a real browser: a request in Turkish goes to the coordinator
queue with the reason "written in Turkish"; an emoji-only request goes to the queue; an indirect suicidal request
shows the help lines and alerts the coordinator once; so does a crisis written in another language (round 2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from burenhulp.coordination.models import QueueItem
from burenhulp.core.models import User
from burenhulp.helprequests.models import HelpRequest, MatchProposal
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident
from tests.conftest import api_client
from tests.pages import assert_accessible, browser_login, screenshot
from tests.requests.helpers import helper

TURKISH = "Merhaba, bu hafta sonu köpeğimi gezdirebilecek biri var mı? Ailemi ziyarete gidiyorum, teşekkürler."
EMOJI = "🙏🙏😢"
# Indirect: no word of suicide, a farewell and affairs put in order.
INDIRECT = "Ik heb mijn zaken geregeld en de brieven voor mijn kinderen liggen klaar. Wie wil mijn kat? Ik ben er volgende week niet meer."


def ask(user: User, description: str, category: str = "andere") -> Any:
    return api_client(user).post(
        "/api/v1/requests/",
        {"category": category, "description": description},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.fixture
def neighbours(buurt: Any) -> list[Resident]:
    return [helper(buurt, 100 * (i + 1), email=f"buur{i}@example.org", offers=("hond", "andere")) for i in range(4)]


@pytest.mark.django_db
def test_a_turkish_request_goes_to_the_queue_written_in_turkish(
    requester: Resident, neighbours: list[Resident]
) -> None:
    answer = ask(requester.user, TURKISH, "hond")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "queued" and body["triage"]["level"] == "heavy"
    assert "Written in Turkish: a coordinator reads it first" in body["triage"]["reasons"]
    item = QueueItem.objects.get(request_id=body["id"], kind="triage", status="open")
    assert {"rule": "language", "level": "heavy", "lang": "tr"} in item.reasons
    assert MatchProposal.objects.count() == 0  # no neighbour hears of it
    in_dutch = api_client(requester.user).get(f"/api/v1/requests/{body['id']}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Geschreven in het Turks: eerst leest een coördinator het" in in_dutch.json()["triage"]["reasons"]


@pytest.mark.django_db
def test_an_emoji_only_request_goes_to_the_queue(requester: Resident, neighbours: list[Resident]) -> None:
    body = ask(requester.user, EMOJI).json()
    assert body["status"] == "queued" and body["triage"]["level"] == "heavy"
    assert body["triage"]["reasons"] == ["Too short or too vague to judge: a coordinator looks first"]
    assert QueueItem.objects.filter(request_id=body["id"], kind="triage", status="open").exists()
    assert MatchProposal.objects.count() == 0


@pytest.mark.django_db
def test_an_indirect_suicidal_request_shows_the_help_lines_and_alerts_the_coordinator_once(
    requester: Resident,
    coordinator: User,
    neighbours: list[Resident],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        body = ask(requester.user, INDIRECT).json()
    assert body["triage"]["level"] == "crisis" and body["status"] == "queued"
    assert [n["number"] for n in body["emergency_numbers"]] == ["112", "1813", "106", "1712"]
    assert MatchProposal.objects.count() == 0
    assert Notification.objects.filter(template="crisis_alert", recipient_user=coordinator).count() == 1
    to_coordinator = [m for m in mailoutbox if coordinator.email in m.to]
    assert len(to_coordinator) == 1, [m.subject for m in to_coordinator]


# A crisis in another language (round 2): smoke from a neighbour's flat and nobody opening, in Ukrainian.
UKRAINIAN_CRISIS = "З квартири сусідки йде дим, вона не відчиняє двері, їй 85 років."


@pytest.mark.django_db
def test_a_crisis_in_another_language_shows_the_help_lines_and_alerts_once(
    requester: Resident,
    coordinator: User,
    neighbours: list[Resident],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        body = ask(requester.user, UKRAINIAN_CRISIS).json()
    assert body["triage"]["level"] == "crisis" and body["status"] == "queued"
    assert "Written in Ukrainian: a coordinator reads it first" in body["triage"]["reasons"]
    assert any(r.startswith("A medical emergency or danger at home") for r in body["triage"]["reasons"])
    assert [n["number"] for n in body["emergency_numbers"]] == ["112", "1813", "106", "1712"]
    assert MatchProposal.objects.count() == 0
    assert Notification.objects.filter(template="crisis_alert", recipient_user=coordinator).count() == 1
    assert len([m for m in mailoutbox if coordinator.email in m.to]) == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_turkish_emoji_and_indirect_crisis(
    page: Any, live_server: Any, requester: Resident, coordinator: User
) -> None:
    browser_login(page, live_server.url, requester.user)
    page.context.add_cookies([{"name": "burenhulp_language", "value": "en", "url": live_server.url}])

    def ask_here(text: str) -> HelpRequest:
        page.goto("/help/ask/")
        page.locator("input[value=andere]").check()
        page.locator("textarea[name=description]").fill(text)
        page.locator("button[type=submit].button-big").click()
        page.wait_for_url("**/help/request/**")
        return HelpRequest.objects.get(public_id=page.url.split("?")[0].rstrip("/").rsplit("/", 1)[1])

    turkish = ask_here(TURKISH)
    assert turkish.status == "queued"
    assert page.locator(".language-gate h2").inner_text() == (
        "Your request is written in Turkish: a coordinator reads it first"
    )
    assert page.locator(".emergency a[href='tel:1813']").is_visible()
    assert "Written in Turkish: a coordinator reads it first" in page.locator(".triage-reasons").inner_text()
    assert_accessible(page)
    screenshot(page, "triage-language-gate")

    emoji = ask_here(EMOJI)
    assert emoji.status == "queued" and emoji.triage_level == "heavy"
    assert "Too short or too vague to judge" in page.locator(".triage-reasons").inner_text()

    crisis = ask_here(INDIRECT)
    assert crisis.triage_level == "crisis"
    assert page.locator(".emergency a[href='tel:1813']").is_visible()
    assert_accessible(page)
    screenshot(page, "triage-indirect-crisis")
    assert Notification.objects.filter(template="crisis_alert", recipient_user=coordinator).count() == 1
