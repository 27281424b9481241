"""Benchmark: training delivery at national scale, under 50 concurrent users, on PostgreSQL.

One command runs the whole thing (`make bench-training`):

1. Writes the national data into its own database (benchmarks/training_data.py: 20
   partnerships, 400 organisations, 50,000 practitioners, 3,000 sessions, 150,000 bookings) and
   the same shapes at the size of the test data into another, timing the national one.
2. Counts each page's database queries in both, through Django's test client (so the counts
   show whether any page's queries grow with the data).
3. Signs in the virtual users up front (a session per person, made in the database, so no
   password is hashed during the run) and shares out upcoming sessions with free places for
   them to book.
4. Starts the production server, gunicorn with production settings changed only for plain HTTP
   on the loopback address (benchmarks/bench_settings.py says what and why), after collecting
   the static files as a deployment does; times each page requested alone, one after another
   (which also warms the workers up); then runs Locust headless against it
   (benchmarks/locust_training.py) for a fixed time, and stops it.
5. Prints p50 / p95 / max latency and errors per page, requests per second, the CPU time the
   server's processes used, and the query counts, and writes them with the raw figures to
   --out (results.json).

The run works on copies of the generated databases (named with _run), so --reuse starts from
the same data every time.

Usage: python benchmarks/bench_training.py [--users 50] [--run-time 120] [--workers 3]
       [--wait 3 10] [--leads 5] [--reuse]
       [--dashboard-path /training/programmes/{programme_id}/dashboard/]
       [--database-url postgres://postgres@127.0.0.1:5432/tip_bench]
       [--small-database-url postgres://postgres@127.0.0.1:5432/tip_bench_small]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import training_data  # beside this file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tip_bench"
SMALL_URL = "postgres://postgres@127.0.0.1:5432/tip_bench_small"
TARGET_P95_MS = 200

# The delivery dashboard, if the app has one by now: tried in this order (see dashboard_path).
DASHBOARD_NAMES = [
    "training:programme-dashboard",
    "training:delivery-dashboard",
    "training:dashboard",
]
# Pages in the order the tables list them.
PAGES = [
    "session list",
    "session page",
    "book: form (GET)",
    "book: booking (POST)",
    "book: my booking page",
    "delivery dashboard",
]


# --- Inside Django (run as `--step prepare`, one database per process) ------------------------


def _signed_in_client(user: Any, device: str = "") -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    if device:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device
        session.save()
    return client


def dashboard_path(programme_id: int, template: str = "") -> str:
    """The delivery dashboard's address for the programme, or "" while the app has none."""
    if template:
        return template.format(programme_id=programme_id)
    from django.urls import NoReverseMatch, reverse

    for name in DASHBOARD_NAMES:
        for kwargs in ({"programme_id": programme_id}, {"pk": programme_id}):
            try:
                return reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
    return ""


def _upcoming(partnership: Any) -> Any:
    """Published sessions starting after tomorrow, with their places taken counted."""
    from datetime import timedelta

    from django.db.models import Count, Min, Q
    from django.utils import timezone

    from tip.training.models_sessions import Session

    return (
        Session.objects.filter(partnership=partnership, status="published")
        .annotate(
            starts=Min("parts__starts_at"),
            taken=Count(
                "bookings", filter=Q(bookings__status__in=["booked", "offered"]), distinct=True
            ),
        )
        .filter(starts__gt=timezone.now() + timedelta(days=1))
    )


