"""Benchmark: the audit log at scale.

Fills a fresh database with N audit entries for one partnership, then measures, as an auditor:
the first page of the audit log (time, queries) and the full CSV export (time, peak Python
memory, which must stay flat because the export streams).

Usage: python benchmarks/bench_audit.py [--entries 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
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

    from tip.core.models import (
        AuditEntry,
        Membership,
        MembershipRole,
        Organisation,
        Partnership,
        User,
    )

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    p = Partnership.objects.create(name="Bench VRP", area="Bench", nation="england")
    org = Organisation.objects.create(partnership=p, name="Bench Police", sector="police")
    user = User.objects.create_user("auditor@bench.example", "x" * 16, full_name="Bench Auditor")
    m = Membership.objects.create(partnership=p, user=user, organisation=org)
    MembershipRole.objects.create(membership=m, role="auditor")
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)

    started = time.perf_counter()
    batch = []
    for i in range(args.entries):
        batch.append(
            AuditEntry(
                actor=user,
                actor_email=user.email,
                partnership=p,
                action="view" if i % 3 else "update",
                object_type="core.Membership",
                object_id=str(i),
                object_repr=f"Person {i}",
                purpose="Partnership directory: a person's details",
            )
        )
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)
    fill = time.perf_counter() - started

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    page_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        response = client.get("/audit/?text=Person+9")
        page_times.append(time.perf_counter() - t)
        assert response.status_code == 200, response.status_code

    def export() -> int:
        response = client.get("/audit/export.csv")
        return sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1

    # Time without tracing (tracemalloc slows Python several-fold), then one traced run for memory.
    export_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        rows = export()
        export_times.append(time.perf_counter() - t)
    tracemalloc.start()
    export()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    vendor = connection.vendor
    print(f"database: {vendor}; entries: {args.entries}; fill: {fill:.1f} s")
    print(
        "audit page (search, first page of 50): "
        f"median {statistics.median(page_times) * 1000:.0f} ms,"
        f" max {max(page_times) * 1000:.0f} ms"
    )
    print(
        f"CSV export of {rows} rows: median {statistics.median(export_times):.2f} s,"
        f" max {max(export_times):.2f} s, peak Python memory {peak / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    sys.exit(main())
