"""The malformed-input crawl (issue #14): every URL pattern of `burenhulp.urls` (pages and API), as anonymous, a
resident and a coordinator, with malformed values in the path, the query, every form found on the page and every
API body: non-numeric and huge ids, out-of-range dates, JSON nested 1,000 deep, control characters (NUL included),
over-long fields and wrong types. No answer may be a 500.

The admin (Django's own, staff only) is left out; every other pattern is reached, and the test fails when a new
pattern has no way to be filled in."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from burenhulp.core.models import Neighbourhood, User
from burenhulp.residents.models import Resident
from burenhulp.residents.views.burenbox import STEP_SLUGS
from tests.trust.malformed import DEEP_JSON, DEEP_OBJECT, token_for
from tests.trust.world import Records, build

pytestmark = pytest.mark.slow


HUGE = "99999999999999999999999"
LONG = "x" * 5000
CONTROL = "a\x00b\x01c\x1b[31m\r\nd\u202e"
#: Values sent in queries and forms: each one replaces every field of a form in turn.
BAD_TEXT = ["abc", HUGE, "0001-01-01", "9999-12-31T23:59:59Z", CONTROL, LONG]
#: Values sent in JSON bodies: wrong types as well as bad text.
BAD_JSON: list[Any] = [-1, 2**70, True, None, {"a": [1]}, "9999-12-31T23:59:59Z", "0001-01-01", CONTROL, "y" * 20_000]
QUERY_KEYS = ["page", "q", "from", "to", "buurt", "kind", "next", "street", "status", "weeks", "until", "token", "lang"]
SKIPPED_PREFIXES = ("admin/",)
#: Signing out ends the role's session: it is crawled once, last.
LAST = {"accounts/logout/"}


@dataclass
class Finding:
    role: str
    method: str
    path: str
    sent: str
    status: int


@dataclass
class Crawl:
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    errors: list[str] = field(default_factory=list)

    def check(self, role: str, method: str, path: str, sent: object, status: int) -> None:
        self.requests += 1
        if status >= 500:
            self.findings.append(Finding(role, method, path, repr(sent)[:160], status))


def patterns() -> Iterator[tuple[str, URLPattern]]:
    def walk(items: list[Any], prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for item in items:
            if isinstance(item, URLResolver):
                yield from walk(item.url_patterns, prefix + str(item.pattern))
            else:
                yield prefix + str(item.pattern), item

    yield from walk(get_resolver().url_patterns, "")


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def fill(route: str, records: Records) -> list[str]:
    """The pattern with its parameters filled in: a real value, then malformed ones."""
    route = route.lstrip("^").rstrip("$").replace("^", "")
    names = PARAM.findall(route)
    if not names:
        return ["/" + route]
    real = {
        "int": str(_real_int(route, records)),
        "uuid": str(_real_uuid(route, records)),
        "slug": STEP_SLUGS[0] if "step" in route else records.buurt.slug,
        "str": "share_profile" if "purpose" in route else ("accept" if "action" in route else "x"),
    }
    bad = {
        "int": ["0", HUGE],
        "uuid": [str(uuid.uuid4())],
        "slug": ["a" * 300],
        "str": ["%01%1b", "z" * 3000],
    }
    results = []
    for variant in range(3):
        out = route
        for conv, _name, _regex_name in names:
            kind = conv or "str"
            value = real[kind] if variant == 0 else bad[kind][(variant - 1) % len(bad[kind])]
            out = PARAM.sub(value, out, count=1)
        results.append("/" + out)
    return results


def _real_int(route: str, r: Records) -> int:
    for key, pk in [
        ("residents", r.resident.pk),
        ("requests", r.request.pk),
        ("proposals", r.proposal.pk),
        ("queue", r.queue_item.pk),
        ("item", r.queue_item.pk),
        ("services", r.service.pk),
        ("local", r.local_note.pk),
    ]:
        if key in route:
            return int(pk)
    return 1


def _real_uuid(route: str, r: Records) -> uuid.UUID:
    if "proposals" in route:
        return r.proposal.public_id
    if "follow-up" in route:
        return r.follow_up.public_id
    if "photo" in route:
        return r.resident.public_id
    return r.request.public_id


class Forms(HTMLParser):
    """Each <form>'s action, method and fields (name → (type, value)) on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": {}})
        elif tag in {"input", "select", "textarea", "button"} and self.forms and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = (a.get("type", tag), a.get("value", ""))


