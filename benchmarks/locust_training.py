"""Locust users for the training load test (run by benchmarks/bench_training.py, which writes the
plan this reads: TIP_BENCH_PLAN names the file).

Each virtual practitioner is a different person of the largest partnership, signed in through a
session cookie made before the run. They open the session list, session pages (past and
upcoming), and book: the booking page (GET, which gives the form's CSRF token), the booking
(POST, which must redirect) and the booking's own page it redirects to. Each has its own list of
upcoming sessions with free places it is not on, shared out so no two people take the same last
place; a session that is full, or any other refusal, counts as an error.

Virtual programme leads (signed in past two-factor) open the programme's delivery dashboard, when
the plan has one. Every request's time is also written to the plan's `samples` file, so the
percentiles are computed exactly rather than from Locust's rounded buckets.
"""

from __future__ import annotations

import json
import os
import random
import re
from http.cookiejar import Cookie
from itertools import count
from typing import Any

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["TIP_BENCH_PLAN"]) as plan_file:
    PLAN: dict[str, Any] = json.load(plan_file)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SAMPLES: list[tuple[str, str, float, int, bool]] = []
_next_practitioner = count()
_next_lead = count()


@events.request.add_listener
def _record(
    request_type: str,
    name: str,
    response_time: float,
    response: Any = None,
    exception: Any = None,
    **_kwargs: Any,
) -> None:
    status = getattr(response, "status_code", 0) or 0
    SAMPLES.append((request_type, name, response_time, status, exception is not None))


@events.test_stop.add_listener
def _write(**_kwargs: Any) -> None:
    with open(PLAN["samples"], "w") as out:
        json.dump(SAMPLES, out)


def _sign_in(user: FastHttpUser, session_key: str) -> None:
    host = PLAN["cookie_domain"]
    user.client.cookiejar.set_cookie(
        Cookie(
            version=0,
            name="sessionid",
            value=session_key,
            port=None,
            port_specified=False,
            domain=host,
            domain_specified=False,
            domain_initial_dot=False,
            path="/",
            path_specified=True,
            secure=False,
            expires=None,
            discard=True,
            comment=None,
            comment_url=None,
            rest={},
        )
    )


def _get(user: FastHttpUser, path: str, name: str) -> str:
    """A page that must answer 200 (a redirect would mean the sign-in was lost)."""
    with user.client.get(path, name=name, allow_redirects=False, catch_response=True) as resp:
        if resp.status_code != 200:
            resp.failure(f"{resp.status_code} for {path}")
            return ""
        return resp.text or ""


class Practitioner(FastHttpUser):
    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])

    def on_start(self) -> None:
        people = PLAN["practitioners"]
        self.me = people[next(_next_practitioner) % len(people)]
        self.to_book: list[int] = list(self.me["to_book"])
        self.random = random.Random(self.me["membership_id"])  # noqa: S311 (not a secret)
        _sign_in(self, self.me["session_key"])

    @task(3)
    def session_list(self) -> None:
        _get(self, "/training/sessions/", "session list")

    @task(3)
    def session_page(self) -> None:
        session_id = self.random.choice(PLAN["session_ids"])
        _get(self, f"/training/sessions/{session_id}/", "session page")

    @task(2)
    def book(self) -> None:
        if not self.to_book:
            return
        session_id = self.to_book.pop(0)
        path = f"/training/sessions/{session_id}/book/"
        page = _get(self, path, "book: form (GET)")
        token = CSRF.search(page)
        if token is None:
            return
        data = {"csrfmiddlewaretoken": token.group(1)}
        with self.client.post(
            path,
            data=data,
            name="book: booking (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code != 302:
                resp.failure(f"{resp.status_code}: the booking was refused")
                return
            location = resp.headers.get("Location", "")
        if "/training/my/bookings/" not in location:
            return
        _get(self, location, "book: my booking page")


class ProgrammeLead(FastHttpUser):
    """Opens the delivery dashboard; only when the plan found one (see bench_training.py)."""

    # Locust reads a fixed_count of 0 as "share by weight": no dashboard or no leads, no class.
    abstract = not (PLAN.get("dashboard_path") and PLAN.get("leads"))
    fixed_count = PLAN.get("leads", 0)
    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])

    def on_start(self) -> None:
        leads = PLAN["leads_sessions"]
        _sign_in(self, leads[next(_next_lead) % len(leads)])

    @task
    def dashboard(self) -> None:
        _get(self, PLAN["dashboard_path"], "delivery dashboard")
