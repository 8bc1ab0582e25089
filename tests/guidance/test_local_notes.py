"""Local notes: coordinators add them for their own neighbourhood; residents of that neighbourhood see them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from toolbox_content.models import LocalNote

pytestmark = pytest.mark.django_db


def in_language(client: Client, lang: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


@pytest.fixture
def note(buurt: Neighbourhood, coordinator: User) -> LocalNote:
    return LocalNote.objects.create(
        buurt=buurt,
        title="Koffie in het dienstencentrum",
        body="Elke **dinsdag** om 10 uur.\n\n- Bel Griet: 09 123 45 67",
        created_by=coordinator,
    )


def test_a_coordinator_adds_a_note_that_residents_of_the_buurt_see(
    coordinator_web: Client, requester: Resident, buurt: Neighbourhood
) -> None:
    response = coordinator_web.post(
        "/guidance/local/new/",
        {
            "title": "Ons vrijwilligerscharter",
            "body": "We helpen **graag**, nooit verplicht.",
            "language": "",
            "audience": "",
            "order": "0",
        },
    )
    assert response.status_code == 302 and response.url == "/guidance/local/"
    created = LocalNote.objects.get()
    assert created.buurt == buurt

    html = in_language(web_client(requester.user), "nl-be").get("/guidance/").content.decode()
    assert "In jouw buurt" in html
    assert "Ons vrijwilligerscharter" in html and "<strong>graag</strong>" in html
    piece = web_client(requester.user).get("/guidance/boundaries/").content.decode()
    assert "Ons vrijwilligerscharter" in piece


def test_residents_of_another_buurt_and_anonymous_visitors_do_not_see_it(note: LocalNote, outsider: Resident) -> None:
    assert note.title not in web_client(outsider.user).get("/guidance/").content.decode()
    assert note.title not in Client().get("/guidance/").content.decode()


def test_notes_follow_language_and_audience(buurt: Neighbourhood, requester: Resident) -> None:
    LocalNote.objects.create(buurt=buurt, title="Nota in het Frans", body="x", language="fr")
    LocalNote.objects.create(buurt=buurt, title="Alleen voor coördinatoren", body="x", audience="coordinator")
    LocalNote.objects.create(buurt=buurt, title="Voor vrijwilligers", body="x", audience="volunteer")
    client = in_language(web_client(requester.user), "nl-be")
    html = client.get("/guidance/").content.decode()
    assert "Nota in het Frans" not in html
    assert "Voor vrijwilligers" in html
    # A piece for residents and volunteers does not show a note for coordinators only.
    piece = client.get("/guidance/boundaries/").content.decode()
    assert "Alleen voor coördinatoren" not in piece and "Voor vrijwilligers" in piece
    assert "Nota in het Frans" in in_language(web_client(requester.user), "fr").get("/guidance/").content.decode()


def test_script_and_raw_html_in_a_note_are_removed(buurt: Neighbourhood, requester: Resident) -> None:
    LocalNote.objects.create(
        buurt=buurt,
        title="<b>Titel</b>",
        body='Hallo <script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">klik</a> <img src=x onerror=y>',
    )
    html = web_client(requester.user).get("/guidance/").content.decode()
    assert "&lt;b&gt;Titel&lt;/b&gt;" in html
    for forbidden in ("<script>alert", "javascript:", "onclick", "onerror", "<img"):
        assert forbidden not in html


def test_a_coordinator_edits_and_deletes_a_note(coordinator_web: Client, note: LocalNote) -> None:
    listing = coordinator_web.get("/guidance/local/").content.decode()
    assert note.title in listing
    form = coordinator_web.get(f"/guidance/local/{note.pk}/")
    assert form.status_code == 200 and 'name="body"' in form.content.decode()
    coordinator_web.post(
        f"/guidance/local/{note.pk}/",
        {"title": "Nieuwe titel", "body": "Tekst", "language": "nl", "audience": "volunteer", "order": "2"},
    )
    note.refresh_from_db()
    assert (note.title, note.language, note.audience, note.order) == ("Nieuwe titel", "nl", "volunteer", 2)
    assert coordinator_web.get(f"/guidance/local/{note.pk}/delete/").status_code == 200
    assert LocalNote.objects.filter(pk=note.pk).exists()
    coordinator_web.post(f"/guidance/local/{note.pk}/delete/")
    assert not LocalNote.objects.filter(pk=note.pk).exists()


def test_bad_input_is_shown_in_the_users_language_and_nothing_typed_is_lost(coordinator_web: Client) -> None:
    response = in_language(coordinator_web, "fr").post(
        "/guidance/local/new/",
        {"title": "", "body": "Mon texte à garder", "language": "de", "audience": "x", "order": "-1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Veuillez corriger les champs" in html
    assert "Mon texte à garder" in html
    assert 'aria-describedby="id_title_errors"' in html or "id_title_errors" in html
    assert not LocalNote.objects.exists()


def test_another_buurts_note_is_a_404_for_a_coordinator(
    coordinator_web: Client, other_buurt: Neighbourhood, outsider_coordinator: User
) -> None:
    foreign = LocalNote.objects.create(buurt=other_buurt, title="Elders", body="x")
    assert coordinator_web.get(f"/guidance/local/{foreign.pk}/").status_code == 404
    assert (
        coordinator_web.post(
            f"/guidance/local/{foreign.pk}/", {"title": "Hacked", "body": "x", "order": "0"}
        ).status_code
        == 404
    )
    assert coordinator_web.post(f"/guidance/local/{foreign.pk}/delete/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Elders"
    assert "Elders" not in coordinator_web.get("/guidance/local/").content.decode()


def test_residents_cannot_edit_notes_and_anonymous_visitors_must_sign_in(requester: Resident, note: LocalNote) -> None:
    assert web_client(requester.user).get("/guidance/local/").status_code == 404
    assert web_client(requester.user).post(f"/guidance/local/{note.pk}/delete/").status_code == 404
    anonymous = Client().get("/guidance/local/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert LocalNote.objects.filter(pk=note.pk).exists()
