"""Benchmark: the evaluation report of a large programme, and the national pooled view.

1. Fills a fresh database with one programme evaluated at scale: 10,000 trained participants
   (booked on 400 sessions in person, online and hybrid, across 20 organisations) and a
   comparison cohort of 2,000, asked at three waves (a baseline a week before, straight after
   and six months on) with TIP's knowledge, attitudes and confidence questionnaire (30 items),
   with attrition (92% answer the baseline, 80% straight after, 50% at six months) and the
   baseline's "about you" facts for matching.
2. Opens the programme's full report as its evaluator (signed in past two-factor, through
   Django's test client, so without a network or web server in the way): every analysis the
   report makes (reliability, change with effect sizes, reliable change, the mixed model over
   the waves, attrition, subgroups, matching with balance, difference-in-differences) and every
   chart; and downloads the PDF. The report is kept for TIP_REPORT_CACHE_SECONDS (300 here, the
   production default), so each round times: the page cold (nothing kept: every analysis), the
   page warm (kept), the PDF straight after the page (kept: rendering only) and the PDF cold.
   The first round of a process (which loads statsmodels, matplotlib and WeasyPrint's fonts) is
   reported apart.
3. Shares aggregates from 20 partnerships (built by the national demo's code from made-up
   person-level scores) and opens the national pooled view as a national analyst, with REML and
   with DerSimonian-Laird: a random-effects meta-analysis per instrument, scale and wave pair,
   with its forest plots; time and queries.

Targets (issue 6): the full report under 5 seconds; the national view under 10 seconds.

Usage: python benchmarks/bench_evaluation.py [--participants 10000] [--comparison 2000]
       [--partnerships 20] [--repeat 5] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from typing import Any

REPORT_TARGET_S = 5.0
NATIONAL_TARGET_S = 10.0
WAVES = ((-7, 0.92), (0, 0.80), (182, 0.50))
FORMATS = ["in_person", "in_person", "virtual", "hybrid"]
SECTORS = [
    "police",
    "health",
    "education",
    "childrens_services",
    "youth_justice",
    "probation",
    "voluntary",
    "housing",
]


def _signed_in(user: Any, device: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _answers(instrument: Any, rng: random.Random, level: float) -> dict[str, Any]:
    """Stored answers (as the survey saves them) from someone at ``level``."""
    found: dict[str, Any] = {}
    for item in instrument.items:
        scale = item.scale
        if scale.type == "likert":
            values = [p.value for p in scale.points]
            position = 0.6 + 0.13 * level + rng.gauss(0.0, 0.16)
            if item.reverse:
                position = 1.0 - position
            found[item.id] = values[
                min(len(values) - 1, max(0, round(position * (len(values) - 1))))
            ]
        elif scale.type == "true_false":
            knows = rng.random() < 1.0 / (1.0 + 2.718281828 ** (-(0.5 + 0.7 * level)))
            key = bool(item.answer_key)
            found[item.id] = "true" if (key if knows else not key) else "false"
    return found


def fill_programme(participants: int, comparison: int, seed: int = 20261127) -> dict[str, Any]:
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tip.core.models import Membership, MembershipRole, Organisation, Partnership, User
    from tip.evaluation import services as evaluation_services
    from tip.evaluation.instrument_library import shipped_instrument
    from tip.evaluation.models import (
        ComparisonCohort,
        Invitation,
        Respondent,
        Response,
        Wave,
    )
    from tip.programmes import services as programme_services
    from tip.training.models_bookings import Booking
    from tip.training.models_courses import Course, CourseVersion
    from tip.training.models_sessions import Session

    rng = random.Random(seed)  # noqa: S311 (the same data every run, not a secret)
    partnership = Partnership.objects.create(name="Bench VRU", area="Bench", nation="england")
    organisations = Organisation.objects.bulk_create(
        Organisation(partnership=partnership, name=f"Bench org {i}", sector=SECTORS[i % 8])
        for i in range(20)
    )
    lead = User.objects.create_user("evaluator@bench.example", "x" * 16, full_name="Bench Eval")
    membership = Membership.objects.create(
        partnership=partnership, user=lead, organisation=organisations[0]
    )
    for role in ("programme_lead", "evaluator"):
        MembershipRole.objects.create(membership=membership, role=role)
    device = TOTPDevice.objects.create(user=lead, name="bench", confirmed=True)
    programme = programme_services.programme_create(
        partnership=partnership, name="Bench programme", aims="Trauma-informed staff.", by=lead
    )
    plan = evaluation_services.plan_create(
        programme=programme,
        comparison_group=True,
        comparison_description="Staff in neighbouring teams, trained next year.",
        by=lead,
    )
    waves = {w.offset_days: w for w in Wave.objects.filter(plan=plan)}
    instrument = shipped_instrument("tip-kac")
    evaluation_services.measure_create(
        plan=plan,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        waves=[waves[offset] for offset, _share in WAVES],
        by=lead,
    )
    course = Course.objects.create(
        partnership=partnership, name="Bench course", programme=programme, hours=7
    )
    version = CourseVersion.objects.create(partnership=partnership, course=course, number=1)
    today = timezone.localdate()
    n_sessions = max(1, participants // 25)
    sessions = Session.objects.bulk_create(
        Session(
            partnership=partnership,
            course=course,
            course_version=version,
            title=f"Bench session {i}",
            format=FORMATS[i % len(FORMATS)],
            capacity=30,
            status="published",
        )
        for i in range(n_sessions)
    )
    session_day = {s.pk: today - timedelta(days=200 + (i % 60)) for i, s in enumerate(sessions)}
    people = User.objects.bulk_create(
        User(email=f"p{i}@bench.example", full_name=f"Person {i}", password="!")  # noqa: S106 (unusable)
        for i in range(participants)
    )
    memberships = Membership.objects.bulk_create(
        Membership(partnership=partnership, user=u, organisation=organisations[i % 20])
        for i, u in enumerate(people)
    )
    bookings = Booking.objects.bulk_create(
        Booking(
            partnership=partnership,
            session=sessions[i % n_sessions],
            membership=m,
            status="booked",
        )
        for i, m in enumerate(memberships)
    )
    cohort = ComparisonCohort.objects.create(
        partnership=partnership,
        plan=plan,
        name="Bench comparison",
        reference_date=today - timedelta(days=200),
    )
    respondents = Respondent.objects.bulk_create(
        [
            Respondent(
                partnership=partnership,
                plan=plan,
                group="trained",
                booking=b,
                membership=memberships[i],
                anchor_date=session_day[b.session_id],
            )
            for i, b in enumerate(bookings)
        ]
        + [
            Respondent(
                partnership=partnership,
                plan=plan,
                group="comparison",
                cohort=cohort,
                email=f"c{i}@bench.example",
                anchor_date=cohort.reference_date,
            )
            for i in range(comparison)
        ]
    )
    invitations: list[Any] = []
    responses: list[Any] = []
    for respondent in respondents:
        trained = respondent.group == "trained"
        level = rng.gauss(0.0, 1.0)
        organisation = organisations[respondent.pk % 20]
        for offset, share in WAVES:
            wave = waves[offset]
            opens = timezone.make_aware(
                datetime.combine(respondent.anchor_date + timedelta(days=offset), clock(9))
            )
            answered = rng.random() < share
            invitation = Invitation(
                partnership=partnership,
                respondent=respondent,
                wave=wave,
                link_digest=secrets.token_hex(32),
                status="completed" if answered else "closed",
                opens_at=opens,
                closes_at=opens + timedelta(days=14),
                sent_at=opens,
                completed_at=opens + timedelta(days=1) if answered else None,
            )
            invitations.append(invitation)
            if not answered:
                continue
            gain = {-7: 0.0, 0: 0.9, 182: 0.6}[offset] if trained else 0.1 * (offset > 0)
            covariates = {}
            if offset < 0:
                covariates = {
                    "sector": organisation.sector,
                    "role": "Practitioner",
                    "years_in_role": max(0, int(rng.gauss(6 if trained else 8, 4))),
                    "prior_training": rng.choice(["yes", "no", "no", "not_sure"]),
                    "organisation": organisation.pk,
                }
            responses.append(
                Response(
                    partnership=partnership,
                    plan=plan,
                    wave=wave,
                    invitation=invitation,
                    respondent=respondent,
                    group=respondent.group,
                    consented_at=opens,
                    answers={instrument.id: _answers(instrument, rng, level + gain)},
                    versions={instrument.id: instrument.version},
                    covariates=covariates,
                    submitted_at=opens + timedelta(days=1),
                )
            )
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    Response.objects.bulk_create(responses, batch_size=2000)
    return {
        "programme": programme,
        "client": _signed_in(lead, device),
        "responses": len(responses),
        "respondents": len(respondents),
    }


def fill_national(partnerships: int) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tip.core.models import User
    from tip.national import demo
    from tip.national.models import NationalAnalyst

    for i in range(partnerships):
        spec = demo.FictionalPartnership(
            name=f"Bench partnership {i}",
            area=f"Area {i}",
            nation="england" if i % 5 else "wales",
            lead_email=f"lead{i}@bench-national.example",
            lead_name=f"Lead {i}",
            programme="Trauma-informed workforce programme",
            organisations=(("Police", "police"), ("Schools", "education"), ("NHS", "health")),
            trained=300 + 40 * i,
            comparison=0 if i % 4 == 3 else 60 + 5 * i,
            effect=0.3 + 0.05 * (i % 7),
            seed=9000 + i,
            named=bool(i % 2),
        )
        demo._fictional(spec)
    analyst = User.objects.create_user("analyst@bench.example", "x" * 16, full_name="Analyst")
    NationalAnalyst.objects.create(user=analyst, note="Benchmark")
    device = TOTPDevice.objects.create(user=analyst, name="bench", confirmed=True)
    return _signed_in(analyst, device)


def _get(client: Any, url: str, **params: str) -> tuple[float, int, int]:
    """Seconds, size in bytes and queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    took = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return took, len(response.content), len(captured)