def query_counts(summary: dict[str, Any], template: str) -> dict[str, int]:
    """Queries per page for a practitioner (and a programme lead) of the largest partnership."""
    from django.db import connection
    from django.db.models import Count, F, Max
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tip.core.models import Membership, Partnership
    from tip.training.models_sessions import Session

    partnership = Partnership.objects.get(pk=summary["largest_partnership_id"])
    upcoming = _upcoming(partnership)
    # Something to book, and the person with the most bookings who is not on it.
    target = upcoming.filter(taken__lt=F("capacity")).order_by("pk").first()
    assert target is not None
    person = (
        Membership.objects.filter(partnership=partnership, roles__role="practitioner")
        .exclude(training_bookings__session=target)
        .annotate(n=Count("training_bookings"))
        .select_related("user")
        .order_by("-n", "pk")
        .first()
    )
    assert person is not None
    # The heaviest shape of session page: a venue whose setting requires clearances (the lead's
    # page checks them), and two trainers; the data has one in every partnership.
    busiest = (
        upcoming.filter(venue__setting__isnull=False)
        .annotate(trainers=Count("session_trainers", distinct=True))
        .filter(trainers=2)
        .order_by("-taken", "pk")
        .first()
    )
    past = (
        Session.objects.filter(partnership=partnership)
        .annotate(ends=Max("parts__ends_at"), n=Count("bookings"))
        .filter(ends__lt=timezone.now())
        .order_by("-n", "pk")
        .first()
    )
    assert busiest is not None and past is not None
    lead_info = summary["leads"][0]
    lead = Membership.objects.select_related("user").get(pk=lead_info["membership_id"])

    counts: dict[str, int] = {}

    def measure(name: str, client: Any, path: str, method: str = "get", status: int = 200) -> Any:
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method)(path)
        assert response.status_code == status, (name, path, response.status_code)
        counts[name] = len(ctx)
        return response

    practitioner = _signed_in_client(person.user)
    measure("session list", practitioner, "/training/sessions/")
    measure("session page", practitioner, f"/training/sessions/{busiest.pk}/")
    measure("session page (past)", practitioner, f"/training/sessions/{past.pk}/")
    book = f"/training/sessions/{target.pk}/book/"
    measure("book: form (GET)", practitioner, book)
    response = measure("book: booking (POST)", practitioner, book, "post", 302)
    measure("book: my booking page", practitioner, response["Location"])
    measure("my training", practitioner, "/training/my/")
    leader = _signed_in_client(lead.user, lead_info["device"])
    measure("session page (programme lead)", leader, f"/training/sessions/{busiest.pk}/")
    path = dashboard_path(summary["programme_id"], template)
    if path:
        measure("delivery dashboard", leader, path)
    return counts


