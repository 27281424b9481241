"""Benchmark: the PDF, PNG and XLSX exports of a large Theory of Change.

Builds a programme of N elements (a fifth activities, a fifth outputs, the rest outcomes across
every level and time frame), M rated links running forward, notes, indicators and accepted
evaluation questions in a fresh database, then downloads each export as a programme lead (signed
in past two-factor, through Django's test client): time per request (median and max) and the
size of the file. The first request of a process loads WeasyPrint's fonts and is reported apart.

Usage: python benchmarks/bench_exports.py [--elements 100] [--links 150] [--repeat 5]
       [--database-url URL] [--out DIR]   (--out keeps the files, to look at)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--elements", type=int, default=100)
    parser.add_argument("--links", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", default="", help="a folder to write the exported files to")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="tip-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tip.settings.test")
    os.environ["TIP_HOME"] = os.getcwd()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tip.core.models import Membership, MembershipRole, Organisation, Partnership, User
    from tip.programmes.models import (
        Element,
        EvaluationQuestion,
        Horizon,
        Indicator,
        Level,
        Link,
        Note,
        Programme,
    )

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    p = Partnership.objects.create(name="Bench VRP", area="Bench", nation="england")
    org = Organisation.objects.create(partnership=p, name="Bench Police", sector="police")
    user = User.objects.create_user("lead@bench.example", "x" * 16, full_name="Bench Lead")
    m = Membership.objects.create(partnership=p, user=user, organisation=org)
    MembershipRole.objects.create(membership=m, role="programme_lead")
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)

    started = time.perf_counter()
    rng = random.Random(20260401)  # noqa: S311 (the same programme every run, not a secret)
    programme = Programme.objects.create(
        partnership=p,
        name="Bench large programme",
        aims="Fewer young people harmed, through trauma-informed services across the area.",
    )
    n_activities = args.elements // 5
    levels, horizons = list(Level), list(Horizon)
    elements = []
    for i in range(args.elements):
        kind = "activity" if i < n_activities else "output" if i < 2 * n_activities else "outcome"
        outcome = kind == "outcome"
        elements.append(
            Element(
                partnership=p,
                programme=programme,
                kind=kind,
                title=f"{kind.title()} {i}: a title of a typical length for a step",
                description="What this involves, who does it and where." if i % 3 == 0 else "",
                level=levels[i % len(levels)] if outcome else "",
                horizon=horizons[i % len(horizons)] if outcome else "",
                position=i,
            )
        )
    Element.objects.bulk_create(elements)
    elements = list(Element.objects.filter(programme=programme).order_by("pk"))
    rank = {"activity": 0, "output": 1, "outcome": 2}
    order = {e.pk: (rank[e.kind], horizons.index(e.horizon) if e.horizon else 0) for e in elements}
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < args.links:
        a, b = rng.sample(elements, 2)
        if order[a.pk] > order[b.pk]:
            a, b = b, a
        if order[a.pk] < order[b.pk]:  # forward only, so there is no loop
            pairs.add((a.pk, b.pk))
    ratings = ["strong", "moderate", "emerging", "none"]
    links = Link.objects.bulk_create(
        Link(
            partnership=p,
            programme=programme,
            source_id=s,
            target_id=t,
            evidence=ratings[i % 4],
            rationale="Because the one leads to the other, as the guidance describes.",
            evidence_source="Evaluation report, 2023" if i % 2 else "",
        )
        for i, (s, t) in enumerate(sorted(pairs))
    )
    outcomes = [e for e in elements if e.kind == "outcome"]
    Note.objects.bulk_create(
        Note(partnership=p, programme=programme, kind="assumption", text="Staff can attend", **on)
        for on in [{"element": e} for e in elements[::5]] + [{"link": k} for k in links[::10]]
    )
    Indicator.objects.bulk_create(
        Indicator(
            partnership=p,
            outcome=o,
            what="Confidence",
            how="Survey",
            from_whom="Staff",
            when="Termly",
        )
        for o in outcomes[::2]
    )
    EvaluationQuestion.objects.bulk_create(
        EvaluationQuestion(
            partnership=p, programme=programme, text=f"Question {i}?", status="accepted"
        )
        for i in range(10)
    )
    fill = time.perf_counter() - started

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    exports = {
        "PDF": f"/programmes/{programme.pk}/export.pdf",
        "PNG": f"/programmes/{programme.pk}/diagram.png",
        "XLSX": f"/programmes/{programme.pk}/export.xlsx",
    }

    def get(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content

    t = time.perf_counter()
    get(exports["PDF"])
    first = time.perf_counter() - t

    vendor = connection.vendor
    print(
        f"database: {vendor}; elements: {len(elements)}; links: {len(links)}; "
        f"fill: {fill:.1f} s; first PDF of the process: {first:.2f} s"
    )
    for name, url in exports.items():
        times = []
        content = b""
        for _ in range(args.repeat):
            t = time.perf_counter()
            content = get(url)
            times.append(time.perf_counter() - t)
        print(
            f"{name}: median {statistics.median(times):.2f} s, max {max(times):.2f} s, "
            f"{len(content) / 1e3:.0f} kB"
        )
        if args.out:
            folder = Path(args.out)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / url.rsplit("/", 1)[-1]).write_bytes(content)


if __name__ == "__main__":
    sys.exit(main())
