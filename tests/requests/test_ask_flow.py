"""The ask flow: a clear "sent" page with what happens next, a date range over several days (checked in
helprequests/validation.py), "urgent" explained in one line, plain words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import HelpRequest
from burenhulp.residents.models import Resident
from matching.rules import LOCAL_TZ
from tests.conftest import web_client
from tests.requests.helpers import HEAVY, LIGHT, helper

pytestmark = pytest.mark.django_db


def ask(resident: Resident, **data: str) -> object:
    return web_client(resident.user).post(
        reverse("requests:new"),
        {"category": "boodschappen", "description": LIGHT, "when": "flexible", **data},
        HTTP_ACCEPT_LANGUAGE="nl",
    )


def test_the_sent_page_says_it_was_sent_and_what_happens_next(buurt: Neighbourhood, requester: Resident) -> None:
    helper(buurt, 100)
    answer = ask(requester)
    page = web_client(requester.user).get(answer["Location"], HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Je hulpvraag is verstuurd" in page
    assert "We vroegen het aan een paar buren dicht bij jou" in page


def test_a_heavy_request_sent_page_says_a_coordinator_looks_first(requester: Resident) -> None:
    answer = ask(requester, description=HEAVY, category="andere")
    page = web_client(requester.user).get(answer["Location"], HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Je hulpvraag is verstuurd" in page and "coördinator" in page


def test_help_over_several_days_is_one_request_from_first_to_last_day(requester: Resident) -> None:
    first = timezone.localdate() + timedelta(days=2)
    last = first + timedelta(days=3)
    answer = ask(requester, when="days", day=first.isoformat(), end_day=last.isoformat(), part="morning")
    assert answer.status_code == 302
    hr = HelpRequest.objects.get()
    assert hr.window_start is not None and hr.window_end is not None
    assert hr.window_start.astimezone(LOCAL_TZ).date() == first and hr.window_start.astimezone(LOCAL_TZ).hour == 8
    assert hr.window_end.astimezone(LOCAL_TZ).date() == last and hr.window_end.astimezone(LOCAL_TZ).hour == 12
    page = web_client(requester.user).get(answer["Location"], HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Van " in page and " tot " in page


@pytest.mark.parametrize(
    ("days", "end_offset", "message"),
    [
        (2, None, "laatste dag"),
        (5, -2, "einde ligt voor het begin"),
        (1, 40, "vier weken"),
    ],
)
def test_a_bad_range_is_refused_and_keeps_what_was_typed(
    requester: Resident, days: int, end_offset: int | None, message: str
) -> None:
    first = timezone.localdate() + timedelta(days=days)
    data = {"when": "days", "day": first.isoformat(), "description": "Boodschappen tijdens mijn herstel"}
    if end_offset is not None:
        data["end_day"] = (first + timedelta(days=end_offset)).isoformat()
    answer = ask(requester, **data)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert message in html and "Boodschappen tijdens mijn herstel" in html
    assert HelpRequest.objects.count() == 0


def test_urgent_is_explained_and_the_photo_hint_has_no_jargon(requester: Resident) -> None:
    client = web_client(requester.user)
    ask_page = client.get(reverse("requests:new"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "vandaag of morgen" in ask_page
    photo = client.get("/burenbox/step/photo/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "JPEG" not in photo and "WebP" not in photo
