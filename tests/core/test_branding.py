"""Branding per municipality or neighbourhood, configured in the Django admin: name, logo (checked with Pillow),
colour (refused below WCAG AA contrast), contact line and the two statements; shown on pages, in account emails and
available to print templates."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.test import Client, RequestFactory
from django.utils import translation
from PIL import Image

from burenhulp.core.branding import branding_for, contrast, validate_colour
from burenhulp.core.forms import BrandingForm
from burenhulp.core.models import Branding, Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.factories import NeighbourhoodFactory, UserFactory

pytestmark = pytest.mark.django_db


def png(size: tuple[int, int] = (300, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#aa3300").save(out, format="PNG")
    return out.getvalue()


@translation.override("en")
def test_contrast_follows_wcag() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#1d5e3a", "#ffffff") >= 4.5
    assert validate_colour(" #1D5E3A ") == "#1d5e3a"
    with pytest.raises(ValidationError, match="too light"):
        validate_colour("#ffcc00")
    with pytest.raises(ValidationError, match="six digits"):
        validate_colour("green")


@translation.override("en")
def test_the_admin_form_refuses_a_light_colour_and_a_file_that_is_no_picture(buurt: Neighbourhood) -> None:
    form = BrandingForm(
        data={"name": "Zorgzaam Wakken", "colour": "#9ad0ff", "buurt": buurt.pk},
        files={"logo_upload": SimpleUploadedFile("logo.png", b"not a picture", content_type="image/png")},
    )
    assert not form.is_valid()
    assert "contrast" in str(form.errors["colour"]) and "4.5" in str(form.errors["colour"])
    assert "not a picture" in str(form.errors["logo_upload"])
    assert form.data["name"] == "Zorgzaam Wakken"  # nothing typed is lost: the form shows again with it


def test_a_configured_branding_shows_on_pages_with_logo_colour_contact_and_statements(
    buurt: Neighbourhood, requester: Resident
) -> None:
    form = BrandingForm(
        data={
            "name": "Zorgzaam Wakken",
            "colour": "#7a1f5c",
            "buurt": buurt.pk,
            "contact_line": "Zorgpunt Wakken · 056 12 34 56",
            "privacy_statement": "Wij bewaren alleen wat nodig is.",
            "accessibility_statement": "Deze website volgt WCAG 2.1 AA.",
        },
        files={"logo_upload": SimpleUploadedFile("logo.jpg", png(), content_type="image/png")},
    )
    assert form.is_valid(), form.errors
    branding = form.save()
    stored = Image.open(io.BytesIO(bytes(Branding.objects.get(pk=branding.pk).logo)))
    assert stored.format == "PNG" and max(stored.size) <= 400
    client = web_client(requester.user)
    html = client.get("/burenbox/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Zorgzaam Wakken" in html and "Zorgpunt Wakken · 056 12 34 56" in html
    assert 'href="/privacy-statement/"' in html and 'href="/accessibility/"' in html
    brand = branding_for(buurt)
    css = client.get(f"/brand/{branding.pk}/{brand.updated}.css")
    assert css.status_code == 200 and "--brand: #7a1f5c" in css.content.decode()
    assert f"/brand/{branding.pk}/{brand.updated}.css" in html
    logo = client.get(f"/brand/{branding.pk}/{brand.updated}.png")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert "Wij bewaren alleen wat nodig is." in client.get("/privacy-statement/").content.decode()
    assert "WCAG 2.1 AA" in client.get("/accessibility/").content.decode()


def test_the_most_specific_branding_wins(buurt: Neighbourhood) -> None:
    other = NeighbourhoodFactory(municipality=buurt.municipality or "Wakken")
    Neighbourhood.objects.filter(pk=buurt.pk).update(municipality=other.municipality)
    buurt.refresh_from_db()
    assert branding_for(buurt).name == "Burenhulp"
    Branding.objects.create(name="Burenhulp België")
    Branding.objects.create(name="Gemeente Dentergem", municipality=other.municipality)
    assert branding_for(other).name == "Gemeente Dentergem"
    Branding.objects.create(name="Zorgzaam Wakken", buurt=buurt)
    assert branding_for(buurt).name == "Zorgzaam Wakken"
    assert branding_for(other).name == "Gemeente Dentergem"
    assert branding_for(None).name == "Burenhulp België"


def test_print_templates_get_the_branding_from_the_context_processor(buurt: Neighbourhood, coordinator: User) -> None:
    Branding.objects.create(name="Zorgzaam Wakken", buurt=buurt, contact_line="056 12 34 56")
    request = RequestFactory().get("/")
    request.user = coordinator
    request.buurt = buurt  # type: ignore[attr-defined]  # as behind the coordinator gate
    request.session = {}  # type: ignore[assignment]
    template = engines["django"].from_string("{{ branding.name }} / {{ branding.contact_line }}")
    assert template.render({}, request) == "Zorgzaam Wakken / 056 12 34 56"


def test_account_emails_carry_the_neighbourhood_name(buurt: Neighbourhood, mailoutbox: list[Any]) -> None:
    Branding.objects.create(name="Zorgzaam Wakken", buurt=buurt, contact_line="056 12 34 56")
    user = UserFactory(email="mieke@example.org")
    Resident.objects.create(buurt=buurt, user=user, first_name="Mieke", lat=buurt.lat, lon=buurt.lon)
    Client(HTTP_ACCEPT_LANGUAGE="nl").post("/accounts/password/reset/", {"email": user.email})
    body = mailoutbox[-1].body
    assert "Zorgzaam Wakken" in body and "056 12 34 56" in body and "testserver" not in body.split("http")[0]


def test_app_icons_and_manifest() -> None:
    client = Client()
    html = client.get("/").content.decode()
    assert 'rel="apple-touch-icon"' in html and 'rel="manifest"' in html
    manifest = client.get("/manifest.webmanifest").json()
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
