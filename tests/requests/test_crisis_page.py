"""The crisis page (DESIGN §4, §12): lines per language and region with the right hours, no "1712: 1712:", no
scheduling details under a crisis, one warm sentence; the lines are configured per neighbourhood and the page, the
coordinators' alert email and the API all use the same configuration (the API's default is DESIGN §9's set)."""

from __future__ import annotations

import re

from django.utils import translation

from burenhulp.core.models import HelpLine, Neighbourhood, User
from burenhulp.helprequests import services
from burenhulp.helprequests.models import HelpRequest
from burenhulp.notifications import sending
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident
from tests.conftest import api_client, web_client
from tests.requests.helpers import CRISIS


def _crisis_page(requester: Resident, lang: str) -> str:
    hr = services.request_create(requester=requester, category="andere", description=CRISIS)
    client = web_client(requester.user)
    client.cookies["burenhulp_language"] = lang
    return client.get(f"/help/request/{hr.public_id}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_dutch_readers_get_the_flemish_lines_with_their_hours(requester: Resident) -> None:
    html = _crisis_page(requester, "nl-be")
    numbers = re.findall(r'href="tel:([^"]+)"', html)
    assert numbers == ["112", "1813", "106", "1712"]
    assert "1712: 1712" not in html and '1712</span></a>\n        <span class="emergency-label">1712' not in html
    section = html[html.index("emergency-numbers") : html.index("</ul>", html.index("emergency-numbers"))]
    assert section.lower().count("dag en nacht") == 3  # 112, 1813 and 106; not 1712
    assert "werkdagen" in section.lower()
    assert "flexibel" not in html.lower()  # no scheduling details under a crisis


def test_french_readers_get_french_language_lines(requester: Resident) -> None:
    Resident.objects.filter(pk=requester.pk).update(language="fr")
    User.objects.filter(pk=requester.user_id).update(language="fr")
    requester.refresh_from_db()
    html = _crisis_page(requester, "fr")
    numbers = re.findall(r'href="tel:([^"]+)"', html)
    assert numbers[:3] == ["112", "080032123", "107"]
    assert "Centre de Prévention du Suicide" in html and "Télé-Accueil" in html
    assert "1813" not in html and "tel:106" not in html


def test_english_readers_get_the_flemish_lines_explained_in_english(requester: Resident) -> None:
    Resident.objects.filter(pk=requester.pk).update(language="en")
    User.objects.filter(pk=requester.user_id).update(language="en")
    requester.refresh_from_db()
    html = _crisis_page(requester, "en")
    assert re.findall(r'href="tel:([^"]+)"', html) == ["112", "1813", "106", "1712"]
    assert "working days, 9:00 to 17:00" in html.lower() and "Thank you for telling us" in html


def test_the_api_answers_the_design_numbers_by_default_with_hours(requester: Resident) -> None:
    response = api_client(requester.user).post(
        "/api/v1/requests/", {"category": "andere", "description": CRISIS}, format="json"
    )
    lines = response.json()["emergency_numbers"]
    assert [n["number"] for n in lines] == ["112", "1813", "106", "1712"]
    assert all(n["label"] and n["hours"] for n in lines)
    assert not any(n["label"].startswith(n["number"]) for n in lines)


def test_a_neighbourhood_configures_its_own_lines_for_page_email_and_api(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    HelpLine.objects.create(buurt=buurt, language="", number="112", label="Noodnummer", hours="dag en nacht")
    HelpLine.objects.create(
        buurt=buurt, language="", number="050 12 34 56", label="Wijkpost Wakken", hours="ma–vr 8–20", position=1
    )
    html = _crisis_page(requester, "nl-be")
    assert re.findall(r'href="tel:([^"]+)"', html) == ["112", "050123456"] and "Wijkpost Wakken" in html
    hr = HelpRequest.objects.get()
    body = api_client(coordinator).get(f"/api/v1/requests/{hr.pk}/").json()
    assert [n["number"] for n in body["emergency_numbers"]] == ["112", "050 12 34 56"]
    alert = Notification.objects.get(template="crisis_alert")
    with translation.override("nl"):
        message = sending.build_message(alert)
    assert "050 12 34 56" in message.body and "Wijkpost Wakken" in message.body
