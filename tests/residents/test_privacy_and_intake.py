"""What neighbours see, photo access, tenant scoping and the coordinator's intake on a resident's behalf."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from burenhulp.core.categories import Category
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.residents.models import Consent, Resident
from tests.conftest import web_client
from tests.factories import ResidentFactory, UserFactory
from tests.residents.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def label(slug: str) -> str:
    with translation.override("nl-be"):
        return str(Category(slug).label)


SECRETS = {
    "last_name": "Vanlerberghe",
    "house_description": "Geheime-gele-deur",
    "favourites": "Geheim-boek",
    "dream": "Geheime-droom",
    "favourite_food": "Geheim-eten",
}


def sharing_neighbour(buurt: Neighbourhood, shared: list[str]) -> Resident:
    user = UserFactory(email="neighbour@example.org")
    r = ResidentFactory(
        buurt=buurt,
        user=user,
        first_name="Nele",
        phone="0499 88 77 66",
        email="neighbour@example.org",
        house_number="77B",
        birth_date="1961-07-21",
        languages=["tr"],
        offers=["tuin"],
        wants=["documenten"],
        shared_fields=shared,
        **SECRETS,
    )
    r.housemates.create(name="Geheime-huisgenoot")
    Consent.objects.create(resident=r, purpose="share_profile", text_version="t")
    client = web_client(user)
    client.post("/burenbox/step/photo/", {"photo": upload(image_bytes()), "go": "stop"})
    r.refresh_from_db()
    return r


def test_a_neighbour_never_sees_an_unshared_field(buurt: Neighbourhood, requester: Resident) -> None:
    nele = sharing_neighbour(buurt, shared=["offers"])
    html = web_client(requester.user).get("/burenbox/neighbours/").content.decode()
    assert "Nele" in html and label("tuin") in html
    for secret in [
        *SECRETS.values(),
        "Geheime-huisgenoot",
        "0499 88 77 66",
        "77B",
        "neighbour@example.org",
        nele.street.name,
        "Türkçe",
        "juli",
        str(nele.public_id),
    ]:
        assert secret not in html, secret
    assert label("documenten") not in html  # "wants" not shared either
    # The photo was not shared: its URL answers 404 to the neighbour.
    assert web_client(requester.user).get(f"/burenbox/photo/{nele.public_id}/").status_code == 404


def test_a_neighbour_sees_exactly_what_was_shared_and_never_the_address(
    buurt: Neighbourhood, requester: Resident
) -> None:
    nele = sharing_neighbour(
        buurt,
        shared=[
            "last_name",
            "house_description",
            "favourites",
            "dream",
            "favourite_food",
            "street",
            "photo",
            "housemates",
            "languages",
            "birthday",
            "wants",
        ],
    )
    client = web_client(requester.user)
    html = client.get("/burenbox/neighbours/").content.decode()
    for shown in [*SECRETS.values(), "Geheime-huisgenoot", nele.street.name, "Türkçe", "21 juli"]:
        assert shown in html, shown
    for never in ("0499 88 77 66", "77B", "neighbour@example.org", "1961", str(nele.lat)):
        assert never not in html, never
    response = client.get(f"/burenbox/photo/{nele.public_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]


def test_a_card_not_shared_is_not_listed(buurt: Neighbourhood, requester: Resident, volunteer: Resident) -> None:
    html = web_client(requester.user).get("/burenbox/neighbours/").content.decode()
    assert "Victor" not in html  # no share_profile consent


def test_a_withdrawn_resident_is_not_listed(buurt: Neighbourhood, requester: Resident) -> None:
    nele = sharing_neighbour(buurt, shared=["offers"])
    web_client(nele.user).post("/burenbox/consent/", {"purpose": "platform", "give": "0", "confirmed": "1"})
    assert "Nele" not in web_client(requester.user).get("/burenbox/neighbours/").content.decode()


def test_residents_of_another_neighbourhood_are_never_shown(buurt: Neighbourhood, outsider: Resident) -> None:
    nele = sharing_neighbour(buurt, shared=["offers", "photo"])
    assert "Nele" not in web_client(outsider.user).get("/burenbox/neighbours/").content.decode()
    assert web_client(outsider.user).get(f"/burenbox/photo/{nele.public_id}/").status_code == 404
    assert Client().get(f"/burenbox/photo/{nele.public_id}/").status_code == 404


def test_photos_are_not_served_from_media(buurt: Neighbourhood, requester: Resident) -> None:
    nele = sharing_neighbour(buurt, shared=["photo"])
    assert web_client(requester.user).get(f"/media/{nele.photo.name}").status_code == 404


def test_a_coordinator_sees_the_photo_and_the_view_is_audited(buurt: Neighbourhood, coordinator: User) -> None:
    nele = sharing_neighbour(buurt, shared=[])
    assert web_client(coordinator).get(f"/burenbox/photo/{nele.public_id}/").status_code == 200
    assert AuditLog.objects.filter(actor=coordinator, subject_resident_id=nele.pk, action="view").exists()


# --- Coordinator intake ----------------------------------------------------------------------------------------

INTAKE = {
    "consent_given": "on",
    "consent_how": "verbal",
    "contact_via": "relative",
    "contact_note": "Via haar zoon Jan, 0470 12 34 56",
    "email": "",
    "language": "nl-be",
    "first_name": "Maria",
    "last_name": "Claeys",
    "birth_date": "1938-04-01",
    "street": "Dorpsplaats",
    "house_number": "3 bus 2",
    "phone": "051 33 44 55",
    "offers": ["samen"],
    "wants": ["boodschappen", "vuilnis"],
    "max_active_matches": "1",
    "max_matches_per_month": "4",
    "hm-TOTAL_FORMS": "1",
    "hm-INITIAL_FORMS": "0",
    "hm-0-name": "",
}


def test_a_coordinator_creates_a_burenbox_without_email(buurt: Neighbourhood, coordinator: User) -> None:
    client = web_client(coordinator)
    response = client.post("/coordinator/residents/new/", INTAKE)
    assert response.status_code == 302, response.content.decode()[:2000]
    maria = Resident.objects.get(first_name="Maria")
    assert maria.buurt == buurt and maria.user is None and maria.email == ""
    assert (maria.created_via, maria.created_by, maria.consent_how) == ("coordinator", coordinator, "verbal")
    assert (maria.contact_via, maria.contact_note) == ("relative", "Via haar zoon Jan, 0470 12 34 56")
    assert maria.approved and maria.house_number == "3 bus 2"
    consent = maria.consents.get(purpose="platform")
    assert consent.how == "verbal" and consent.recorded_by == coordinator
    assert maria.wanted_categories() == {"boodschappen", "vuilnis"}
    assert AuditLog.objects.filter(action="create", subject_resident_id=maria.pk).exists()
    printed = client.get(f"/coordinator/residents/{maria.pk}/print/")
    assert printed.status_code == 200 and "Maria" in printed.content.decode()
    assert AuditLog.objects.filter(action="view", subject_resident_id=maria.pk, reason="print card").exists()


def test_intake_with_email_makes_an_account_for_login_by_code(buurt: Neighbourhood, coordinator: User) -> None:
    from allauth.account.models import EmailAddress

    web_client(coordinator).post("/coordinator/residents/new/", {**INTAKE, "email": "Maria@Example.org"})
    maria = Resident.objects.get(first_name="Maria")
    assert maria.user is not None and maria.user.email == "maria@example.org"
    assert not maria.user.has_usable_password()
    assert EmailAddress.objects.get(user=maria.user).verified


def test_intake_errors_keep_everything_typed(buurt: Neighbourhood, coordinator: User) -> None:
    response = web_client(coordinator).post("/coordinator/residents/new/", {**INTAKE, "birth_date": "2999-01-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "in de toekomst" in html and 'value="Claeys"' in html and 'value="3 bus 2"' in html
    assert 'value="boodschappen" checked' in html and "Via haar zoon Jan" in html
    assert not Resident.objects.filter(first_name="Maria").exists()


def test_intake_without_consent_is_refused(buurt: Neighbourhood, coordinator: User) -> None:
    data = {k: v for k, v in INTAKE.items() if k != "consent_given"}
    assert web_client(coordinator).post("/coordinator/residents/new/", data).status_code == 400


def test_a_coordinator_edits_and_every_view_is_audited(coordinator: User, requester: Resident) -> None:
    client = web_client(coordinator)
    assert client.get(f"/coordinator/residents/{requester.pk}/").status_code == 200
    assert AuditLog.objects.filter(actor=coordinator, action="view", subject_resident_id=requester.pk).exists()
    response = client.post(
        f"/coordinator/residents/{requester.pk}/", {**INTAKE, "first_name": "Rita", "email": requester.email}
    )
    assert response.status_code == 302
    requester.refresh_from_db()
    assert (
        requester.wanted_categories() == {"boodschappen", "vuilnis"} and requester.user.email == "requester@example.org"
    )
    assert AuditLog.objects.filter(actor=coordinator, action="change", subject_resident_id=requester.pk).exists()


def test_a_coordinator_of_another_neighbourhood_gets_404(outsider_coordinator: User, requester: Resident) -> None:
    client = web_client(outsider_coordinator)
    for url in (f"/coordinator/residents/{requester.pk}/", f"/coordinator/residents/{requester.pk}/print/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/coordinator/residents/{requester.pk}/", INTAKE).status_code == 404
    assert "Rita" not in client.get("/coordinator/residents/").content.decode()


def test_residents_cannot_reach_coordinator_pages(requester: Resident) -> None:
    client = web_client(requester.user)
    for url in (
        "/coordinator/residents/",
        "/coordinator/residents/new/",
        "/coordinator/residents/poster/",
        "/coordinator/residents/blank-cards/",
        f"/coordinator/residents/{requester.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_poster_and_blank_cards_carry_the_neighbourhood_qr_code(buurt: Neighbourhood, coordinator: User) -> None:
    client = web_client(coordinator)
    poster = client.get("/coordinator/residents/poster/").content.decode()
    assert poster.count('<svg role="img"') == 2 and "Ik help graag" in poster and "Ik kan hulp gebruiken" in poster
    assert f"/buurt/{buurt.slug}/join/" in poster
    blank = client.get("/coordinator/residents/blank-cards/", {"street": "Kerkstraat"}).content.decode()
    assert '<svg role="img"' in blank and "Kerkstraat" in blank and "✔" not in blank


def test_media_root_is_temporary(media_root: Path) -> None:
    assert "media" in str(media_root)
