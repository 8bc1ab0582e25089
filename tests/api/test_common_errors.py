"""Every operation documents the answers every API view can give (401, 403, 406; with a body 400 and 415), and
gives them: the schema says what the API does (schemathesis' `status_code_conformance` holds every answer to it)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from burenhulp.core.apitokens import token_issue
from burenhulp.residents.models import Resident

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_operation_documents_the_common_answers() -> None:
    found = operations()
    assert len(found) >= 20
    for method, path, op in found:
        codes = set(op["responses"])
        assert "406" in codes, (method, path)
        if {} not in op.get("security", [{}]):
            assert {"401", "403"} <= codes, (method, path)
        if "requestBody" in op:
            assert {"400", "415"} <= codes, (method, path)
        for code in ("401", "403", "406", "415"):
            if code in codes:
                assert "application/json" in op["responses"][code]["content"], (method, path, code)


def test_every_operation_answers_406_to_an_accept_header_without_json_and_401_without_a_token() -> None:
    client = APIClient()
    for method, path, op in operations():
        answer = getattr(client, method)(url(path), HTTP_ACCEPT="text/html")
        assert answer.status_code == 406, (method, path, answer.status_code)
        assert answer.json().keys() == {"detail"}
        if {} not in op.get("security", [{}]):
            answer = getattr(client, method)(url(path), {}, format="json")
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert answer.json().keys() == {"detail"}


@pytest.mark.parametrize(("method", "path"), [("put", "/api/v1/me/profile/"), ("post", "/api/v1/requests/")])
def test_a_body_that_is_not_json_is_415_and_broken_json_400(volunteer: Resident, method: str, path: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=volunteer.user)}")
    answer = getattr(client, method)(path, "first_name=An", content_type="text/plain")
    assert answer.status_code == 415
    assert answer.json().keys() == {"detail"}
    answer = getattr(client, method)(path, "{not json", content_type="application/json")
    assert answer.status_code == 400
    assert "detail" in answer.json()


def test_a_cookie_session_without_its_csrf_token_is_403_on_a_change(volunteer: Resident) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer.user)
    assert client.get("/api/v1/me/profile/").status_code == 200
    answer = client.put("/api/v1/me/profile/", "{}", content_type="application/json")
    assert answer.status_code == 403
    assert answer.json().keys() == {"detail"}