def _report_round(client: Any, page: str, pdf: str) -> dict[str, float]:
    from django.core.cache import cache

    cache.clear()
    found = {"page cold": _get(client, page)[0]}
    found["page warm"] = _get(client, page)[0]
    found["PDF after the page"] = _get(client, pdf)[0]
    cache.clear()
    found["PDF cold"] = _get(client, pdf)[0]
    return found


def _summary(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s, max {max(times):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--comparison", type=int, default=2_000)
    parser.add_argument("--partnerships", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="tip-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tip.settings.test")
    os.environ["TIP_HOME"] = os.getcwd()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    # The test settings keep nothing; time the report as production keeps it.
    settings.TIP_REPORT_CACHE_SECONDS = 300
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    started = time.perf_counter()
    filled = fill_programme(args.participants, args.comparison)
    print(
        f"database: {connection.vendor}; respondents: {filled['respondents']:,}; "
        f"responses: {filled['responses']:,}; fill: {time.perf_counter() - started:.0f} s"
    )
    programme_id = filled["programme"].pk
    page = reverse("evaluation:report-programme", args=[programme_id])
    pdf = reverse("evaluation:report-programme-pdf", args=[programme_id])
    client = filled["client"]
    first = _report_round(client, page, pdf)
    print("report, first round: " + "; ".join(f"{k} {v:.2f} s" for k, v in first.items()))
    rounds = [_report_round(client, page, pdf) for _ in range(args.repeat)]
    _took, page_size, page_queries = _get(client, page)
    _took, pdf_size, _pdf_queries = _get(client, pdf)
    failed = False
    for name in first:
        times = [r[name] for r in rounds]
        line = f"report {name}: {_summary(times)} over {args.repeat}"
        if name == "page cold":
            failed |= statistics.median(times) > REPORT_TARGET_S
            line += f" (target under {REPORT_TARGET_S:.0f} s)"
        print(line)
    print(
        f"report sizes: page {page_size / 1024:.0f} KB ({page_queries} queries when kept), "
        f"PDF {pdf_size / 1024:.0f} KB"
    )

    started = time.perf_counter()
    client = fill_national(args.partnerships)
    took = time.perf_counter() - started
    print(f"national: {args.partnerships} partnerships shared in {took:.0f} s")
    national = reverse("national:index")
    for method in ("reml", "dl"):
        first_time = _get(client, national, method=method)[0]
        runs = [_get(client, national, method=method) for _ in range(args.repeat)]
        times = [t for t, _size, _queries in runs]
        _t, size, queries = runs[-1]
        failed |= statistics.median(times) > NATIONAL_TARGET_S
        print(
            f"national view ({method}): first {first_time:.2f} s; {_summary(times)} over "
            f"{args.repeat}; {size / 1024:.0f} KB, {queries} queries "
            f"(target under {NATIONAL_TARGET_S:.0f} s)"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
