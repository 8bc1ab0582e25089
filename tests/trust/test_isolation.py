"""Tenant isolation and roles over EVERY endpoint.

The URL conf and the OpenAPI schema are read at test time. Every route and every API operation must be covered
below: with another neighbourhood's ids filled in (`OTHER_IDS`), as a page or list whose body is searched
(`LISTS`), as an API body that names another neighbourhood (`BODY_CASES`), or on the explicit public allow-list
(`PUBLIC`). A new endpoint that is none of these fails `test_every_endpoint_is_covered` until it is added.

Then, as a coordinator, a volunteer and a resident of our neighbourhood: no 2xx for another neighbourhood's ids, no
sentinel of the other neighbourhood in any body or redirect, and the other neighbourhood's rows unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from tests.trust.world import THEIRS, Records, build, fingerprint

# --- What every route is ----------------------------------------------------------------------------------------

Kwargs = Callable[[Records], dict[str, Any]]

#: Routes whose path names one record: filled with the OTHER neighbourhood's record.
OTHER_IDS: dict[str, Kwargs] = {
    "api:resident": lambda r: {"pk": r.resident.pk},
    "api:request-detail": lambda r: {"pk": r.request.pk},
    "api:request-candidates": lambda r: {"pk": r.request.pk},
    "api:request-match": lambda r: {"pk": r.request.pk},
    "api:proposal-accept": lambda r: {"pk": r.proposal.pk},
    "api:proposal-decline": lambda r: {"pk": r.proposal.pk},
    "api:proposal-withdraw": lambda r: {"pk": r.proposal.pk},
    "api:request-cancel": lambda r: {"pk": r.request.pk},
    "api:queue-refer": lambda r: {"pk": r.queue_item.pk},
    "api:queue-release": lambda r: {"pk": r.queue_item.pk},
    "api:queue-close": lambda r: {"pk": r.queue_item.pk},
    "api:calls-done": lambda r: {"pk": r.call_task.pk},
    "residents:intake_edit": lambda r: {"pk": r.resident.pk},
    "residents:intake_print": lambda r: {"pk": r.resident.pk},
    "residents:photo": lambda r: {"public_id": r.resident.public_id},
    "requests:detail": lambda r: {"public_id": r.request.public_id},
    "requests:proposal": lambda r: {"public_id": r.proposal.public_id},
    "requests:step_back": lambda r: {"public_id": r.proposal.public_id},
    "requests:follow_up": lambda r: {"public_id": r.follow_up.public_id},
    "coordinator:item": lambda r: {"pk": r.queue_item.pk},
    "requests:ask_for": lambda r: {"pk": r.resident.pk},
    "coordinator:item_match": lambda r: {"pk": r.queue_item.pk},
    "coordinator:service_edit": lambda r: {"pk": r.service.pk},
    "guidance:local_edit": lambda r: {"pk": r.local_note.pk},
    "guidance:local_delete": lambda r: {"pk": r.local_note.pk},
}

#: Public routes (anyone may get a 2xx); their bodies are still searched for the other neighbourhood's sentinels.
PUBLIC: dict[str, str] = {
    "home": "the start page",
    "healthz": "health check, no data",
    "favicon": "the site icon",
    "dev_emails": "development only: 404 unless DEBUG",
    "set_language": "language switch (POST), no data",
    "privacy_statement": "the privacy statement (public text of the branding)",
    "accessibility_statement": "the accessibility statement (public text of the branding)",
    "brand_css": "a branding's colours (public, by branding id)",
    "brand_logo": "a branding's logo (public, by branding id)",
    "manifest": "the web app manifest",
    "api:schema": "the OpenAPI schema",
    "api:docs": "the API documentation page",
    "api:token": "sign-in for a token",
    "api:categories": "the 12 fixed categories",
    "guidance:index": "published guidance",
    "guidance:search": "published guidance",
    "guidance:print": "published guidance",
    "guidance:piece": "published guidance (by piece name)",
    "residents:join": "sign-up for a Burenbox",
    "residents:join_buurt": "a neighbourhood's public sign-up page (by slug)",
    "referral_card": "a neighbourhood's public referral form for professionals (by slug)",
    "referral_card_thanks": "the form's thank-you page",
    "privacy:deleted": "the 'account deleted' page",
    "notifications:unsubscribe": "signed one-click link from an email; the signature is the authorisation",
    "notifications:proposal_answer": "signed accept/decline link from an email; the signature is the authorisation",
    "notifications:step_back": "signed step-back link from an email; the signature is the authorisation",
    "notifications:follow_up_answer": "signed follow-up link from an email; the signature is the authorisation",
}
#: Routes whose path parameter is not a record (a step or a purpose): they act on the caller's own data only.
SELF_ONLY: dict[str, Kwargs] = {
    "residents:edit": lambda r: {"step": "about"},
    "privacy:consent_withdraw": lambda r: {"purpose": "digest"},
}
PUBLIC_KWARGS: dict[str, Kwargs] = {
    "guidance:piece": lambda r: {"piece_id": "basics"},
    "residents:join_buurt": lambda r: {"slug": r.buurt.slug},
    "brand_css": lambda r: {"pk": 1, "version": "1"},
    "brand_logo": lambda r: {"pk": 1, "version": "1"},
    "referral_card": lambda r: {"slug": r.buurt.slug},
    "referral_card_thanks": lambda r: {"slug": r.buurt.slug},
    "notifications:unsubscribe": lambda r: {"token": f"{r.resident.pk}:forged"},
    "notifications:proposal_answer": lambda r: {"action": "accept", "token": f"{r.proposal.pk}:forged"},
    "notifications:step_back": lambda r: {"token": f"{r.proposal.pk}:forged"},
    "notifications:follow_up_answer": lambda r: {"token": f"{r.follow_up.pk}:forged"},
}
#: Third-party route trees: the admin is for staff only (role matrix below), allauth is the sign-in.
THIRD_PARTY_PREFIXES = ("admin/", "accounts/")

# --- API operations ---------------------------------------------------------------------------------------------


def body_cases(ours: Records, theirs: Records) -> dict[tuple[str, str], tuple[str, dict[str, Any] | None]]:
    """(schema path, method) → (url, JSON body naming the other neighbourhood)."""
    return {
        ("/api/v1/residents/", "post"): (
            "/api/v1/residents/",
            {"buurt": theirs.buurt.slug, "first_name": "Ann", "street": "Dorp", "house_number": "1"},
        ),
        ("/api/v1/requests/", "post"): (
            "/api/v1/requests/",
            {"requester": theirs.resident.pk, "category": "boodschappen", "description": "Bread, please"},
        ),
        ("/api/v1/services/", "post"): (
            "/api/v1/services/",
            {"buurt": theirs.buurt.slug, "name": "Sneaky", "kind": "ocmw"},
        ),
        ("/api/v1/me/profile/", "put"): (
            "/api/v1/me/profile/",
            {"first_name": "Me", "household_of": theirs.resident.pk},
        ),
        ("/api/v1/me/profile/", "patch"): ("/api/v1/me/profile/", {"household_of": theirs.resident.pk}),
        ("/api/v1/auth/token/", "post"): (
            "/api/v1/auth/token/",
            {"email": theirs.resident.user.email, "password": "not-their-password"},
        ),
    }


#: Operations that act on the caller's own data or on lists; their answers are searched for sentinels.
API_LISTS = {
    ("/api/v1/schema/", "get"),
    ("/api/v1/categories/", "get"),
    ("/api/v1/residents/", "get"),
    ("/api/v1/me/profile/", "get"),
    ("/api/v1/proposals/", "get"),
    ("/api/v1/queue/", "get"),
    ("/api/v1/calls/", "get"),
    ("/api/v1/services/", "get"),
    ("/api/v1/reports/summary/", "get"),
}

EXPECTED_REFUSAL = {400, 403, 404, 405}


# --- Discovery --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    params: tuple[str, ...]


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
                yield Route(route=route, name=f"{namespace}{p.name}" if p.name else "", params=params)

    for r in walk(get_resolver().url_patterns, "", ""):
        if not r.route.startswith(THIRD_PARTY_PREFIXES):
            found.append(r)
    return found


def lists_of(all_routes: list[Route]) -> list[Route]:
    return [r for r in all_routes if not r.params and r.name not in PUBLIC]


def schema_operations(client: Client) -> list[tuple[str, str]]:
    schema = json.loads(client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    methods = {"get", "post", "put", "patch", "delete"}
    return sorted((path, m) for path, item in schema["paths"].items() for m in item if m in methods)


def url_name_of(schema_path: str) -> str:
    match = resolve(re.sub(r"\{[^}]+\}", "987654", schema_path))
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


# --- The cast ---------------------------------------------------------------------------------------------------


@pytest.fixture
def ours(buurt: Neighbourhood, requester: Resident, volunteer: Resident) -> Records:
    return build(buurt, tag="zqxours", requester=requester, volunteer=volunteer)


@pytest.fixture
def theirs(other_buurt: Neighbourhood) -> Records:
    return build(other_buurt, tag=THEIRS)


@pytest.fixture
def actors(coordinator: User, volunteer: Resident, requester: Resident) -> dict[str, Client]:
    clients = {}
    for role, user in [("coordinator", coordinator), ("volunteer", volunteer.user), ("resident", requester.user)]:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    return clients


def call(client: Client, method: str, url: str, body: dict[str, Any] | None) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def leaked(response: Any) -> bool:
    body = b"" if getattr(response, "streaming", False) else response.content
    return THEIRS.encode() in body or THEIRS in response.get("Location", "")


# --- Coverage ---------------------------------------------------------------------------------------------------


def test_every_endpoint_is_covered(theirs: Records, ours: Records, coordinator: User) -> None:
    all_routes = routes()
    assert len(all_routes) > 40
    unnamed = [r.route for r in all_routes if not r.name]
    assert unnamed == [], "name these routes so the matrix can cover them"
    covered = {*OTHER_IDS, *PUBLIC, *SELF_ONLY}
    uncovered = [r.route for r in all_routes if r.params and r.name not in covered]
    assert uncovered == [], "add these routes to OTHER_IDS (or, if really public, to PUBLIC) in " + __file__
    stale = [name for name in [*OTHER_IDS, *PUBLIC, *SELF_ONLY] if name not in {r.name for r in all_routes}]
    assert stale == [], "these names no longer exist"

    client = Client()
    client.force_login(coordinator)
    cases = body_cases(ours, theirs)
    uncovered_ops = []
    for path, method in schema_operations(client):
        if "{" in path:
            if url_name_of(path) not in OTHER_IDS:
                uncovered_ops.append(f"{method.upper()} {path}")
        elif (path, method) not in API_LISTS and (path, method) not in cases:
            uncovered_ops.append(f"{method.upper()} {path}")
    assert uncovered_ops == [], "add these API operations to the matrix in " + __file__


# --- Cross-neighbourhood ----------------------------------------------------------------------------------------


def test_no_page_or_operation_reaches_another_neighbourhood(
    theirs: Records, ours: Records, actors: dict[str, Client]
) -> None:
    before = fingerprint(theirs.buurt)
    failures: list[str] = []
    all_routes = routes()
    for role, client in actors.items():
        # Every route that names a record, with the other neighbourhood's record, by GET and by POST.
        for r in all_routes:
            if r.name not in OTHER_IDS:
                continue
            url = reverse(r.name, kwargs=OTHER_IDS[r.name](theirs))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code not in EXPECTED_REFUSAL:
                    failures.append(f"{role} {method.upper()} {url} -> {response.status_code}")
                if leaked(response):
                    failures.append(f"{role} {method.upper()} {url} shows the other neighbourhood's data")
        # Every page and list without ids: whatever it shows, nothing of the other neighbourhood.
        for r in [*lists_of(all_routes), *(x for x in all_routes if x.name in PUBLIC or x.name in SELF_ONLY)]:
            kwargs = {**PUBLIC_KWARGS, **SELF_ONLY}.get(r.name, lambda _: {})(theirs) if r.params else {}
            url = reverse(r.name, kwargs=kwargs)
            if r.name == "privacy:delete" or r.name.startswith("account_"):
                continue
            response = client.get(url)
            if response.status_code >= 500 or leaked(response):
                failures.append(f"{role} GET {url} -> {response.status_code} (leak: {leaked(response)})")
    assert failures == []
    assert fingerprint(theirs.buurt) == before, "another neighbourhood's rows were changed"


def test_the_same_pages_do_show_our_own_neighbourhood(
    ours: Records, theirs: Records, actors: dict[str, Client]
) -> None:
    """The positive control: the searches above would find data if it were there."""
    coordinator = actors["coordinator"]
    for url in (
        "/coordinator/",
        reverse("coordinator:item", kwargs={"pk": ours.queue_item.pk}),
        reverse("residents:intake_edit", kwargs={"pk": ours.resident.pk}),
        "/api/v1/queue/",
        f"/api/v1/requests/{ours.request.pk}/",
    ):
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert b"zqxours" in response.content or ours.resident.first_name.encode() in response.content, url
    own = actors["resident"].get(reverse("requests:detail", kwargs={"public_id": ours.request.public_id}))
    assert own.status_code == 200
    assert b"zqxours-description" in own.content


def test_no_api_operation_reaches_another_neighbourhood(
    theirs: Records, ours: Records, actors: dict[str, Client]
) -> None:
    before = fingerprint(theirs.buurt)
    failures: list[str] = []
    operations = schema_operations(actors["coordinator"])
    cases = body_cases(ours, theirs)
    for role, client in actors.items():
        for path, method in operations:
            if "{" in path:
                name = url_name_of(path)
                url = reverse(name, kwargs=OTHER_IDS[name](theirs))
                body: dict[str, Any] | None = {
                    "service": theirs.service.pk,
                    "note": "x",
                    "consent": True,
                    "outcome": "x",
                }
                expected = EXPECTED_REFUSAL
            elif (path, method) in cases:
                url, body = cases[(path, method)]
                expected = EXPECTED_REFUSAL
            else:
                url, body, expected = path, None, set(range(100, 500))
            response = call(client, method, url, body)
            if response.status_code not in expected:
                failures.append(f"{role} {method.upper()} {url} -> {response.status_code} {response.content[:200]!r}")
            if leaked(response):
                failures.append(f"{role} {method.upper()} {url} shows the other neighbourhood's data")
        # Query parameters that name the other neighbourhood.
        for url in (
            f"/api/v1/services/?buurt={theirs.buurt.slug}",
            f"/api/v1/reports/summary/?buurt={theirs.buurt.slug}",
            f"/api/v1/residents/?buurt={theirs.buurt.slug}",
            f"/coordinator/?buurt={theirs.buurt.pk}",
        ):
            response = client.get(url)
            if leaked(response) or response.status_code >= 500:
                failures.append(f"{role} GET {url} -> {response.status_code}")
    # A coordinator cannot switch into a neighbourhood they do not coordinate.
    coordinator = actors["coordinator"]
    coordinator.post(reverse("coordinator:switch_buurt"), {"buurt": theirs.buurt.pk})
    coordinator.post(reverse("coordinator:switch_buurt"), {"buurt": theirs.buurt.slug})
    for url in ("/coordinator/", "/coordinator/volunteers/", "/coordinator/services/", "/api/v1/queue/"):
        if leaked(coordinator.get(url)):
            failures.append(f"coordinator after switching: GET {url} shows the other neighbourhood's data")
    assert failures == []
    assert fingerprint(theirs.buurt) == before, "another neighbourhood's rows were changed"


# --- Roles ------------------------------------------------------------------------------------------------------

#: Coordinator-only routes, filled with OUR neighbourhood's records: residents and volunteers get 403 or 404.
COORDINATOR_ONLY_PREFIXES = ("coordinator/", "guidance/local/")
COORDINATOR_ONLY_API = {
    ("/api/v1/residents/", "get"),
    ("/api/v1/residents/", "post"),
    ("/api/v1/requests/{id}/candidates/", "get"),
    ("/api/v1/requests/{id}/match/", "post"),
    ("/api/v1/queue/", "get"),
    ("/api/v1/queue/{id}/refer/", "post"),
    ("/api/v1/queue/{id}/release/", "post"),
    ("/api/v1/queue/{id}/close/", "post"),
    ("/api/v1/services/", "get"),
    ("/api/v1/services/", "post"),
    ("/api/v1/reports/summary/", "get"),
}


def test_residents_and_volunteers_cannot_use_coordinator_or_admin_endpoints(
    ours: Records, actors: dict[str, Client]
) -> None:
    before = fingerprint(ours.buurt)
    failures: list[str] = []
    own_ids: dict[str, Kwargs] = {**OTHER_IDS}
    coordinator_routes = [r for r in routes() if r.route.startswith(COORDINATOR_ONLY_PREFIXES)]
    assert len(coordinator_routes) > 10
    schema_ops = schema_operations(actors["coordinator"])
    for role in ("volunteer", "resident"):
        client = actors[role]
        for r in coordinator_routes:
            url = reverse(r.name, kwargs=own_ids[r.name](ours) if r.params else {})
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                # 405 for a GET on a POST-only action says nothing about the data.
                allowed = {403, 404, 405} if method == "get" else {403, 404}
                if response.status_code not in allowed:
                    failures.append(f"{role} {method.upper()} {url} -> {response.status_code}")
        for path, method in schema_ops:
            key_path = re.sub(r"\{[^}]+\}", "{id}", path)
            if (key_path, method) not in COORDINATOR_ONLY_API:
                continue
            url = reverse(url_name_of(path), kwargs=own_ids[url_name_of(path)](ours)) if "{" in path else path
            response = call(client, method, url, {})
            if response.status_code not in (403, 404):
                failures.append(f"{role} {method.upper()} {url} -> {response.status_code}")
    # The Django admin is for platform staff only: not for residents, volunteers or coordinators.
    for role, client in actors.items():
        for url in ("/admin/", "/admin/core/user/", "/admin/residents/resident/", "/admin/core/auditlog/"):
            response = client.get(url, follow=True)
            if response.status_code not in (403, 404):
                failures.append(f"{role} GET {url} -> {response.status_code}")
    assert failures == []
    assert fingerprint(ours.buurt) == before, "a resident or volunteer changed neighbourhood data"


def test_the_schema_lists_every_coordinator_operation_checked_here(actors: dict[str, Client]) -> None:
    """The role matrix above keys on these operations: if one disappears or is renamed, revisit the matrix."""
    ops = {(re.sub(r"\{[^}]+\}", "{id}", p), m) for p, m in schema_operations(actors["coordinator"])}
    assert ops >= COORDINATOR_ONLY_API
