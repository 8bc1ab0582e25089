"""The OpenAPI schema at /api/v1/schema/ describes every operation of the API, without drf-spectacular warnings.

`manage.py check --deploy` reports drf-spectacular's warnings (W001) and errors (W002), the tenant-isolation matrix
discovers the operations from the schema, and schemathesis checks the answers against it: an operation missing from
the schema is neither checked nor fuzzed. The real answers of the main operations are validated here too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from burenhulp.core.apitokens import token_issue
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import MatchProposal, ProposalStatus
from burenhulp.residents.models import Resident

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
NOT_OPERATIONS = {"api:schema", "api:docs"}


def generate(tmp_path: Path) -> dict[str, Any]:
    """`manage.py spectacular --validate --fail-on-warn`; any warning or error fails, listed in the message."""
    GENERATOR_STATS.reset()
    out = tmp_path / "schema.yaml"
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    except Exception as exc:  # SchemaGenerationError or SchemaValidationError
        problems = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        pytest.fail(f"{type(exc).__name__}: {exc}\n" + "\n".join(problems))
    document: dict[str, Any] = yaml.safe_load(out.read_text())
    return document


def api_routes() -> list[tuple[str, str, type]]:
    """(route, url name, view class) of every URL pattern in the api namespace."""
    found: list[tuple[str, str, type]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(
                    p.url_patterns, prefix + str(p.pattern), f"{namespace}{p.namespace}:" if p.namespace else namespace
                )
            elif isinstance(p, URLPattern) and namespace == "api:":
                found.append((prefix + str(p.pattern), f"api:{p.name}", p.callback.view_class))  # type: ignore[attr-defined]

    walk(get_resolver().url_patterns, "", "")
    return found


def test_the_schema_generates_and_validates_without_any_warning_or_error(tmp_path: Path) -> None:
    document = generate(tmp_path)
    assert document["openapi"].startswith("3.")
    ids = [op["operationId"] for item in document["paths"].values() for m, op in item.items() if m in METHODS]
    assert len(ids) == len(set(ids)), "operationIds must be unique"


def test_the_schema_served_at_api_v1_schema_is_valid_openapi() -> None:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    validate_schema(json.loads(response.content))


def test_every_api_url_and_method_is_an_operation_in_the_schema(tmp_path: Path) -> None:
    document = generate(tmp_path)
    in_schema: dict[str, set[str]] = {}
    for schema_path, item in document["paths"].items():
        match = resolve(re.sub(r"\{[^}]+\}", "1", schema_path))
        in_schema.setdefault(f"{match.namespace}:{match.url_name}", set()).update(m for m in item if m in METHODS)
    routes = [r for r in api_routes() if r[1] not in NOT_OPERATIONS]
    assert len(routes) >= 18, routes
    missing = []
    for route, name, view in routes:
        for method in METHODS:
            if hasattr(view, method) and method not in in_schema.get(name, set()):
                missing.append(f"{method.upper()} /{route} ({name})")
    assert missing == [], "these API operations are not in the OpenAPI schema"
    # ...and the schema holds nothing that is not an API route.
    assert set(in_schema) <= {name for _, name, _ in routes}


def test_operations_with_an_id_document_the_id_and_the_json_404(tmp_path: Path) -> None:
    document = generate(tmp_path)
    for schema_path, item in document["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            if "{id}" in schema_path:
                params = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
                assert params[("path", "id")]["schema"]["type"] == "integer", (method, schema_path)
                assert params[("path", "id")]["required"] is True
                assert "application/json" in op["responses"]["404"]["content"], (method, schema_path)
            ok = {"200", "201"} & set(op["responses"])
            assert ok, f"{method} {schema_path} documents no success answer"
            assert "application/json" in op["responses"][ok.pop()]["content"], (method, schema_path)


def test_the_schema_documents_the_section_9_answers(tmp_path: Path) -> None:
    document = generate(tmp_path)
    paths = document["paths"]
    schemas = document["components"]["schemas"]

    def ref(response: dict[str, Any]) -> dict[str, Any]:
        s = response["content"]["application/json"]["schema"]
        s = s.get("items", s)
        return schemas[s["$ref"].rsplit("/", 1)[1]]  # type: ignore[no-any-return]

    assert set(ref(paths["/api/v1/residents/"]["get"]["responses"]["200"])["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }
    created = paths["/api/v1/requests/"]["post"]["responses"]
    assert set(created) >= {"201", "400"}
    assert {"id", "status", "triage", "emergency_numbers"} <= set(ref(created["201"])["properties"])
    assert "409" in paths["/api/v1/requests/{id}/match/"]["post"]["responses"]
    for action in ("accept", "decline"):
        op = paths[f"/api/v1/proposals/{{id}}/{action}/"]["post"]
        assert "requestBody" not in op, "no body"
        assert {"200", "404", "409"} <= set(op["responses"])
    assert set(ref(paths["/api/v1/proposals/{id}/accept/"]["post"]["responses"]["200"])["properties"]) == {
        "proposal",
        "requester",
    }
    refer = paths["/api/v1/queue/{id}/refer/"]["post"]["responses"]
    assert {"201", "400", "404", "409"} <= set(refer)
    assert {"id", "service", "status", "consent", "note"} <= set(ref(refer["201"])["properties"])
    # One enum for the twelve category slugs, wherever a category appears.
    assert len(schemas["CategoryEnum"]["enum"]) == 12
    assert not [name for name in schemas if re.fullmatch(r"(Offers|Wants|Slug|Category\w+)Enum", name)]


# --- The real answers hold to the schema -------------------------------------------------------------------------


@pytest.fixture
def _keep_the_test_connection() -> Iterator[None]:
    """Like Django's test client: the connection holds the test's transaction, so requests must not close it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_the_test_connection")
