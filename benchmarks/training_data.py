"""Benchmark data: training delivery at national scale, written straight into PostgreSQL.

Drops and creates the database named in --database-url, applies the migrations, then fills it
with bulk inserts (not through the services: this is load-test data, so it writes no audit
entries and sends nothing). The same seed gives the same data every run; dates are relative to
the day it runs, so there are always past and upcoming sessions.

National scale (the default): 20 partnerships (one London-sized, three times the others), 400
organisations, 50,000 practitioners (each a user, a membership and a role), a programme lead
with a confirmed two-factor device per partnership (five in the largest), providers, trainers
with clearances, a train-the-trainer cascade with quality-assurance observations, courses in
two versions with modules, a programme with training targets, venues, 3,000 sessions (two in
three past, a fifth of them in two parts) with their trainers, and 150,000 bookings: past
sessions with a mark on the register for every booked place, upcoming ones filling, some full
with a waiting list.
`--small` writes the same shapes at the size of the test data, to compare query counts with.

Usage: DJANGO_SETTINGS_MODULE=bench_settings python benchmarks/training_data.py
       [--database-url postgres://postgres@127.0.0.1:5432/tip_bench] [--small] [--seed N]
       [--json FILE]   (the summary, for benchmarks/bench_training.py)
(run from the repository root with benchmarks/ on PYTHONPATH; `make bench-training` does all this)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tip_bench"
SEED = 20260401
LONDON = ZoneInfo("Europe/London")
BATCH = 5000


@dataclass(frozen=True)
class Sizes:
    partnerships: int
    organisations: int
    practitioners: int
    sessions: int
    bookings: int


NATIONAL = Sizes(
    partnerships=20, organisations=400, practitioners=50_000, sessions=3_000, bookings=150_000
)
# About the size of the route tests' tenant: a handful of everything.
SMALL = Sizes(partnerships=2, organisations=6, practitioners=120, sessions=12, bookings=300)

# The first partnership is the largest (a London-sized VRP): the load test runs against it.
LARGEST_WEIGHT = 3.0
# Programme leads: one per partnership, five in the largest (the load test's dashboard users).
LEADS_IN_LARGEST = 5

FIRST = ["Aisha", "Ben", "Carys", "Dafydd", "Ellie", "Femi", "Grace", "Harri", "Imran", "Jade"]
FIRST += ["Kofi", "Lowri", "Mohammed", "Niamh", "Owen", "Priya", "Rhys", "Sian", "Tom", "Zara"]
LAST = ["Ahmed", "Brown", "Davies", "Evans", "Fraser", "Green", "Hughes", "Jones", "Khan", "Lewis"]
LAST += ["Morgan", "Nowak", "Okafor", "Patel", "Roberts", "Smith", "Taylor", "Williams", "Wu"]
SECTORS = [
    "police",
    "health",
    "education",
    "childrens_services",
    "youth_justice",
    "probation",
    "voluntary",
    "housing",
    "other",
]
STAFF_GROUPS = [
    ("frontline", 70),
    ("managers", 15),
    ("senior_leaders", 5),
    ("support_staff", 7),
    ("volunteers", 3),
]
MARKS = [("attended", 80), ("partly", 7), ("no_show", 10), ("late_cancel", 3)]
COURSES = [
    # name, hours, train-the-trainer, share of sessions
    ("Trauma-informed practice: foundation day", Decimal(6), False, 60),
    ("Trauma awareness: an introduction", Decimal(3), False, 35),
    ("Train the trainer: trauma-informed practice", Decimal(12), True, 5),
]
MODULES = [
    ("What trauma is and how it shows", 90, "Accounts of childhood abuse and domestic violence."),
    ("Adverse childhood experiences", 75, "Case studies of neglect and bereavement."),
    ("Trauma-informed responses in your service", 120, ""),
    ("Looking after yourself", 45, "Discussion of vicarious trauma."),
]


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights`, by largest remainder (adds up exactly)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    shares = [int(r) for r in raw]
    left = total - sum(shares)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)[:left]:
        shares[i] += 1
    return shares


def _choice(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock(hour, minute), tzinfo=LONDON).astimezone(UTC)


def admin_url(url: str) -> str:
    """The same server's maintenance database, to drop and create the benchmark's from."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def recreate_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"Give the benchmark database a plain name, not {name!r}.")
    dsn = admin_url(url).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy_database(source_url: str, url: str) -> None:
    """A fresh copy of the source database (PostgreSQL copies it from it as a template)."""
    import psycopg

    source, name = (urlsplit(u).path.lstrip("/") for u in (source_url, url))
    for n in (source, name):
        if not n or not n.replace("_", "").isalnum():
            raise SystemExit(f"Give the benchmark databases plain names, not {n!r}.")
    dsn = admin_url(url).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')


