"""The coordinator's table views: filters, search and sort through GET parameters, phone numbers as `tel:` links,
and a bounded number of SQL queries whatever the number of rows."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from burenhulp.coordination.models import QueueKind
from burenhulp.core.models import AuditLog, Neighbourhood
from burenhulp.core.templatetags.phone import tel_href
from burenhulp.helprequests.models import TriageLevel
from burenhulp.residents.models import Resident
from tests.coordination.conftest import queued_request
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def _rows(html: str, table_class: str) -> list[str]:
    body = html.split(f'class="table-dense {table_class}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, flags=re.S)


def test_tel_href_keeps_digits_and_plus() -> None:
    assert tel_href("056 12 34 56") == "tel:056123456"
    assert tel_href("+32 (0)470/12.34.56") == "tel:+320470123456"
    assert tel_href("") == "" and tel_href(None) == ""


def test_menu_has_four_groups(coordinator_web: Client) -> None:
    html = coordinator_web.get("/coordinator/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    nav = html.split('class="coord-nav"', 1)[1].split("</nav>", 1)[0]
    assert nav.count('class="nav-group"') == 4
    for title in ("Work", "Residents", "Print", "Manage"):
        assert f">{title}</span>" in nav
    assert "SLOT (branch calls)" not in html  # the slot is a template comment, never sent


def test_queue_filters_search_and_sort(coordinator_web: Client, requester: Resident) -> None:
    old = queued_request(requester, age=timedelta(days=3), description="Schimmel in de slaapkamer")
    crisis = queued_request(requester, level=TriageLevel.CRISIS, description="Hij slaat mij")
    light = queued_request(
        requester, level=TriageLevel.LIGHT, kind=QueueKind.NO_MATCH, category="hond", description="Hond uitlaten"
    )
    get = lambda q: coordinator_web.get(f"/coordinator/{q}", HTTP_ACCEPT_LANGUAGE="en").content.decode()  # noqa: E731
    html = get("")
    assert len(_rows(html, "queue-table")) == 3
    assert html.index(f"/item/{crisis.pk}/") < html.index(f"/item/{old.pk}/")  # most urgent first
    html = get("?sort=newest")
    assert html.index(f"/item/{light.pk}/") < html.index(f"/item/{old.pk}/")
    html = get("?sort=oldest")
    assert html.index(f"/item/{old.pk}/") < html.index(f"/item/{light.pk}/")
    assert 'aria-sort="ascending"' in html
    html = get("?kind=no_match")
    rows = _rows(html, "queue-table")
    assert len(rows) == 1 and f"/item/{light.pk}/" in rows[0]
    html = get("?level=crisis")
    assert [f"/item/{crisis.pk}/" in r for r in _rows(html, "queue-table")] == [True]
    html = get("?q=schimmel")
    assert [f"/item/{old.pk}/" in r for r in _rows(html, "queue-table")] == [True]
    assert "1 item matches." in html
    # Unknown values fall back to the default instead of an error; the filters survive in the sort links.
    assert coordinator_web.get("/coordinator/?sort=drop&level=x&kind=y&page=zz").status_code == 200
    html = get("?kind=triage&q=a")
    assert "kind=triage&amp;q=a&amp;sort=oldest" in html
    assert get("?q=nothinglikethis").count("No item matches these filters.") == 1


def test_queue_and_tables_stay_within_15_queries(
    coordinator_web: Client, buurt: Neighbourhood, requester: Resident, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        queued_request(requester, description=f"Vraag {i}")
    for i in range(30):
        ResidentFactory(
            buurt=buurt, phone=f"0470 00 00 {i:02d}", offers=["hond"], street=None, street_typed=f"Typo {i}"
        )
    for url in (
        "/coordinator/",
        "/coordinator/?q=vraag&level=heavy&sort=newest",
        "/coordinator/volunteers/",
        "/coordinator/volunteers/?show=free&sort=busy&q=bewoner",
        "/coordinator/residents/",
        "/coordinator/residents/?show=offers&sort=street&q=047",
        "/coordinator/residents/streets/",
    ):
        with django_assert_max_num_queries(15):
            assert coordinator_web.get(url).status_code == 200, url


def test_volunteers_table_has_phone_links_search_and_filters(
    coordinator_web: Client, buurt: Neighbourhood, volunteer: Resident
) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(phone="0470 12 34 56")
    other = ResidentFactory(buurt=buurt, first_name="Zeno", phone="", offers=["hond"])
    html = coordinator_web.get("/coordinator/volunteers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(_rows(html, "volunteer-table")) == 2
    assert '<a href="tel:0470123456">0470 12 34 56</a>' in html
    html = coordinator_web.get("/coordinator/volunteers/?q=zeno", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _rows(html, "volunteer-table")
    assert len(rows) == 1 and other.first_name in rows[0]
    html = coordinator_web.get("/coordinator/volunteers/?sort=name", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    names = re.findall(r"/coordinator/residents/(\d+)/", html)
    assert names.index(str(volunteer.pk)) < names.index(str(other.pk))  # Victor before Zeno
    html = coordinator_web.get("/coordinator/volunteers/?show=paused", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nobody matches these filters." in html
    assert AuditLog.objects.filter(reason="volunteers overview").exists()


def test_residents_table_filters_and_phone(coordinator_web: Client, buurt: Neighbourhood, requester: Resident) -> None:
    Resident.objects.filter(pk=requester.pk).update(phone="056 11 22 33")
    helper = ResidentFactory(buurt=buurt, first_name="Hilde", offers=["hond"])
    html = coordinator_web.get("/coordinator/residents/?show=offers", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _rows(html, "resident-table")
    assert len(rows) == 1 and "Hilde" in rows[0] and f"/coordinator/residents/{helper.pk}/" in rows[0]
    html = coordinator_web.get("/coordinator/residents/?q=11 22", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _rows(html, "resident-table")
    assert len(rows) == 1 and 'href="tel:056112233"' in rows[0]