def make_plan(summary: dict[str, Any], users: int, leads: int, template: str) -> dict[str, Any]:
    """The virtual users' sessions (cookies) and what each books; shared out so that no session
    is offered to more people than it has free places."""
    from django.db.models import F

    from tip.core.models import Membership, Partnership
    from tip.training.models_bookings import Booking
    from tip.training.models_sessions import Session

    partnership = Partnership.objects.get(pk=summary["largest_partnership_id"])
    everyone = list(
        Membership.objects.filter(partnership=partnership, roles__role="practitioner")
        .select_related("user")
        .order_by("pk")
    )
    step = max(len(everyone) // users, 1)
    people = everyone[::step][:users]
    upcoming = list(_upcoming(partnership).filter(taken__lt=F("capacity")).order_by("starts", "pk"))
    on = set(
        Booking.objects.filter(
            membership__in=people, status__in=["booked", "waiting", "offered"]
        ).values_list("session_id", "membership_id")
    )
    to_book: dict[int, list[int]] = {m.pk: [] for m in people}
    turn = 0
    for session in upcoming:
        free = session.capacity - session.taken  # type: ignore[attr-defined]
        for _ in range(min(free, len(people))):
            for _tries in range(len(people)):
                m = people[turn % len(people)]
                turn += 1
                if (session.pk, m.pk) not in on and session.pk not in to_book[m.pk]:
                    to_book[m.pk].append(session.pk)
                    break
    path = dashboard_path(summary["programme_id"], template)
    lead_sessions = []
    for info in summary["leads"]:
        lead = Membership.objects.select_related("user").get(pk=info["membership_id"])
        client = _signed_in_client(lead.user, info["device"])
        lead_sessions.append(client.cookies["sessionid"].value)
    return {
        "practitioners": [
            {
                "membership_id": m.pk,
                "session_key": _signed_in_client(m.user).cookies["sessionid"].value,
                "to_book": to_book[m.pk],
            }
            for m in people
        ],
        "session_ids": list(
            Session.objects.filter(partnership=partnership).values_list("pk", flat=True)
        ),
        "places_offered": sum(len(v) for v in to_book.values()),
        "dashboard_path": path,
        "leads": leads if path else 0,
        "leads_sessions": lead_sessions,
    }


def prepare(args: argparse.Namespace) -> None:
    import django

    django.setup()
    with open(args.summary) as f:
        summary = json.load(f)
    result: dict[str, Any] = {"counts": query_counts(summary, args.dashboard_path)}
    if args.plan:
        result["plan"] = make_plan(summary, args.users, args.leads, args.dashboard_path)
    with open(args.result, "w") as out:
        json.dump(result, out, indent=2)


# --- The run ------------------------------------------------------------------------------------


def _run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)  # noqa: S603 (our own commands)


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def _fetch(port: int, path: str, session_key: str) -> float:
    """One GET on its own, in milliseconds; anything but 200 stops the benchmark."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={session_key}"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        response.read()
        if response.status != 200 or response.url.rstrip("/") != request.full_url.rstrip("/"):
            raise SystemExit(f"{path} answered {response.status} at {response.url}")
    return (time.perf_counter() - started) * 1000


def _one_at_a_time(port: int, plan: dict[str, Any], rounds: int) -> dict[str, dict[str, float]]:
    """Each page requested alone, one after another: what the server needs for one request,
    without queueing. The first rounds warm each worker up (templates, translations) and are
    not counted."""
    person = plan["practitioners"][0]
    sessions = plan["session_ids"]
    pages = {
        "session list": ("/training/sessions/", person["session_key"]),
        "session page": ("/training/sessions/{id}/", person["session_key"]),
        "book: form (GET)": ("/training/sessions/{upcoming}/book/", person["session_key"]),
    }
    if plan["dashboard_path"]:
        pages["delivery dashboard"] = (plan["dashboard_path"], plan["leads_sessions"][0])
    times: dict[str, list[float]] = {name: [] for name in pages}
    for n in range(rounds):
        for name, (path, key) in pages.items():
            filled = path.format(
                id=sessions[(n * 7) % len(sessions)],
                upcoming=person["to_book"][n % len(person["to_book"])],
            )
            took = _fetch(port, filled, key)
            if n >= rounds // 3:
                times[name].append(took)
    return {
        name: {
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(_percentile(sorted(values), 0.95), 1),
        }
        for name, values in times.items()
    }


class CpuMeter:
    """CPU time (user and system) used by gunicorn's workers, the PostgreSQL backends serving
    the benchmark's database and Locust, sampled every second so that processes ending during
    the run (a connection closed after CONN_MAX_AGE) still count. psutil comes with Locust."""

    def __init__(self, gunicorn_pid: int, database: str, locust_pid: int) -> None:
        self.gunicorn_pid, self.database, self.locust_pid = gunicorn_pid, database, locust_pid
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.kind: dict[int, str] = {}
        self.sample(first=True)

    def sample(self, first: bool = False) -> None:
        import psutil

        workers, backends = _server_pids(self.gunicorn_pid, self.database)
        for kind, pids in (("workers", workers), ("backends", backends)):
            for pid in pids:
                self._read(psutil, pid, kind, first)
        self._read(psutil, self.locust_pid, "locust", first)

    def _read(self, psutil: Any, pid: int, kind: str, first: bool) -> None:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.NoSuchProcess:
            return
        used = times.user + times.system + times.children_user + times.children_system
        if first:
            self.first[pid] = used
        self.last[pid] = used
        self.kind[pid] = kind

    def seconds(self) -> dict[str, float]:
        used: dict[str, float] = {"workers": 0.0, "backends": 0.0, "locust": 0.0}
        for pid, last in self.last.items():
            used[self.kind[pid]] += last - self.first.get(pid, 0.0)
        return {k: round(v, 1) for k, v in used.items()}


def _server_pids(gunicorn_pid: int, database: str) -> tuple[list[int], list[int]]:
    """gunicorn's workers, and the PostgreSQL backends serving the benchmark's database."""
    import psutil

    workers = [c.pid for c in psutil.Process(gunicorn_pid).children()]
    backends = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if cmdline.startswith("postgres:") and f" {database} " in cmdline:
            backends.append(proc.pid)
    return workers, backends


def _percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def summarise(samples: list[list[Any]], seconds: float) -> dict[str, dict[str, float]]:
    by_name: dict[str, list[list[Any]]] = {}
    for sample in samples:
        by_name.setdefault(sample[1], []).append(sample)
    stats = {}
    for name, rows in by_name.items():
        times = sorted(r[2] for r in rows)
        stats[name] = {
            "requests": len(rows),
            "errors": sum(1 for r in rows if r[4]),
            "p50_ms": round(_percentile(times, 0.50), 1),
            "p95_ms": round(_percentile(times, 0.95), 1),
            "max_ms": round(times[-1], 1),
            "per_second": round(len(rows) / seconds, 2),
        }
    return stats


def _table(results: dict[str, Any]) -> str:
    stats, alone = results["stats"], results["one_at_a_time"]
    small, large = results["counts_small"], results["counts_national"]
    lines = [
        "| page | requests | errors | p50 | p95 | max | alone: p50 / p95 "
        "| queries: test-size data / national |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    names = [n for n in PAGES if n in stats or n in large] + [n for n in large if n not in PAGES]
    for name in names:
        s = stats.get(name)
        timing = (
            f"{s['requests']} | {s['errors']} | {s['p50_ms']:.0f} ms | {s['p95_ms']:.0f} ms "
            f"| {s['max_ms']:.0f} ms"
            if s
            else "not loaded | | | |"
        )
        a = alone.get(name)
        by_itself = f"{a['p50_ms']:.0f} / {a['p95_ms']:.0f} ms" if a else ""
        counts = f"{small.get(name, '–')} / {large.get(name, '–')}"
        lines.append(f"| {name} | {timing} | {by_itself} | {counts} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--small-database-url", default=SMALL_URL)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--leads", type=int, default=5, help="of --users, when a dashboard exists")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", type=int, default=120, help="seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn's (sync) workers")
    parser.add_argument(
        "--wait",
        type=float,
        nargs=2,
        default=[3.0, 10.0],
        metavar=("MIN", "MAX"),
        help="seconds each user waits between pages (reading them)",
    )
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the last run")
    parser.add_argument("--dashboard-path", default="", help="with {programme_id}")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-training"))
    parser.add_argument("--step", choices=["run", "prepare"], default="run", help=argparse.SUPPRESS)
    parser.add_argument("--summary", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--plan", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args)
        return

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(p for p in [str(HERE), env.get("PYTHONPATH", "")] if p),
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "TIP_HOME": str(ROOT),
            "TIP_SECRET_KEY": secrets.token_urlsafe(50),
            "TIP_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "TIP_BASE_URL": f"http://127.0.0.1:{args.port}",
            "TIP_BENCH_STATIC_ROOT": str(out / "static"),
        }
    )
    national, small = out / "national.json", out / "small.json"
    for url, summary_file, extra in [
        (args.database_url, national, []),
        (args.small_database_url, small, ["--small"]),
    ]:
        if args.reuse and summary_file.exists():
            print(f"Reusing {url.rsplit('/', 1)[-1]} ({summary_file})")
            continue
        _run(
            [
                *[python, str(HERE / "training_data.py"), "--database-url", url],
                *["--json", str(summary_file), *extra],
            ],
            env | {"DATABASE_URL": url},
        )
    # The run books places: it works on copies, so the generated data stays as it was made and
    # --reuse starts every run from the same state.
    run_url, small_run_url = args.database_url + "_run", args.small_database_url + "_run"
    training_data.copy_database(args.database_url, run_url)
    training_data.copy_database(args.small_database_url, small_run_url)
    # Data kept with --reuse may predate the code's latest migrations: bring the copies up to date.
    for url in (run_url, small_run_url):
        _run(
            [python, "-m", "django", "migrate", "--no-input", "-v", "0"],
            env | {"DATABASE_URL": url},
        )

    # As a deployment does: production's static storage needs the manifest to render a page.
    _run(
        [python, "-m", "django", "collectstatic", "--no-input", "-v", "0"],
        env | {"DATABASE_URL": run_url},
    )
    common = ["--dashboard-path", args.dashboard_path] if args.dashboard_path else []
    for url, summary_file, result, plan in [
        (small_run_url, small, out / "prepared_small.json", []),
        (run_url, national, out / "prepared_national.json", ["--plan"]),
    ]:
        _run(
            [
                *[python, __file__, "--step", "prepare", "--summary", str(summary_file)],
                *["--result", str(result), "--users", str(args.users), "--leads", str(args.leads)],
                *common,
                *plan,
            ],
            env | {"DATABASE_URL": url},
        )
    prepared = json.loads((out / "prepared_national.json").read_text())
    plan = prepared["plan"]
    if plan["dashboard_path"]:
        print(f"Delivery dashboard: {plan['dashboard_path']} ({plan['leads']} of the users)")
    else:
        print("Delivery dashboard: no route yet (DASHBOARD_NAMES in this file); not loaded.")
    plan |= {
        "wait_min": args.wait[0],
        "wait_max": args.wait[1],
        "cookie_domain": "127.0.0.1",
        "samples": str(out / "samples.json"),
    }
    (out / "plan.json").write_text(json.dumps(plan))

    server_env = env | {"DATABASE_URL": run_url}
    gunicorn = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
        [
            *[python, "-m", "gunicorn", "tip.wsgi:application"],
            *["--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)],
            *["--log-level", "warning", "--error-logfile", str(out / "gunicorn.log")],
        ],
        env=server_env,
        cwd=ROOT,
    )
    try:
        _wait_for_port(args.port)
        alone = _one_at_a_time(args.port, plan, rounds=30)
        load_before = os.getloadavg()
        started = time.perf_counter()
        locust = subprocess.Popen(  # noqa: S603
            [
                *[str(BIN / "locust"), "-f", str(HERE / "locust_training.py"), "--headless"],
                *["--users", str(args.users), "--spawn-rate", str(args.spawn_rate)],
                *["--run-time", f"{args.run_time}s", "--stop-timeout", "10"],
                *["--host", f"http://127.0.0.1:{args.port}", "--csv", str(out / "locust")],
                *["--only-summary", "--loglevel", "WARNING"],
            ],
            env=env | {"TIP_BENCH_PLAN": str(out / "plan.json")},
            cwd=ROOT,
        )
        meter = CpuMeter(gunicorn.pid, run_url.rsplit("/", 1)[-1], locust.pid)
        while locust.poll() is None:
            time.sleep(1)
            meter.sample()
        seconds = time.perf_counter() - started
        load_after = os.getloadavg()
        cpu = meter.seconds()
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()

    samples = json.loads((out / "samples.json").read_text())
    stats = summarise(samples, args.run_time)
    results = {
        "data": json.loads(national.read_text()),
        "users": args.users,
        "workers": args.workers,
        "wait_seconds": args.wait,
        "run_seconds": args.run_time,
        "elapsed_seconds": round(seconds, 1),
        "locust_exit_code": locust.returncode,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "places_offered": plan["places_offered"],
        "dashboard_path": plan["dashboard_path"],
        "stats": stats,
        "one_at_a_time": alone,
        "cpu_seconds": cpu,
        "counts_small": json.loads((out / "prepared_small.json").read_text())["counts"],
        "counts_national": prepared["counts"],
    }
    (out / "results.json").write_text(json.dumps(results, indent=2))

    total = sum(s["requests"] for s in stats.values())
    errors = sum(s["errors"] for s in stats.values())
    worst = max(s["p95_ms"] for s in stats.values())
    grew = [
        n for n, c in results["counts_national"].items() if c > results["counts_small"].get(n, c)
    ]
    print()
    print(_table(results))
    print()
    print(
        f"{args.users} users, {args.workers} gunicorn workers, wait {args.wait[0]:g}-"
        f"{args.wait[1]:g} s, {args.run_time} s: {total} requests ({total / args.run_time:.1f}/s), "
        f"{errors} errors; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    cpu = results["cpu_seconds"]
    print(
        f"CPU during the run: gunicorn workers {cpu['workers']} s, PostgreSQL {cpu['backends']} s"
        f" ({(cpu['workers'] + cpu['backends']) * 1000 / max(total, 1):.0f} ms a request), "
        f"Locust {cpu['locust']} s, of {2 * args.run_time} s on 2 cores"
    )
    met = errors == 0 and worst < TARGET_P95_MS and not grew
    print(
        f"Target (p95 < {TARGET_P95_MS} ms on every page, no errors, no query count growing): "
        + ("met" if met else "NOT met")
        + (f"; query counts that grew: {', '.join(grew)}" if grew else "")
    )


if __name__ == "__main__":
    sys.exit(main())
