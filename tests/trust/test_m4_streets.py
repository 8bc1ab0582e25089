"""Issue #14, M4 (street half): a street name a resident types that is not on the neighbourhood's list stays with that
resident (never a shared `Street` row, so an erasure leaves nothing behind) until a coordinator confirms it; the
street list comes from `import_streets` with coordinates, and matching uses the street's place."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from burenhulp.core.models import AuditLog, Neighbourhood, Street, User
from burenhulp.privacy.erasure import account_erase
from burenhulp.residents import services
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

TYPED = "Geheime Dreef"


def test_a_typed_street_makes_no_shared_row_and_is_erased_with_the_resident(requester: Resident) -> None:
    streets_before = Street.objects.count()
    services.resident_update(resident=requester, data={"street": f"  {TYPED} ", "house_number": "7"})
    requester.refresh_from_db()
    assert Street.objects.count() == streets_before
    assert not Street.objects.filter(name__iexact=TYPED).exists()
    assert requester.street is None and requester.street_typed == TYPED
    assert requester.lat is None  # no place yet: matching falls back to the neighbourhood's centre
    assert requester.user is not None
    account_erase(user=requester.user)
    requester.refresh_from_db()
    assert requester.street_typed == "" and requester.street is None
    assert not Resident.objects.filter(street_typed__icontains="geheime").exists()
    assert not Street.objects.filter(name__icontains="geheime").exists()


def test_a_street_on_the_list_links_it_with_its_coordinates(buurt: Neighbourhood, requester: Resident) -> None:
    street = Street.objects.create(buurt=buurt, name="Kerkstraat", lat=50.9401, lon=3.4102)
    services.resident_update(resident=requester, data={"street": "kerkstraat"})
    requester.refresh_from_db()
    assert requester.street == street and requester.street_typed == ""
    assert (requester.lat, requester.lon) == (50.9401, 3.4102)


def test_import_streets_with_coordinates_links_typed_names_and_places_residents(
    tmp_path: Path, buurt: Neighbourhood, requester: Resident
) -> None:
    services.resident_update(resident=requester, data={"street": "molenstraat"})
    on_street = ResidentFactory(buurt=buurt, street=Street.objects.create(buurt=buurt, name="Dorp"), lat=None, lon=None)
    csv_file = tmp_path / "streets.csv"
    csv_file.write_text("name;postcode;lat;lon\nMolenstraat;8720;50,9311;3,4012\nDorp;8720;50.9333;3.4050\n")
    call_command("import_streets", "--buurt", buurt.slug, str(csv_file))
    requester.refresh_from_db()
    on_street.refresh_from_db()
    assert requester.street is not None and requester.street.name == "Molenstraat"
    assert requester.street_typed == "" and (requester.lat, requester.lon) == (50.9311, 3.4012)
    assert (on_street.lat, on_street.lon) == (50.9333, 3.4050)


def test_coordinator_confirms_a_typed_street(
    coordinator_web: Client, coordinator: User, buurt: Neighbourhood, requester: Resident
) -> None:
    other = ResidentFactory(buurt=buurt)
    services.resident_update(resident=requester, data={"street": "Nieuwe Wijk"})
    services.resident_update(resident=other, data={"street": "nieuwe  wijk"})
    html = coordinator_web.get("/coordinator/residents/streets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "“Nieuwe Wijk”" in html and "2 residents" in html
    assert requester.first_name not in html.split("Streets to confirm", 1)[1].split("Import the street list", 1)[0]
    # Neither a street nor a name: a clear message, nothing changes.
    bad = coordinator_web.post(
        "/coordinator/residents/streets/",
        {"action": "confirm", "typed": "Nieuwe Wijk", "street": "", "name": " "},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and "Choose a street from the list, or give the name to add." in bad.content.decode()
    ok = coordinator_web.post(
        "/coordinator/residents/streets/",
        {"action": "confirm", "typed": "Nieuwe Wijk", "name": "Nieuwe Wijk", "lat": "50.93", "lon": "3.41"},
    )
    assert ok.status_code == 302
    street = Street.objects.get(buurt=buurt, name="Nieuwe Wijk")
    for r in (requester, other):
        r.refresh_from_db()
        assert r.street == street and r.street_typed == "" and (r.lat, r.lon) == (50.93, 3.41)
    assert AuditLog.objects.filter(actor=coordinator, reason="street confirmed (2)").exists()


def test_coordinator_maps_a_typo_onto_a_listed_street(
    coordinator_web: Client, buurt: Neighbourhood, requester: Resident
) -> None:
    street = Street.objects.create(buurt=buurt, name="Stationsstraat", lat=50.94, lon=3.42)
    services.resident_update(resident=requester, data={"street": "Statiosntraat"})
    response = coordinator_web.post(
        "/coordinator/residents/streets/",
        {"action": "confirm", "typed": "Statiosntraat", "street": str(street.pk), "name": ""},
    )
    assert response.status_code == 302
    requester.refresh_from_db()
    assert requester.street == street and not Street.objects.filter(name="Statiosntraat").exists()


def test_streets_page_imports_a_belgian_excel_csv(coordinator_web: Client, buurt: Neighbourhood) -> None:
    data = "\ufeffname;postcode;lat;lon\r\nBeekstraat;8720;50,9301;3,4001\r\n".encode()
    response = coordinator_web.post(
        "/coordinator/residents/streets/",
        {"action": "import", "file": SimpleUploadedFile("straten.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 302
    street = Street.objects.get(buurt=buurt, name="Beekstraat")
    assert (street.lat, street.lon) == (50.9301, 3.4001)
    bad = coordinator_web.post(
        "/coordinator/residents/streets/",
        {"action": "import", "file": SimpleUploadedFile("x.csv", b"naam\nA\n", content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and "at least the column" in bad.content.decode()
