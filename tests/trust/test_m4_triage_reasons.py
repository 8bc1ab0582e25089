"""Issue #14, M4: triage reasons store rule codes and lexicon terms, never the resident's own words (which would
outlive an erasure). The item, the API and the request page show the lexicon's term; a migration strips the words
stored before."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from django.apps import apps
from django.test import Client

from burenhulp.coordination.models import QueueItem
from burenhulp.helprequests.models import HelpRequest
from burenhulp.residents.models import Resident
from matching.lexicon import RULES
from matching.triage import fold
from tests.conftest import api_client, web_client

pytestmark = pytest.mark.django_db

# The resident's words: a compound the lexicon only knows the end of, and words between the parts of a term.
TEXT = "Gisteren stond de gerechtsdeurwaarder bij Jozefien aan de deur. Mijn zoon slaat elke avond opnieuw mij."
RESIDENTS_WORDS = ("gerechtsdeurwaarder", "jozefien", "elke avond", "opnieuw", "gisteren")


def lexicon_words() -> set[str]:
    words: set[str] = set()
    for rule in RULES:
        for term in rule.terms:
            for part in re.sub(r"['’\-]", " ", fold(term)).split():
                for alt in part.split("|"):
                    words.update(w for w in alt.strip("*?").split("_") if w)
    return words


def stored_terms(reasons: list[dict[str, object]]) -> list[str]:
    return [str(r["term"]) for r in reasons if isinstance(r, dict) and "term" in r]


def test_a_new_request_stores_lexicon_terms_not_the_residents_words(requester: Resident) -> None:
    answer = api_client(requester.user).post(
        "/api/v1/requests/", {"category": "andere", "description": TEXT}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 201, answer.content
    hr = HelpRequest.objects.get(pk=answer.json()["id"])
    item = QueueItem.objects.get(request=hr, kind="triage")
    known = lexicon_words()
    for reasons in (hr.triage_reasons, item.reasons):
        dumped = json.dumps(reasons).lower()
        assert not [w for w in RESIDENTS_WORDS if w in dumped], reasons
        terms = stored_terms(reasons)
        assert "deurwaarder" in terms and "slaat mij" in terms, terms
        assert all(set(t.split()) <= known for t in terms), terms

    # The API shows the lexicon's term too.
    shown = " ".join(answer.json()["triage"]["reasons"])
    assert '("deurwaarder")' in shown and '("slaat mij")' in shown
    assert "gerechtsdeurwaarder" not in shown


def test_the_item_page_and_the_request_page_show_the_lexicon_term(requester: Resident, coordinator_web: Client) -> None:
    answer = api_client(requester.user).post(
        "/api/v1/requests/", {"category": "andere", "description": TEXT}, format="json"
    )
    hr = HelpRequest.objects.get(pk=answer.json()["id"])
    item = QueueItem.objects.get(request=hr, kind="triage")
    page = coordinator_web.get(f"/coordinator/item/{item.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    reasons = page.content.decode().split('id="why-h"', 1)[1].split("</ul>", 1)[0]
    assert "deurwaarder" in reasons and "gerechtsdeurwaarder" not in reasons
    mine = web_client(requester.user).get(f"/help/request/{hr.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert mine.status_code == 200
    listed = mine.content.decode().split('class="triage-reasons"', 1)[1].split("</ul>", 1)[0]
    assert "deurwaarder" in listed and "gerechtsdeurwaarder" not in listed and "elke avond" not in listed


def test_the_migration_strips_the_words_stored_before(requester: Resident) -> None:
    old = [
        {"rule": "violence", "level": "crisis", "term": "slaat elke avond opnieuw mij"},
        {"rule": "debt", "level": "heavy", "term": "gerechtsdeurwaarder"},
        {"rule": "sensitive_topic", "level": "heavy"},
    ]
    hr = HelpRequest.objects.create(
        buurt=requester.buurt, requester=requester, category="andere", description="x", triage_reasons=old
    )
    item = QueueItem.objects.create(buurt=requester.buurt, kind="triage", request=hr, reasons=old)
    other = QueueItem.objects.create(buurt=requester.buurt, kind="no_match", request=hr, reasons=[{"code": "no_match"}])
    migration = importlib.import_module("matching.migrations.0001_triage_reasons_without_residents_words")
    migration.forwards(apps, None)
    hr.refresh_from_db()
    item.refresh_from_db()
    other.refresh_from_db()
    expected = [
        {"rule": "violence", "level": "crisis"},
        {"rule": "debt", "level": "heavy"},
        {"rule": "sensitive_topic", "level": "heavy"},
    ]
    assert hr.triage_reasons == expected
    assert item.reasons == expected
    assert other.reasons == [{"code": "no_match"}]