def crawl_pages(crawl: Crawl, role: str, client: Client, url: str, seen_forms: set[str], full: bool) -> None:
    answer = client.get(url)
    crawl.check(role, "GET", url, "", answer.status_code)
    if not full:
        crawl.check(role, "POST", url, "ids", client.post(url, {"action": "match", "volunteer": HUGE}).status_code)
        return
    for bad in ["abc", HUGE, "0001-01-01", CONTROL]:
        query = dict.fromkeys(QUERY_KEYS, bad)
        crawl.check(role, "GET", url, query, client.get(url, query).status_code)
    crawl.check(role, "GET", url, "repeated", client.get(url, {"page": ["1", "2"], "q": ["a", "b"]}).status_code)
    forms = []
    if answer.status_code == 200 and "html" in answer.get("Content-Type", ""):
        parser = Forms()
        parser.feed(answer.content.decode(errors="replace"))
        forms = [f for f in parser.forms if f["method"] == "post"]
    if not forms:
        forms = [{"action": url, "fields": dict.fromkeys([*QUERY_KEYS, "action", "resident"], ("text", ""))}]
    for form in forms:
        action = form["action"] or url
        signature = action + "|" + ",".join(sorted(form["fields"]))
        if signature in seen_forms:
            continue
        seen_forms.add(signature)
        for bad in BAD_TEXT:
            data: dict[str, Any] = {}
            for name, (kind, value) in form["fields"].items():
                if kind == "file":
                    data[name] = SimpleUploadedFile("x.csv", ("name,kind\n" + bad + ",ocmw\n").encode(), "text/csv")
                elif kind in {"hidden", "submit"} and name in {"action", "csrfmiddlewaretoken"}:
                    data[name] = value
                else:
                    data[name] = bad
            crawl.check(role, "POST", action, data, client.post(action, data).status_code)


def api_operations() -> dict[str, dict[str, Any]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return dict(schema["paths"])


def crawl_api(crawl: Crawl, role: str, client: Client, url: str, route: str, ops: dict[str, Any], full: bool) -> None:
    key = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    operations = ops.get(key, {"get": {}, "post": {}})
    for method, op in operations.items():
        if method not in {"get", "post", "put", "patch", "delete"}:
            continue
        send = getattr(client, method)
        if not full:
            answer = send(url) if method == "get" else send(url, '{"note": 1}', content_type="application/json")
            crawl.check(role, method, url, "", answer.status_code)
            continue
        if method == "get":
            for bad in ["abc", HUGE, "0001-01-01", CONTROL]:
                query = {p.get("name", "x"): bad for p in op.get("parameters", [])} or {"page": bad}
                crawl.check(role, "GET", url, query, send(url, query).status_code)
            crawl.check(role, "GET", url, "repeated page", send(url, {"page": ["1", "2"]}).status_code)
            continue
        props = _properties(op)
        for body in [DEEP_JSON, DEEP_OBJECT, "{", "[]", "1e999"]:
            crawl.check(role, method, url, body[:20], send(url, body, content_type="application/json").status_code)
        crawl.check(
            role, method, url, "form", send(url, "a=1", content_type="application/x-www-form-urlencoded").status_code
        )
        for bad in BAD_JSON:
            payload = json.dumps(dict.fromkeys(props, bad) or {"x": bad})
            crawl.check(
                role, method, url, payload[:80], send(url, payload, content_type="application/json").status_code
            )


def _properties(op: dict[str, Any]) -> list[str]:
    content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = content.get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
        schema = components.get(ref.rsplit("/", 1)[-1], {})
    return list(schema.get("properties", {})) or ["category", "description", "buurt", "first_name", "service", "note"]


@pytest.fixture
def world(
    buurt: Neighbourhood, coordinator: User, requester: Resident, volunteer: Resident, other_buurt: Neighbourhood
) -> Records:
    build(other_buurt, tag="theirs")
    return build(buurt, tag="ours", requester=requester, volunteer=volunteer)


def test_no_malformed_value_makes_a_500(world: Records, coordinator: User, requester: Resident) -> None:
    crawl = Crawl()
    unhandled: list[str] = []

    def note(sender: object, request: Any = None, **kw: Any) -> None:
        unhandled.append(getattr(request, "path", "?"))

    got_request_exception.connect(note)
    started = time.monotonic()
    ops = api_operations()
    tokens = {"resident": token_for(requester.user), "coordinator": token_for(coordinator)}
    routes = [(route, p) for route, p in patterns() if not route.startswith(SKIPPED_PREFIXES)]
    routes.sort(key=lambda rp: rp[0] in LAST)
    try:
        for role, user in [("anonymous", None), ("resident", requester.user), ("coordinator", coordinator)]:
            seen_forms: set[str] = set()
            for route, _pattern in routes:
                for number, url in enumerate(fill(route, world)):
                    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
                    if route.startswith("api/"):
                        if user is not None:
                            client.defaults["HTTP_AUTHORIZATION"] = f"Token {tokens[role]}"
                        crawl_api(crawl, role, client, url, route, ops, full=number == 0)
                    else:
                        if user is not None:
                            client.force_login(user)
                        crawl_pages(crawl, role, client, url, seen_forms, full=number == 0)
    finally:
        got_request_exception.disconnect(note)
    seconds = time.monotonic() - started
    print(f"crawl: {len(routes)} patterns, {crawl.requests} requests, {seconds:.0f} s, {len(crawl.findings)} 500s")
    assert crawl.requests > 2000
    assert not crawl.findings, "\n".join(
        f"{f.role} {f.method} {f.path} {f.sent} → {f.status}" for f in crawl.findings[:40]
    )
    assert not unhandled, unhandled[:20]