def test_real_answers_of_the_main_operations_match_the_schema(
    buurt: Neighbourhood, coordinator: User, requester: Resident, volunteer: Resident, tmp_path: Path
) -> None:
    loaded = schemathesis.openapi.from_dict(generate(tmp_path))
    loaded.app = get_wsgi_application()
    checks = [not_a_server_error, content_type_conformance, response_schema_conformance]
    as_coordinator = {"Authorization": f"Token {token_issue(user=coordinator)}"}
    as_volunteer = {"Authorization": f"Token {token_issue(user=volunteer.user)}"}

    def call(path: str, method: str, status: int, headers: dict[str, str], **kwargs: Any) -> Any:
        case = loaded[path][method].Case(**kwargs)
        response = case.call_and_validate(headers=headers, checks=checks)
        assert response.status_code == status, (method, path, response.text)
        return response.json()

    residents = call("/api/v1/residents/", "GET", 200, as_coordinator)
    assert residents["count"] >= 2
    call("/api/v1/residents/{id}/", "GET", 200, as_coordinator, path_parameters={"id": requester.pk})
    call("/api/v1/residents/{id}/", "GET", 404, as_coordinator, path_parameters={"id": 987654})

    light = call(
        "/api/v1/requests/",
        "POST",
        201,
        as_coordinator,
        body={"requester": requester.pk, "category": "boodschappen", "description": "Bread and milk, please."},
    )
    crisis = call(
        "/api/v1/requests/",
        "POST",
        201,
        as_coordinator,
        body={"requester": requester.pk, "category": "andere", "description": "Ik wil niet meer leven."},
    )
    assert crisis["triage"]["level"] == "crisis" and crisis["emergency_numbers"]
    call("/api/v1/requests/", "POST", 400, as_coordinator, body={"requester": 987654, "category": "x"})
    call("/api/v1/requests/{id}/candidates/", "GET", 200, as_coordinator, path_parameters={"id": light["id"]})
    call("/api/v1/requests/{id}/match/", "POST", 200, as_coordinator, path_parameters={"id": light["id"]})
    call("/api/v1/requests/{id}/match/", "POST", 409, as_coordinator, path_parameters={"id": crisis["id"]})
    call("/api/v1/requests/{id}/", "GET", 200, as_coordinator, path_parameters={"id": crisis["id"]})

    proposal = MatchProposal.objects.filter(request_id=light["id"], volunteer=volunteer).first()
    assert proposal is not None and proposal.status == ProposalStatus.PROPOSED
    listed = call("/api/v1/proposals/", "GET", 200, as_volunteer)
    assert proposal.pk in [p["id"] for p in listed]
    accepted = call("/api/v1/proposals/{id}/accept/", "POST", 200, as_volunteer, path_parameters={"id": proposal.pk})
    assert accepted["requester"]["first_name"] == requester.first_name
    call("/api/v1/proposals/{id}/decline/", "POST", 409, as_volunteer, path_parameters={"id": proposal.pk})
    detail = call("/api/v1/requests/{id}/", "GET", 200, as_coordinator, path_parameters={"id": light["id"]})
    assert detail["status"] == "matched" and detail["volunteer"]["id"] == volunteer.pk
