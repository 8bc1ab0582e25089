"""The guidance section: browse, read, search (no JavaScript needed), print, and a helpful 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def client_in(lang: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


@pytest.mark.parametrize(
    ("lang", "h1"),
    [("nl-be", "Tips voor buren"), ("fr", "Conseils pour les voisins"), ("en", "Guidance for neighbours")],
)
def test_the_index_lists_the_guidance_by_topic_in_the_chosen_language(
    lang: str, h1: str, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        response = client_in(lang).get("/guidance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{h1}</h1>" in html
    assert 'href="/guidance/boundaries/"' in html
    assert 'role="search"' in html and 'method="get"' in html


def test_the_index_filters_by_audience_and_topic() -> None:
    client = client_in("en")
    coordinators = client.get("/guidance/?audience=coordinator").content.decode()
    assert "/guidance/coordinator-referral/" in coordinators
    assert 'href="/guidance/hond/"' not in coordinators
    dogs = client.get("/guidance/?topic=categories&audience=volunteer").content.decode()
    assert 'href="/guidance/hond/"' in dogs and 'href="/guidance/boundaries/"' not in dogs
    # Unknown filter values are ignored, not an error.
    assert client.get("/guidance/?audience=<b>&topic=%00").status_code == 200


def test_a_piece_shows_its_text_related_pieces_and_sources() -> None:
    response = client_in("fr").get("/guidance/boundaries/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="piece-title">Respectez vos limites</h1>' in html
    assert "<h2>L&#x27;argent</h2>" in html or "<h2>L'argent</h2>" in html
    assert 'href="/guidance/heavy-need/"' in html
    assert "fiche J" in html


def test_an_unknown_piece_is_a_404_page_with_a_search_box() -> None:
    response = client_in("en").get("/guidance/no-such-thing/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Guidance not found" in html
    assert 'role="search"' in html and 'name="q"' in html


@pytest.mark.parametrize(
    ("lang", "word", "expected"),
    [
        ("nl-be", "grenzen", "Bewaak je grenzen"),
        ("fr", "limites", "Respectez vos limites"),
        ("en", "boundaries", "Keep your boundaries"),
    ],
)
def test_search_finds_boundaries_in_each_language(lang: str, word: str, expected: str) -> None:
    html = client_in(lang).get("/guidance/search/", {"q": word}).content.decode()
    assert expected in html
    assert 'href="/guidance/boundaries/"' in html


def test_search_only_looks_in_the_active_language() -> None:
    html = client_in("en").get("/guidance/search/", {"q": "grenzen"}).content.decode()
    assert "Nothing found" in html and "/guidance/boundaries/" not in html


def test_search_ignores_case_accents_and_needs_every_word() -> None:
    client = client_in("fr")
    assert "/guidance/privacy/" in client.get("/guidance/search/", {"q": "VIE PRIVEE"}).content.decode()
    html = client.get("/guidance/search/", {"q": "chien laisse"}).content.decode()
    assert "/guidance/hond/" in html and "/guidance/chauffeur/" not in html


@pytest.mark.parametrize(
    "query",
    ["", "   ", "%", "<script>alert(1)</script>", "' OR 1=1 --", "ü" * 500, "\\", "{{ 7*7 }}", "😀🐕", "a"],
)
def test_odd_or_empty_searches_give_a_normal_results_page(query: str) -> None:
    response = client_in("en").get("/guidance/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Search the guidance</h1>" in html
    assert "<script>alert(1)</script>" not in html


def test_a_nul_byte_in_the_query_is_a_normal_page() -> None:
    response = client_in("en").get("/guidance/search/?q=hond%00")
    assert response.status_code == 200


def test_the_search_box_keeps_what_was_typed() -> None:
    html = client_in("en").get("/guidance/search/", {"q": 'dog "walk'}).content.decode()
    assert 'value="dog &quot;walk"' in html


def test_the_print_page_holds_every_volunteer_piece_and_uses_print_css() -> None:
    html = client_in("nl-be").get("/guidance/print/", {"audience": "volunteer"}).content.decode()
    assert "guidance.css" in html
    for piece_id in ("before-you-go", "boundaries", "hond", "chauffeur", "privacy"):
        assert f'id="print-{piece_id}"' in html
    assert 'id="print-coordinator-referral"' not in html


def test_the_print_stylesheet_hides_navigation_and_breaks_pages() -> None:
    css = (settings.BASE_DIR / "static" / "css" / "guidance.css").read_text()
    print_rules = css.split("@media print", 1)[1]
    assert ".site-header" in print_rules and "display: none" in print_rules
    assert "break-after: page" in print_rules
