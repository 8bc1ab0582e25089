"""The load scenario, run by `python -m bench.load` (which seeds the people and passes them in BENCH_LOAD_PEOPLE).

Pages are requested with the person's session cookie, API calls with their token. Dynamic ids are grouped under
one name per endpoint (`[id]`), so the table shows one line per page or operation.
"""

from __future__ import annotations

import json
import os
import random
from typing import Any

from locust import HttpUser, between, events, task

PEOPLE: dict[str, list[dict[str, Any]]] = json.loads(open(os.environ["BENCH_LOAD_PEOPLE"]).read())  # noqa: SIM115
_next: dict[str, int] = {}
#: What the volunteers' answers were, written for the invariant checks when the run stops.
OUTCOMES: dict[str, Any] = {"accept_won": 0, "accept_taken": 0, "won_proposals": []}


@events.test_stop.add_listener
def _write_outcomes(**_: Any) -> None:
    with open(os.environ["BENCH_LOAD_OUTCOMES"], "w") as out:
        json.dump(OUTCOMES, out)


LIGHT = [
    ("boodschappen", "Could someone bring bread and milk from the shop on Saturday?"),
    ("hond", "Who can walk my dog on Sunday morning? He is calm and friendly."),
    ("planten", "I am away for a week. Could someone water the plants on my balcony?"),
    ("vuilnis", "Could a neighbour put my bin outside on Thursday evening?"),
    ("tuin", "The hedge at the front needs a small trim, about half an hour of work."),
]


def _take(role: str) -> dict[str, Any]:
    people = PEOPLE[role]
    n = _next.get(role, 0)
    _next[role] = n + 1
    return people[n % len(people)]


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    role = ""

    def on_start(self) -> None:
        me = _take(self.role)
        self.me = me
        self.page_headers = {"Cookie": f"sessionid={me['session']}", "X-Forwarded-Proto": "https"}
        self.api_headers = {"Authorization": f"Token {me['token']}", "X-Forwarded-Proto": "https"}

    def page(self, path: str, name: str | None = None) -> None:
        with self.client.get(path, headers=self.page_headers, name=name or path, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.error or ''}")

    def api(self, method: str, path: str, name: str, body: Any = None, ok: tuple[int, ...] = (200,)) -> Any:
        with self.client.request(
            method, path, headers=self.api_headers, json=body, name=name, catch_response=True
        ) as r:
            if r.status_code in ok:
                r.success()
            else:
                r.failure(f"{r.status_code} {r.error or r.text[:200]}")
                return None
            return r


class Resident(Person):
    """Browses the Burenbox, their requests and the guidance; now and then asks for help."""

    role = "residents"
    weight = 30

    @task(2)
    def my_burenbox(self) -> None:
        self.page("/burenbox/")

    @task(2)
    def my_requests(self) -> None:
        self.page("/help/mine/")

    @task(1)
    def neighbours(self) -> None:
        self.page("/burenbox/neighbours/")

    @task(1)
    def guidance(self) -> None:
        self.page("/guidance/")

    @task(1)
    def ask(self) -> None:
        category, text = random.choice(LIGHT)
        r = self.api(
            "POST", "/api/v1/requests/", "/api/v1/requests/", {"category": category, "description": text}, ok=(201,)
        )
        if r is not None:
            self.api("GET", f"/api/v1/requests/{r.json()['id']}/", "/api/v1/requests/[id]/")


class Volunteer(Person):
    """Looks at their proposals and says yes to one; someone else may have been faster (409, expected)."""

    role = "volunteers"
    weight = 16

    @task(3)
    def proposals(self) -> None:
        r = self.api("GET", "/api/v1/proposals/", "/api/v1/proposals/")
        if r is None:
            return
        open_ones = [p for p in r.json() if p["status"] == "proposed" and p["volunteer"] == self.me["resident"]]
        if not open_ones:
            return
        proposal = random.choice(open_ones)
        with self.client.post(
            f"/api/v1/proposals/{proposal['id']}/accept/",
            headers=self.api_headers,
            name="/api/v1/proposals/[id]/accept/",
            catch_response=True,
        ) as answer:
            if answer.status_code == 200:
                answer.success()
                OUTCOMES["accept_won"] += 1
                OUTCOMES["won_proposals"].append(proposal["id"])
            elif answer.status_code == 409:
                answer.success()  # taken by someone else or no longer open: the expected answer to a race
                OUTCOMES["accept_taken"] += 1
            else:
                answer.failure(f"{answer.status_code} {answer.text[:200]}")

    @task(1)
    def proposal_page(self) -> None:
        self.page("/help/proposals/")

    @task(1)
    def my_burenbox(self) -> None:
        self.page("/burenbox/")


class Coordinator(Person):
    """Works the queue: the queue page, an item, and closing items through the API."""

    role = "coordinators"
    weight = 4

    @task(3)
    def queue_page(self) -> None:
        self.page("/coordinator/")

    @task(2)
    def work_an_item(self) -> None:
        r = self.api("GET", "/api/v1/queue/", "/api/v1/queue/")
        if r is None or not r.json():
            return
        item = random.choice(r.json()[:10])
        self.page(f"/coordinator/item/{item['id']}/", "/coordinator/item/[id]/")
        self.api(
            "POST",
            f"/api/v1/queue/{item['id']}/close/",
            "/api/v1/queue/[id]/close/",
            {"outcome": "Called the resident; handled."},
            ok=(200, 404, 409),  # two coordinators may close the same item at once
        )