def fill(sizes: Sizes, seed: int = SEED) -> dict[str, Any]:
    """Write the data (Django must be set up on an empty, migrated database)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tip.core.models import Membership, MembershipRole, Organisation, Partnership, User
    from tip.programmes.models import Programme
    from tip.training.models_bookings import Attendance, Booking
    from tip.training.models_clearances import Clearance, DeliverySetting
    from tip.training.models_courses import Course, CourseModule, CourseVersion
    from tip.training.models_delivery import QaObservation, TrainerCertification
    from tip.training.models_followups import TrainingTarget
    from tip.training.models_providers import Provider, Trainer
    from tip.training.models_sessions import Session, SessionPart, SessionTrainer, Venue

    rng = random.Random(seed)  # noqa: S311 (the same data every run, not a secret)
    now = timezone.now()
    today = now.astimezone(LONDON).date()
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        timings[name] = round(time.perf_counter() - started - sum(timings.values()), 2)

    weights = [LARGEST_WEIGHT] + [1.0] * (sizes.partnerships - 1)
    people_per = _split(sizes.practitioners, weights)
    sessions_per = _split(sizes.sessions, weights)
    orgs_per = _split(sizes.organisations, [1.0] * sizes.partnerships)
    password = make_password("bench-password-not-used-to-sign-in")

    with transaction.atomic():
        partnerships = Partnership.objects.bulk_create(
            Partnership(
                name=f"Bench VRP {i + 1:02d}",
                area=f"Bench area {i + 1:02d}",
                nation="wales" if i % 10 == 9 else "england",
            )
            for i in range(sizes.partnerships)
        )
        orgs_by_p: list[list[Organisation]] = []
        for i, p in enumerate(partnerships):
            orgs_by_p.append(
                [
                    Organisation(
                        partnership=p,
                        name=f"Bench organisation {i + 1:02d}-{k + 1:03d}",
                        sector=SECTORS[k % len(SECTORS)],
                    )
                    for k in range(orgs_per[i])
                ]
            )
        Organisation.objects.bulk_create([o for orgs in orgs_by_p for o in orgs], batch_size=BATCH)
        lap("partnerships and organisations")

        # People: the practitioners, and a programme lead per partnership.
        users: list[User] = []
        owners: list[tuple[int, Organisation, str]] = []  # (partnership index, org, role)
        n = 0
        for i in range(len(partnerships)):
            for k in range(people_per[i] + (LEADS_IN_LARGEST if i == 0 else 1)):
                lead = k == 0 or (i == 0 and k < LEADS_IN_LARGEST)
                role = "programme_lead" if lead else "practitioner"
                n += 1
                local = f"lead{i + 1:02d}-{k + 1}" if lead else f"p{n:06d}"
                users.append(
                    User(
                        email=f"{local}@bench.example",
                        full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        password=password,
                    )
                )
                owners.append((i, rng.choice(orgs_by_p[i]), role))
        User.objects.bulk_create(users, batch_size=BATCH)
        lap("users")
        memberships = Membership.objects.bulk_create(
            (
                Membership(
                    partnership=partnerships[i],
                    user=u,
                    organisation=org,
                    job_title="Programme lead" if role == "programme_lead" else "",
                )
                for u, (i, org, role) in zip(users, owners, strict=True)
            ),
            batch_size=BATCH,
        )
        MembershipRole.objects.bulk_create(
            (
                MembershipRole(membership=m, role=role)
                for m, (_i, _org, role) in zip(memberships, owners, strict=True)
            ),
            batch_size=BATCH,
        )
        leads = [
            m
            for m, (_i, _o, role) in zip(memberships, owners, strict=True)
            if role != "practitioner"
        ]
        devices = TOTPDevice.objects.bulk_create(
            TOTPDevice(user_id=m.user_id, name="bench", confirmed=True) for m in leads
        )
        pool: list[list[Membership]] = [[] for _ in partnerships]
        for m, (i, _org, role) in zip(memberships, owners, strict=True):
            if role == "practitioner":
                pool[i].append(m)
        lap("memberships and roles")

        # What each partnership delivers with: a programme, courses in two versions, providers,
        # trainers with clearances and a cascade, settings and venues.
        programmes = Programme.objects.bulk_create(
            Programme(
                partnership=p,
                name="Trauma-informed workforce",
                aims="Staff across the area respond to trauma safely.",
                target_sectors=SECTORS[:6],
                target_groups=["frontline", "senior_leaders", "support_staff"],
            )
            for p in partnerships
        )
        TrainingTarget.objects.bulk_create(
            [
                TrainingTarget(partnership=p, programme=prog, sector=sector, people=people // 12)
                for p, prog, people in zip(partnerships, programmes, people_per, strict=True)
                for sector in SECTORS[:6]
            ]
            + [
                TrainingTarget(
                    partnership=p, programme=prog, staff_group=group, people=people // 20
                )
                for p, prog, people in zip(partnerships, programmes, people_per, strict=True)
                for group in ("senior_leaders", "support_staff")
            ]
        )
        courses = Course.objects.bulk_create(
            Course(
                partnership=p,
                programme=prog,
                name=name,
                summary="Benchmark course.",
                topics=[],
                audience_sectors=SECTORS[:6],
                audience_groups=["frontline"],
                hours=hours,
                train_the_trainer=ttt,
            )
            for p, prog in zip(partnerships, programmes, strict=True)
            for name, hours, ttt, _share in COURSES
        )
        versions = CourseVersion.objects.bulk_create(
            CourseVersion(
                partnership_id=c.partnership_id,
                course=c,
                number=v,
                changes="" if v == 1 else "Updated case studies.",
            )
            for c in courses
            for v in (1, 2)
        )
        CourseModule.objects.bulk_create(
            CourseModule(
                partnership_id=v.partnership_id,
                version=v,
                title=title,
                duration_minutes=minutes,
                order=k + 1,
                content_warnings=warning,
            )
            for v in versions
            for k, (title, minutes, warning) in enumerate(MODULES)
        )
        settings = DeliverySetting.objects.bulk_create(
            DeliverySetting(
                partnership=p, name="Schools", kind="school", required_clearances=["dbs_enhanced"]
            )
            for p in partnerships
        )
        venues = Venue.objects.bulk_create(
            Venue(
                partnership=p,
                name=f"Bench venue {k + 1}",
                address=f"{k + 1} High Street, Bench area {i + 1:02d}",
                setting=settings[i] if k == 0 else None,
                step_free_access="yes" if k % 2 == 0 else "unknown",
                parking="On-site, free",
            )
            for i, p in enumerate(partnerships)
            for k in range(5)
        )
        providers = Provider.objects.bulk_create(
            Provider(partnership=p, name=f"Bench provider {k + 1}", kind=kind)
            for p in partnerships
            for k, kind in enumerate(["specialist", "in_house"])
        )
        trainers = Trainer.objects.bulk_create(
            Trainer(
                partnership_id=pr.partnership_id,
                provider=pr,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                role="Trainer",
            )
            for pr in providers
            for _k in range(6)
        )
        Clearance.objects.bulk_create(
            Clearance(
                partnership_id=t.partnership_id,
                trainer=t,
                clearance_type=kind,
                status="granted",
                issued_on=today - timedelta(days=rng.randint(30, 900)),
                expires_on=today + timedelta(days=rng.randint(-20, 700)),
            )
            for t in trainers
            for kind in ("dbs_enhanced", "nppv2")
        )
        lap("programmes, courses, trainers and venues")

        by_p = {
            "courses": [courses[i * 3 : i * 3 + 3] for i in range(sizes.partnerships)],
            "versions": [versions[i * 6 : i * 6 + 6] for i in range(sizes.partnerships)],
            "venues": [venues[i * 5 : i * 5 + 5] for i in range(sizes.partnerships)],
            "trainers": [trainers[i * 12 : i * 12 + 12] for i in range(sizes.partnerships)],
        }
        # The cascade: half of each partnership's trainers certified on the train-the-trainer
        # course by its first trainer; half of those observed.
        certs, observations = [], []
        for i, p in enumerate(partnerships):
            ttt_version = by_p["versions"][i][5]
            for k, t in enumerate(by_p["trainers"][i][::2]):
                certs.append(
                    TrainerCertification(
                        partnership=p,
                        trainer=t,
                        course_version=ttt_version,
                        certified_on=today - timedelta(days=60 + 30 * k),
                        certified_by=by_p["trainers"][i][0] if k else None,
                    )
                )
                if k % 2 == 0:
                    observations.append(
                        QaObservation(
                            partnership=p,
                            trainer=t,
                            observed_on=today - timedelta(days=20 + 10 * k),
                            observer="Bench observer",
                            ratings={
                                "fidelity": 3,
                                "accuracy": 4,
                                "handling_distress": 3,
                                "engagement": 3,
                            },
                        )
                    )
        TrainerCertification.objects.bulk_create(certs)
        QaObservation.objects.bulk_create(observations)

        # Sessions: two in three past (up to 18 months back), the rest in the next six months.
        sessions: list[Session] = []
        shapes: list[tuple[int, bool, list[tuple[datetime, datetime]]]] = []
        teams: list[int] = []
        for i, p in enumerate(partnerships):
            for k in range(sessions_per[i]):
                past = k % 3 != 2
                offset = rng.randint(1, 540) if past else rng.randint(1, 180)
                day = today + timedelta(days=-offset if past else offset)
                if day.weekday() >= 5:
                    day += timedelta(days=7 - day.weekday() if not past else -(day.weekday() - 4))
                course_k = _choice(rng, [(str(c), w) for c, (*_x, w) in enumerate(COURSES)])
                course = by_p["courses"][i][int(course_k)]
                version = by_p["versions"][i][
                    int(course_k) * 2 + (1 if not past else rng.randint(0, 1))
                ]
                fmt = _choice(rng, [("in_person", 50), ("virtual", 40), ("hybrid", 10)])
                # The heaviest shape, in every partnership: the first upcoming session is in
                # person at the venue whose setting requires clearances, with two trainers.
                heaviest = k == 2
                if heaviest:
                    fmt = "in_person"
                two_parts = fmt == "virtual" and rng.random() < 0.5
                if two_parts:
                    times = [
                        (_london(day, 9, 30), _london(day, 12, 30)),
                        (
                            _london(day + timedelta(days=1), 9, 30),
                            _london(day + timedelta(days=1), 12, 30),
                        ),
                    ]
                else:
                    times = [(_london(day, 9, 30), _london(day, 16, 0))]
                status = "published"
                if not past and k % 40 == 5:
                    status = "draft"
                elif not past and k % 40 == 11:
                    status = "cancelled"
                capacity = rng.randint(30, 80)
                sessions.append(
                    Session(
                        partnership=p,
                        course=course,
                        course_version=version,
                        title="" if k % 4 else f"{course.name} (bench {k + 1})",
                        format=fmt,
                        venue=None
                        if fmt == "virtual"
                        else by_p["venues"][i][0]
                        if heaviest
                        else rng.choice(by_p["venues"][i]),
                        online_link="" if fmt == "in_person" else "https://meet.bench.example/s",
                        capacity=capacity,
                        recommended_group_size=20 if fmt == "virtual" else None,
                        planned_breaks="Morning break 10:45, lunch 12:30, afternoon break 14:45.",
                        audience_sectors=SECTORS[:6],
                        audience_groups=["frontline"],
                        status=status,
                        published_at=None if status == "draft" else now,
                        confirmed_at=now if status == "published" else None,
                        cancelled_at=now if status == "cancelled" else None,
                    )
                )
                shapes.append((i, past, times))
                teams.append(2 if heaviest else rng.randint(1, 2))
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        SessionPart.objects.bulk_create(
            (
                SessionPart(partnership_id=s.partnership_id, session=s, starts_at=a, ends_at=b)
                for s, (_i, _past, times) in zip(sessions, shapes, strict=True)
                for a, b in times
            ),
            batch_size=BATCH,
        )
        SessionTrainer.objects.bulk_create(
            (
                SessionTrainer(partnership_id=s.partnership_id, session=s, trainer=t)
                for s, (i, _past, _times), n in zip(sessions, shapes, teams, strict=True)
                for t in rng.sample(by_p["trainers"][i], n)
            ),
            batch_size=BATCH,
        )
        lap("sessions, parts and trainers")

        # Bookings: past sessions about full (the extra cancelled or released), upcoming ones
        # from a fifth full to over-full with a waiting list; scaled to the total asked for.
        wanted = []
        for s, (_i, past, _times) in zip(sessions, shapes, strict=True):
            fill_share = rng.uniform(0.8, 1.15) if past else rng.uniform(0.2, 1.25)
            wanted.append(0 if s.status != "published" else s.capacity * fill_share)
        counts = _split(sizes.bookings, wanted) if sum(wanted) else [0] * len(sessions)
        counts = [
            min(c, len(pool[i])) for c, (i, _past, _times) in zip(counts, shapes, strict=True)
        ]
        bookings: list[Booking] = []
        marks: list[str] = []
        for s, (i, past, times), count in zip(sessions, shapes, counts, strict=True):
            people = rng.sample(pool[i], count)
            for k, m in enumerate(people):
                within = k < s.capacity
                if past:
                    status = "booked" if within else rng.choice(["cancelled", "released"])
                else:
                    status = "booked" if within else "waiting"
                    if within and k % 37 == 36:
                        status = "offered"
                bookings.append(
                    Booking(
                        partnership_id=s.partnership_id,
                        session=s,
                        membership=m,
                        booked_by_id=m.user_id,
                        status=status,
                        waiting_since=now - timedelta(hours=count - k)
                        if status == "waiting"
                        else None,
                        offer_expires_at=now + timedelta(hours=24) if status == "offered" else None,
                        confirmed_at=times[0][0] - timedelta(days=20)
                        if status == "booked"
                        else None,
                        cancelled_at=times[0][0] - timedelta(days=3)
                        if status in ("cancelled", "released")
                        else None,
                        staff_group=_choice(rng, STAFF_GROUPS),
                    )
                )
                marks.append(_choice(rng, MARKS) if past and status == "booked" else "")
        Booking.objects.bulk_create(bookings, batch_size=BATCH)
        lap("bookings")
        Attendance.objects.bulk_create(
            (
                Attendance(partnership_id=b.partnership_id, booking=b, mark=mark)
                for b, mark in zip(bookings, marks, strict=True)
                if mark
            ),
            batch_size=BATCH,
        )
        lap("attendance")

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    lap("analyze")

    largest = partnerships[0]
    return {
        "sizes": asdict(sizes),
        "seed": seed,
        "seconds": round(sum(timings.values()), 1),
        "timings": timings,
        "counts": {
            "partnerships": Partnership.objects.count(),
            "organisations": Organisation.objects.count(),
            "practitioners": MembershipRole.objects.filter(role="practitioner").count(),
            "sessions": Session.objects.count(),
            "sessions_past": sum(1 for _i, past, _t in shapes if past),
            "session_parts": SessionPart.objects.count(),
            "bookings": Booking.objects.count(),
            "attendance": Attendance.objects.count(),
            "largest_partnership": {
                "id": largest.pk,
                "practitioners": len(pool[0]),
                "sessions": sessions_per[0],
                "bookings": Booking.objects.filter(partnership=largest).count(),
            },
        },
        "largest_partnership_id": largest.pk,
        "programme_id": programmes[0].pk,
        # The largest partnership's leads, each with their confirmed two-factor device.
        "leads": [
            {"membership_id": m.pk, "device": d.persistent_id}
            for m, d in zip(leads, devices, strict=True)
            if m.partnership_id == largest.pk
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--small", action="store_true", help="the size of the test data")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--json", default="", help="write the summary to this file")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
    started = time.perf_counter()
    recreate_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    summary = fill(SMALL if args.small else NATIONAL, args.seed)
    summary["migrate_seconds"] = round(migrated, 1)
    summary["database"] = urlsplit(args.database_url).path.lstrip("/")
    counts = summary["counts"]
    print(
        f"{summary['database']}: {counts['partnerships']} partnerships, "
        f"{counts['organisations']} organisations, {counts['practitioners']} practitioners, "
        f"{counts['sessions']} sessions ({counts['sessions_past']} past, "
        f"{counts['session_parts']} parts), {counts['bookings']} bookings, "
        f"{counts['attendance']} marks on registers"
    )
    steps = ", ".join(f"{k} {v} s" for k, v in summary["timings"].items())
    print(
        f"  database created and migrated in {migrated:.1f} s; data written in "
        f"{summary['seconds']:.1f} s ({steps})"
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(summary, out, indent=2)


if __name__ == "__main__":
    sys.exit(main())
