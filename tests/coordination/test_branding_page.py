"""Issue #16: a coordinator sets her neighbourhood's branding on the "Branding" page (nl "Huisstijl"), without the
Django admin: the same form and rules, audited, behind the coordinator gate, and the header shows it at once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from burenhulp.core.models import AuditLog, Branding, Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import web_client

pytestmark = pytest.mark.django_db

URL = "/coordinator/branding/"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (500, 200), "#7a1f5c").save(out, format="PNG")
    return out.getvalue()


def data(**kw: str) -> dict[str, str]:
    return {
        "name": "Zorgzaam Wakken",
        "colour": "#7a1f5c",
        "contact_line": "Zorgpunt Wakken · 056 12 34 56",
        "privacy_statement": "Wij bewaren alleen wat nodig is.",
        "accessibility_statement": "Deze website volgt WCAG 2.1 AA.",
    } | kw


def test_only_a_coordinator_of_the_neighbourhood_reaches_the_page(
    requester: Resident, outsider_coordinator: User, buurt: Neighbourhood
) -> None:
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert web_client(requester.user).get(URL).status_code == 404
    assert web_client(requester.user).post(URL, data()).status_code == 404
    # Another neighbourhood's coordinator edits her own neighbourhood's row, never this one's.
    assert web_client(outsider_coordinator).post(URL, data(name="Elders")).status_code == 302
    assert not Branding.objects.filter(buurt=buurt).exists()
    assert Branding.objects.get(name="Elders").buurt_id != buurt.pk


def test_the_menu_links_the_page_in_the_manage_group(coordinator_web: Client) -> None:
    html = coordinator_web.get("/coordinator/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    manage = html[html.index('id="nav-admin"') :]
    assert 'href="/coordinator/branding/"' in manage[: manage.index("</ul>")] and ">Huisstijl<" in manage


def test_saving_creates_the_row_audits_and_the_header_shows_the_new_name_at_once(
    coordinator_web: Client, coordinator: User, buurt: Neighbourhood
) -> None:
    before = coordinator_web.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Huisstijl van" in before and "Zorgzaam Wakken" not in before  # the branding is cached from here on
    response = coordinator_web.post(
        URL, data() | {"logo_upload": SimpleUploadedFile("logo.png", png(), content_type="image/png")}
    )
    assert response.status_code == 302 and response["Location"] == URL
    row = Branding.objects.get(buurt=buurt)
    assert row.name == "Zorgzaam Wakken" and row.colour == "#7a1f5c" and row.contact_line.startswith("Zorgpunt")
    assert max(Image.open(io.BytesIO(bytes(row.logo))).size) <= 400
    log = AuditLog.objects.get(target_type="core.branding", target_id=row.pk)
    assert log.actor == coordinator and log.action == AuditLog.Action.CREATE and log.buurt_id == buurt.pk
    after = coordinator_web.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'class="brand" href="/">' in after and "Zorgzaam Wakken</a>" in after
    assert "Zorgpunt Wakken · 056 12 34 56" in after and "brand-logo-preview" in after
    assert "De huisstijl is bewaard." in after

    # A second save changes the same row; removing the logo empties it.
    assert coordinator_web.post(URL, data(name="Buren van Wakken", remove_logo="on")).status_code == 302
    row.refresh_from_db()
    assert Branding.objects.filter(buurt=buurt).count() == 1 and row.name == "Buren van Wakken" and not row.logo
    assert AuditLog.objects.filter(target_type="core.branding", action=AuditLog.Action.CHANGE).count() == 1
    assert "Buren van Wakken</a>" in coordinator_web.get("/coordinator/").content.decode()


def test_a_light_colour_is_refused_with_its_ratio_and_nothing_typed_is_lost(
    coordinator_web: Client, buurt: Neighbourhood
) -> None:
    response = coordinator_web.post(URL, data(colour="#ffcc00", name="Zorgzaam Wakken"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "too light" in html and "1.5 to 1" in html and "4.5 to 1" in html
    assert 'value="#ffcc00"' in html and 'value="Zorgzaam Wakken"' in html and "Wij bewaren alleen" in html
    assert not Branding.objects.filter(buurt=buurt).exists()
    dutch = coordinator_web.post(URL, data(colour="#ffcc00"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "too light" not in dutch and "1.5" in dutch and "4.5" in dutch


def test_a_file_that_is_no_picture_is_refused(coordinator_web: Client, buurt: Neighbourhood) -> None:
    bad = SimpleUploadedFile("logo.png", b"not a picture", content_type="image/png")
    html = coordinator_web.post(URL, data() | {"logo_upload": bad}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "not a picture" in html and 'value="Zorgzaam Wakken"' in html
    assert not Branding.objects.filter(buurt=buurt).exists()


def test_a_new_row_starts_from_the_municipality_branding(coordinator_web: Client, buurt: Neighbourhood) -> None:
    Neighbourhood.objects.filter(pk=buurt.pk).update(municipality="Dentergem")
    Branding.objects.create(name="Gemeente Dentergem", municipality="Dentergem", contact_line="09 123 45 67")
    html = coordinator_web.get(URL).content.decode()
    assert 'value="Gemeente Dentergem"' in html and 'value="09 123 45 67"' in html


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_page_stays_within_15_queries(
    coordinator_web: Client, buurt: Neighbourhood, lang: str, django_assert_max_num_queries: Any
) -> None:
    Branding.objects.create(name="Zorgzaam Wakken", buurt=buurt, logo=png())
    with django_assert_max_num_queries(15):
        assert coordinator_web.get(URL, HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
    with django_assert_max_num_queries(15):
        assert coordinator_web.post(URL, data(), HTTP_ACCEPT_LANGUAGE=lang).status_code == 302
