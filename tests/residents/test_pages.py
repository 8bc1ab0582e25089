"""The Burenbox pages: joining, the steps, My Burenbox, pause and resume, consent, printing, neighbours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from burenhulp.core.models import Neighbourhood, Street
from burenhulp.residents.models import Consent, HelpKind, Resident
from tests.conftest import web_client
from tests.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_join_lists_neighbourhoods_and_goes_to_the_chosen_one(buurt: Neighbourhood) -> None:
    client = Client()
    page = client.get("/burenbox/join/")
    assert buurt.name in page.content.decode()
    response = client.get("/burenbox/join/", {"buurt": buurt.slug})
    assert response.status_code == 302 and response["Location"] == f"/buurt/{buurt.slug}/join/"


def test_the_neighbourhood_link_offers_sign_up_and_remembers_the_neighbourhood(buurt: Neighbourhood) -> None:
    client = Client()
    page = client.get(f"/buurt/{buurt.slug}/join/")
    assert page.status_code == 200
    assert f"/accounts/signup/?next=/buurt/{buurt.slug}/join/" in page.content.decode()
    # After signing up, the dashboard sends a user without a profile to join, which continues with this buurt.
    user = UserFactory(email="new@example.org")
    client.force_login(user)
    assert client.get("/dashboard/")["Location"] == "/burenbox/join/"
    assert client.get("/burenbox/join/")["Location"] == f"/buurt/{buurt.slug}/join/"


def test_an_unknown_neighbourhood_is_404() -> None:
    assert Client().get("/buurt/nowhere/join/").status_code == 404


def test_joining_needs_a_first_name_and_consent_and_keeps_what_was_typed(buurt: Neighbourhood) -> None:
    client = web_client(UserFactory(email="new@example.org"))
    response = client.post(f"/buurt/{buurt.slug}/join/", {"first_name": "Mieke"})
    assert response.status_code == 400
    assert 'value="Mieke"' in response.content.decode()
    assert "Vink het vakje aan" in response.content.decode()
    assert not Resident.objects.exists()
    response = client.post(f"/buurt/{buurt.slug}/join/", {"first_name": "Mieke", "consent": "yes"})
    assert response["Location"] == "/burenbox/step/me/"
    resident = Resident.objects.get()
    assert resident.buurt == buurt and resident.user.email == "new@example.org" and resident.email == "new@example.org"
    consent = resident.consents.get()
    assert consent.purpose == "platform" and consent.how == "online" and consent.text_version


def test_a_resident_visiting_join_lands_on_my_burenbox(requester: Resident) -> None:
    assert web_client(requester.user).get("/burenbox/join/")["Location"] == "/burenbox/"


def test_every_step_saves_and_the_card_is_complete(requester: Resident) -> None:
    Street.objects.create(buurt=requester.buurt, name="Kerkstraat")  # on the neighbourhood's list (issue #14 L7)
    client = web_client(requester.user)
    steps = {
        "me": {
            "first_name": "Rita",
            "last_name": "Maes",
            "birth_date": "1940-03-12",
            "street": "Kerkstraat",
            "house_number": "12B",
            "house_description": "Groene deur",
            "phone": "051 12 34 56",
            "other_contact": "Bel twee keer",
            "hm-TOTAL_FORMS": "3",
            "hm-INITIAL_FORMS": "0",
            "hm-0-name": "Jan",
            "hm-0-birthday": "1938-01-02",
            "hm-1-name": "",
            "hm-2-name": "",
        },
        "help": {"offers": ["planten", "samen"], "wants": ["boodschappen", "chauffeur"]},
        "more": {
            "favourites": "Kuifje",
            "dream": "Naar Rome",
            "favourite_food": "Stoofvlees",
            "languages": ["nl", "fr"],
        },
        "when": {
            "availability": ["0-morning", "2-afternoon"],
            "has_car": "on",
            "max_active_matches": "1",
            "max_matches_per_month": "3",
            "paused_until": "",
        },
        "sharing": {"share_card": "on", "shared_fields": ["offers", "street", "favourites"], "language": "fr"},
    }
    for step, data in steps.items():
        response = client.post(f"/burenbox/step/{step}/", {**data, "go": "next"})
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    r = Resident.objects.get(pk=requester.pk)
    assert (r.last_name, r.house_number, r.street.name, r.street.buurt_id) == ("Maes", "12B", "Kerkstraat", r.buurt_id)
    assert [h.name for h in r.housemates.all()] == ["Jan"]
    assert r.offered_categories() == {"planten", "samen"} and r.wanted_categories() == {"boodschappen", "chauffeur"}
    assert set(r.help_entries.values_list("buurt_id", flat=True)) == {r.buurt_id}
    assert r.availability == [{"day": 0, "part": "morning"}, {"day": 2, "part": "afternoon"}]
    assert r.has_car and r.max_active_matches == 1 and r.max_matches_per_month == 3
    assert r.languages == ["nl", "fr"] and r.language == "fr" and r.favourite_food == "Stoofvlees"
    assert r.shared_fields == ["offers", "street", "favourites"]
    assert r.consents.filter(purpose=Consent.Purpose.SHARE_PROFILE, withdrawn_at__isnull=True).exists()
    page = client.get("/burenbox/").content.decode()
    for text in ("Maes", "Kerkstraat 12B", "Kuifje", "Naar Rome", "Stoofvlees", "Jan"):
        assert text in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"birth_date": "2999-01-01"}, "in de toekomst"),
        ({"house_number": "twaalf"}, "12B"),
        ({"phone": "bel me"}, "telefoonnummer"),
        ({"first_name": "  "}, "Dit veld is vereist"),
    ],
)
def test_nothing_typed_is_lost_on_a_validation_error(requester: Resident, data: dict[str, str], error: str) -> None:
    client = web_client(requester.user)
    typed = {
        "first_name": "Rita",
        "last_name": "Vandenbroucke",
        "birth_date": "1950-05-05",
        "street": "Molenstraat",
        "house_number": "7",
        "house_description": "Huis met de rode brievenbus",
        "phone": "0470 11 22 33",
        "other_contact": "Via de buurvrouw",
        "hm-TOTAL_FORMS": "1",
        "hm-INITIAL_FORMS": "0",
        "hm-0-name": "Lucienne",
        "hm-0-birthday": "1952-02-02",
        **data,
    }
    response = client.post("/burenbox/step/me/", {**typed, "go": "next"})
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    for name, value in typed.items():
        if name.startswith("hm-") and name.endswith("FORMS"):
            continue
        if value.strip():
            assert f'value="{value}"' in html or f">\n{value}</textarea>" in html, name
    assert Resident.objects.get(pk=requester.pk).last_name != "Vandenbroucke"


def test_nothing_ticked_is_lost_on_a_validation_error(requester: Resident) -> None:
    client = web_client(requester.user)
    response = client.post(
        "/burenbox/step/when/",
        {"availability": ["4-evening"], "has_car": "on", "max_active_matches": "99", "max_matches_per_month": "5"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="av-4-evening" name="availability" value="4-evening" checked' in html
    assert 'name="has_car" id="id_has_car" checked' in html or ('id="id_has_car"' in html and "checked" in html)
    assert 'value="99"' in html and 'value="5"' in html


def test_a_pause_in_the_past_is_refused(requester: Resident) -> None:
    client = web_client(requester.user)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        "/burenbox/step/when/", {"paused_until": yesterday, "max_active_matches": "2", "max_matches_per_month": "6"}
    )
    assert response.status_code == 400 and "voorbij" in response.content.decode()


def test_pause_and_resume_in_one_tap(requester: Resident) -> None:
    client = web_client(requester.user)
    assert client.post("/burenbox/pause/", {"weeks": "2"}).status_code == 302
    requester.refresh_from_db()
    assert requester.paused_until == timezone.localdate() + timedelta(weeks=2) and requester.is_paused()
    assert "Weer helpen" in client.get("/burenbox/").content.decode()
    client.post("/burenbox/resume/")
    requester.refresh_from_db()
    assert requester.paused_until is None and not requester.is_paused()
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    client.post("/burenbox/pause/", {"until": until})
    requester.refresh_from_db()
    assert requester.paused_until.isoformat() == until
    client.post("/burenbox/resume/")
    response = client.post("/burenbox/pause/", {"until": "2001-01-01"}, follow=True)
    assert "vanaf vandaag" in response.content.decode()
    requester.refresh_from_db()
    assert requester.paused_until is None


def test_pause_is_post_only(requester: Resident) -> None:
    assert web_client(requester.user).get("/burenbox/pause/").status_code == 405


def test_withdrawing_the_platform_consent_stops_every_use(requester: Resident, volunteer: Resident) -> None:
    client = web_client(requester.user)
    client.post("/burenbox/consent/", {"purpose": "platform", "give": "1"})
    assert Resident.objects.active().filter(pk=requester.pk).exists()
    client.post("/burenbox/consent/", {"purpose": "platform", "give": "0", "confirmed": "1"})
    requester.refresh_from_db()
    assert requester.consent_withdrawn_at is not None
    assert not Resident.objects.active().filter(pk=requester.pk).exists()  # matching starts from active()
    live = requester.consents.filter(purpose="platform", withdrawn_at__isnull=True)
    assert not live.exists() and requester.consents.filter(purpose="platform").exists()  # the record stays
    client.post("/burenbox/consent/", {"purpose": "platform", "give": "1"})
    requester.refresh_from_db()
    assert requester.consent_withdrawn_at is None and live.count() == 1


def test_my_burenbox_needs_a_profile() -> None:
    client = web_client(UserFactory(email="x@example.org"))
    assert client.get("/burenbox/")["Location"] == "/burenbox/join/"
    assert Client().get("/burenbox/")["Location"].startswith("/accounts/login/")


def test_the_print_card_shows_the_card_with_ticks(volunteer: Resident) -> None:
    html = web_client(volunteer.user).get("/burenbox/print/").content.decode()
    assert "Dag buur!" in html and "Victor" in html
    assert html.count("✔") == 4  # boodschappen, hond, planten, chauffeur offered


def test_an_unknown_step_is_404(requester: Resident) -> None:
    assert web_client(requester.user).get("/burenbox/step/nope/").status_code == 404


def test_pages_use_a_bounded_number_of_queries(
    requester: Resident, buurt: Neighbourhood, django_assert_max_num_queries: object
) -> None:
    for _i in range(15):
        r = ResidentFactory(buurt=buurt, offers=["planten"], wants=["hond"], shared_fields=["offers", "wants"])
        Consent.objects.create(resident=r, purpose="share_profile", text_version="t")
    client = web_client(requester.user)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get("/burenbox/neighbours/").status_code == 200
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get("/burenbox/").status_code == 200


def test_kinds_are_stored_per_column(requester: Resident) -> None:
    web_client(requester.user).post("/burenbox/step/help/", {"offers": ["hond"], "wants": ["hond"], "go": "stop"})
    kinds = sorted(requester.help_entries.filter(category="hond").values_list("kind", flat=True))
    assert kinds == [HelpKind.OFFER, HelpKind.WANT]


def test_an_unknown_category_in_the_form_is_refused(requester: Resident) -> None:
    response = web_client(requester.user).post("/burenbox/step/help/", {"offers": ["hond", "bankroof"]})
    assert response.status_code == 400 and "bankroof" in response.content.decode()
    assert not requester.help_entries.filter(category="hond", kind="offer").exists()
