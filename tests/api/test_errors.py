from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "detail"), [(None, "Niet gevonden."), ("en", "Not found."), ("fr", "Non trouvé.")]
)
def test_an_unknown_api_path_answers_json_in_the_callers_language(language: str | None, detail: str) -> None:
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = Client().get("/api/v1/proposals/abc/accept/", **headers)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}


def test_an_unknown_page_is_the_friendly_html_page() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
