"""A programme's delivery dashboard and training targets: the services' refusals, the numbers on
known data, the page and the API (counts only, small counts withheld for evaluators), their
query counts as the data grows, and the demo."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.core.test_api import call, token_for
from tests.training.bookings_helpers import member
from tip.core.models import AuditAction, AuditEntry, Organisation
from tip.core.roles import Role
from tip.programmes import services as programme_services
from tip.programmes.models import Programme
from tip.training import selectors_dashboard as selectors
from tip.training import services_cascade, services_courses
from tip.training import services_dashboard as services
from tip.training.models_bookings import Attendance, Booking
from tip.training.models_clearances import Clearance, DeliverySetting
from tip.training.models_courses import Course
from tip.training.models_followups import TrainingTarget
from tip.training.models_providers import Provider, Trainer
from tip.training.models_sessions import Session, SessionPart, SessionTrainer, Venue
from tip.training.services_clearances import london_today


def text(response: Any) -> str:
    """The page's words, without tags, with runs of white space as one space."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", words))


class Delivery:
    """A programme with a course, and helpers to run sessions of it with people marked."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.p = world.partnership
        self.lead = world.user(Role.PROGRAMME_LEAD)
        self.programme = programme_services.programme_create(
            partnership=self.p, name="Trauma-informed schools", aims="", by=self.lead
        )
        self.course: Course = services_courses.course_create(
            partnership=self.p,
            name="Foundation day",
            hours=6,
            programme=self.programme,
            by=self.lead,
        )
        self.police, self.schools = world.organisations
        self.provider = Provider.objects.create(
            partnership=self.p, name="Provider", kind="in_house"
        )
        self.n = 0

    def session(
        self,
        *,
        days: int,
        format: str = "in_person",
        capacity: int = 20,
        status: str = "published",
        venue: Venue | None = None,
        course: Course | None = None,
    ) -> Session:
        course = course or self.course
        session = Session.objects.create(
            partnership=self.p,
            course=course,
            course_version=course.versions.order_by("-number").first(),
            title=f"Session {days}",
            format=format,
            online_link="https://meet.example/x" if format != "in_person" else "",
            capacity=capacity,
            status=status,
            venue=venue,
        )
        start = timezone.now() + timedelta(days=days)
        SessionPart.objects.create(
            partnership=self.p, session=session, starts_at=start, ends_at=start + timedelta(hours=6)
        )
        return session

    def person(self, organisation: Organisation | None = None) -> Any:
        self.n += 1
        return member(self.p, organisation or self.police, f"Person {self.n} {self.p.pk}")

    def book(
        self,
        session: Session,
        person: Any,
        mark: str | None,
        group: str = "",
        status: str = "booked",
    ) -> Booking:
        booking = Booking.objects.create(
            partnership=self.p, session=session, membership=person, status=status, staff_group=group
        )
        if mark:
            Attendance.objects.create(partnership=self.p, booking=booking, mark=mark)
        return booking

    def trainer(self, name: str = "Tess") -> Trainer:
        return Trainer.objects.create(partnership=self.p, provider=self.provider, name=name)


@pytest.fixture
def d(world_a: World) -> Delivery:
    return Delivery(world_a)


# --- Targets -------------------------------------------------------------------------------------


def test_a_target_is_saved_audited_and_described(d: Delivery) -> None:
    target = services.target_create(
        programme=d.programme,
        sector="education",
        organisation=d.schools,
        staff_group="senior_leaders",
        people="12",
        by=d.lead,
    )
    assert target.people == 12 and target.partnership == d.p
    assert services.describe_target(target) == "Education, Alpha Schools, Senior leaders"
    entry = AuditEntry.objects.get(object_type="training.TrainingTarget", action=AuditAction.CREATE)
    assert entry.actor == d.lead and entry.partnership == d.p
    services.target_update(
        target=target, sector="", organisation=None, staff_group="", people=30, by=d.lead
    )
    target.refresh_from_db()
    assert services.describe_target(target) == "Everyone" and target.people == 30
    services.target_delete(target=target, by=d.lead)
    assert not TrainingTarget.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 1


def test_a_target_is_refused_with_a_message_and_nothing_saved(d: Delivery, world_b: World) -> None:
    def refused(**values: Any) -> dict[str, list[str]]:
        values = {"people": 10} | values
        with pytest.raises(ValidationError) as exc:
            services.target_create(programme=d.programme, by=d.lead, **values)
        return (
            exc.value.message_dict if hasattr(exc.value, "error_dict") else {"": exc.value.messages}
        )

    assert refused(organisation=world_b.organisations[0]) == {
        "organisation": ["Choose one of the partnership's organisations"]
    }
    assert refused(people=0) == {"people": ["The number of people to train must be 1 or more"]}
    assert refused(people="lots")["people"]
    assert refused(sector="space")["sector"]
    assert refused(staff_group="giants")["staff_group"]
    assert (
        "is in the Police sector, not Education"
        in refused(sector="education", organisation=d.police)["organisation"][0]
    )
    services.target_create(programme=d.programme, staff_group="support_staff", people=5, by=d.lead)
    duplicate = refused(staff_group="support_staff", people=8)
    assert duplicate == {
        "": [
            "The programme already has a target for Support staff, such as reception and admin: "
            "change that one instead of adding another"
        ]
    }
    assert TrainingTarget.objects.count() == 1


def test_changing_a_target_into_another_one_is_refused(d: Delivery) -> None:
    services.target_create(programme=d.programme, sector="police", people=5, by=d.lead)
    other = services.target_create(programme=d.programme, sector="education", people=5, by=d.lead)
    with pytest.raises(ValidationError, match="already has a target for Police"):
        services.target_update(target=other, sector="police", people=9, by=d.lead)
    # The same target again is not a duplicate of itself.
    services.target_update(target=other, sector="education", people=9, by=d.lead)


def test_the_targets_page_adds_and_refuses_without_javascript(d: Delivery, world_b: World) -> None:
    client = signed_in_client(d.lead)
    url = reverse("training:programme-targets", kwargs={"programme_id": d.programme.pk})
    response = client.post(url, {"organisation": d.schools.pk, "people": "40"})
    assert response.status_code == 302
    response = client.post(url, {"organisation": d.schools.pk, "people": "7"})
    assert response.status_code == 400
    assert "already has a target for Alpha Schools" in text(response)
    response = client.post(url, {"organisation": world_b.organisations[0].pk, "people": "7"})
    assert response.status_code == 400
    assert "Choose one of the partnership's organisations" in text(response)
    response = client.post(url, {"people": "0"})
    assert "The number of people to train must be 1 or more" in text(response)
    assert TrainingTarget.objects.count() == 1
    target = TrainingTarget.objects.get()
    page = text(client.get(url))
    assert "Alpha Schools" in page and "40" in page
    assert (
        client.post(reverse("training:target-remove", kwargs={"target_id": target.pk})).status_code
        == 302
    )
    assert not TrainingTarget.objects.exists()


# --- The numbers ---------------------------------------------------------------------------------


def _past_sessions(d: Delivery) -> dict[str, Any]:
    """Two past sessions: in person (4 attended, one of whom attended twice, 1 partly, 1 did not
    attend, 1 cancelled in good time) and virtual (2 attended, 1 did not attend); a cancelled
    session whose attendance is ignored; a session of another course outside the programme."""
    in_person = d.session(days=-30)
    virtual = d.session(days=-10, format="virtual")
    people = [d.person(d.police) for _ in range(3)] + [d.person(d.schools) for _ in range(3)]
    d.book(in_person, people[0], "attended", "frontline")
    d.book(in_person, people[1], "attended", "senior_leaders")
    d.book(in_person, people[2], "attended", "")
    d.book(in_person, people[3], "attended", "support_staff")
    d.book(in_person, people[4], "partly", "frontline")
    d.book(in_person, d.person(), "no_show")
    d.book(in_person, d.person(), None, status="cancelled")
    d.book(virtual, people[0], "attended", "managers")  # trained twice: counts once, as a manager
    d.book(virtual, people[5], "attended", "frontline")
    d.book(virtual, d.person(), "no_show")
    cancelled = d.session(days=-5, status="cancelled")
    d.book(cancelled, d.person(), "attended")
    elsewhere = services_courses.course_create(partnership=d.p, name="Other", hours=6, by=d.lead)
    d.book(d.session(days=-5, course=elsewhere), d.person(), "attended")
    return {"people": people}


def test_figures_are_kept_for_the_cache_time_but_targets_show_at_once(
    d: Delivery, settings: Any
) -> None:
    settings.TIP_DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    _past_sessions(d)
    first = selectors.dashboard(programme=d.programme)
    assert selectors.figures(first, exact=True).total == 5
    # A register taken since: not counted until the figures are worked out again.
    d.book(d.session(days=-3), d.person(d.police), "attended", "frontline")
    services.target_create(programme=d.programme, people=40, by=d.lead)
    with CaptureQueriesContext(connection) as queries:
        kept = selectors.dashboard(programme=d.programme)
    assert len(queries) == 1  # the targets
    assert kept.computed_at == first.computed_at
    assert selectors.figures(kept, exact=True).total == 5
    assert [t.people for t in kept.targets] == [40]
    # Another programme's figures are its own.
    other = programme_services.programme_create(
        partnership=d.p, name="Other", aims="Another", by=d.lead
    )
    assert selectors.figures(selectors.dashboard(programme=other), exact=True).total == 0
    url = reverse("training:programme-dashboard", kwargs={"programme_id": d.programme.pk})
    page = text(signed_in_client(d.lead).get(url))
    assert "Figures worked out at" in page
    cache.clear()
    fresh = selectors.dashboard(programme=d.programme)
    assert selectors.figures(fresh, exact=True).total == 6


def test_people_trained_are_counted_once_by_sector_organisation_and_group(d: Delivery) -> None:
    _past_sessions(d)
    services.target_create(programme=d.programme, people=10, by=d.lead)
    services.target_create(programme=d.programme, sector="education", people=4, by=d.lead)
    services.target_create(programme=d.programme, staff_group="senior_leaders", people=1, by=d.lead)
    dash = selectors.dashboard(programme=d.programme)
    f = selectors.figures(dash, exact=True)
    assert f.total == 5
    assert [(p.trained, p.percent) for p in f.progress] == [(5, 50), (2, 50), (1, 100)]
    assert {c.key: c.shown for c in f.by_sector} == {"police": 3, "education": 2}
    assert {dash.organisations[c.key]: c.shown for c in f.by_organisation} == {
        "Alpha Police": 3,
        "Alpha Schools": 2,
    }
    assert {c.key: c.shown for c in f.by_staff_group} == {
        "frontline": 1,
        "senior_leaders": 1,
        "managers": 1,
        "support_staff": 1,
        "volunteers": 0,
        "": 1,
    }
    rows = {r.group: r for r in f.by_format}
    assert rows["in_person"].made == 7 and rows["in_person"].dropped_out == 2
    assert rows["virtual"].made == 3 and rows["virtual"].count("no_show") == 1
    assert f.overall.made == 10


def test_small_counts_by_organisation_are_withheld_for_those_who_do_not_manage(
    d: Delivery,
) -> None:
    _past_sessions(d)
    services.target_create(programme=d.programme, organisation=d.schools, people=6, by=d.lead)
    f = selectors.figures(selectors.dashboard(programme=d.programme), exact=False)
    assert [c.shown for c in f.by_organisation] == [None, None]
    assert f.progress[0].trained is None and f.withheld
    # Sectors and groups are not withheld; the total is exact.
    assert f.total == 5 and {c.shown for c in f.by_sector} == {3, 2}


def test_risks_to_sessions_to_come(d: Delivery) -> None:
    school = DeliverySetting.objects.create(
        partnership=d.p, name="School", kind="school", required_clearances=["dbs_enhanced"]
    )
    venue = Venue.objects.create(partnership=d.p, name="Hall", setting=school)
    at_school = d.session(days=40, venue=venue)
    cleared, expiring, missing = d.trainer("A"), d.trainer("B"), d.trainer("C")
    for t in (cleared, expiring, missing):
        SessionTrainer.objects.create(partnership=d.p, session=at_school, trainer=t)
    Clearance.objects.create(
        partnership=d.p,
        trainer=cleared,
        clearance_type="dbs_enhanced",
        status="granted",
        issued_on=date(2025, 1, 1),
    )
    Clearance.objects.create(
        partnership=d.p,
        trainer=expiring,
        clearance_type="dbs_enhanced",
        status="granted",
        issued_on=date(2024, 1, 1),
        expires_on=london_today() + timedelta(days=20),
    )
    low = d.session(days=10, capacity=10)
    for _ in range(4):
        d.book(low, d.person(), None)
    full_enough = d.session(days=10, capacity=10)
    for _ in range(5):
        d.book(full_enough, d.person(), None)
    d.session(days=30, capacity=10)  # low, but not within 14 days
    d.session(days=5, capacity=10, status="draft")  # not open for booking
    # A trainer certified on the course 200 days ago and never observed teaches a session.
    version = d.course.versions.get()
    services_cascade.certification_create(
        trainer=missing,
        course_version=version,
        certified_on=london_today() - timedelta(days=400),
        by=d.lead,
    )
    dash = selectors.dashboard(programme=d.programme)
    assert [(r.session.pk, r.clearances) for r in dash.clearance_risks] == [
        (at_school.pk, {"dbs_enhanced": 2})
    ]
    assert [(r.session.pk, r.taken, r.capacity) for r in dash.low_bookings] == [(low.pk, 4, 10)]
    assert [(r.session, r.lapsed) for r in dash.cascade_risks] == [(at_school, 1)]
    assert [(q.certified, q.lapsed) for q in dash.qa] == [(1, 1)]


# --- The page and the API ------------------------------------------------------------------------


def _grow(d: Delivery, n: int) -> None:
    """n more of everything: people trained, sessions to come at a venue needing clearances
    with trainers holding them, targets and certified trainers."""
    setting = DeliverySetting.objects.get_or_create(
        partnership=d.p, name="Custody", kind="custody", required_clearances=["nppv2"]
    )[0]
    venue = Venue.objects.get_or_create(partnership=d.p, name="Suite", setting=setting)[0]
    groups = ["frontline", "managers", "", "support_staff"]
    for i in range(n):
        org = Organisation.objects.create(partnership=d.p, name=f"Org {d.n} {i}", sector="health")
        past = d.session(days=-3 - i)
        d.book(past, d.person(org), "attended", groups[i % 4])
        d.book(past, d.person(org), "no_show")
        future = d.session(days=5 + i, venue=venue, capacity=30)
        trainer = d.trainer(f"T {d.n}")
        SessionTrainer.objects.create(partnership=d.p, session=future, trainer=trainer)
        Clearance.objects.create(
            partnership=d.p, trainer=trainer, clearance_type="nppv2", status="applied"
        )
        services.target_create(programme=d.programme, organisation=org, people=3, by=d.lead)
        services_cascade.certification_create(
            trainer=trainer,
            course_version=d.course.versions.get(),
            certified_on=london_today() - timedelta(days=10 * i),
            by=d.lead,
        )


def _queries(client: Any, url: str, **headers: Any) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries), response


def test_the_page_and_api_run_as_many_queries_with_more_data(d: Delivery) -> None:
    _past_sessions(d)
    _grow(d, 2)
    client = signed_in_client(d.lead)
    url = reverse("training:programme-dashboard", kwargs={"programme_id": d.programme.pk})
    api = f"/api/training/programmes/{d.programme.pk}/dashboard"
    key = token_for(d.world.members[Role.PROGRAMME_LEAD])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(url)
    few, _ = _queries(client, url)
    api_few, _ = _queries(client, api, **auth)
    _grow(d, 12)
    many, response = _queries(client, url)
    api_many, api_response = _queries(client, api, **auth)
    assert many == few and api_many == api_few
    # The bounds of tests/routes.py's QUERY_BOUNDS.
    assert many <= 20 and api_many <= 22
    page = text(response)
    assert "People trained 19" in page
    assert len(api_response.json()["clearance_risks"]) == 14


def test_the_page_shows_counts_not_names_and_each_chart_has_its_table(d: Delivery) -> None:
    people = _past_sessions(d)["people"]
    services.target_create(programme=d.programme, sector="education", people=4, by=d.lead)
    client = signed_in_client(d.lead)
    response = client.get(
        reverse("training:programme-dashboard", kwargs={"programme_id": d.programme.pk})
    )
    page = response.content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tip-chart"') == 5
    assert page.count("<table") >= 5
    for person in people:
        assert person.user.full_name not in page
    flat = text(response)
    assert "Education 4 2 50%" in flat
    assert "Not given 1" in flat
    assert "2 of 4 (50%)" in flat  # written on the chart as in the table


def test_an_evaluator_sees_small_counts_withheld_and_a_practitioner_is_refused(
    d: Delivery,
) -> None:
    _past_sessions(d)
    url = reverse("training:programme-dashboard", kwargs={"programme_id": d.programme.pk})
    flat = text(signed_in_client(d.world.user(Role.EVALUATOR)).get(url))
    assert "Alpha Police fewer than 5" in flat
    assert "are shown as “fewer than 5”" in flat
    lead = text(signed_in_client(d.lead).get(url))
    assert "Alpha Police 3" in lead
    assert signed_in_client(d.world.user(Role.PRACTITIONER)).get(url).status_code == 403
    key = token_for(d.world.members[Role.EVALUATOR])
    body = call("GET", f"/api/training/programmes/{d.programme.pk}/dashboard", key).json()
    assert body["withheld"] is True
    assert [c["trained"] for c in body["by_organisation"]] == [None, None]
    assert body["trained"] == 5


def test_another_partnerships_programme_answers_404(d: Delivery, world_b: World) -> None:
    other = programme_services.programme_create(
        partnership=world_b.partnership, name="B's", aims="", by=world_b.user(Role.PROGRAMME_LEAD)
    )
    client = signed_in_client(d.lead)
    for name in ("training:programme-dashboard", "training:programme-targets"):
        assert client.get(reverse(name, kwargs={"programme_id": other.pk})).status_code == 404
    key = token_for(d.world.members[Role.PROGRAMME_LEAD])
    assert call("GET", f"/api/training/programmes/{other.pk}/dashboard", key).status_code == 404


def test_the_api_gives_the_pages_numbers(d: Delivery) -> None:
    _past_sessions(d)
    target = services.target_create(programme=d.programme, sector="police", people=6, by=d.lead)
    key = token_for(d.world.members[Role.PROGRAMME_LEAD])
    body = call("GET", f"/api/training/programmes/{d.programme.pk}/dashboard", key).json()
    assert body["trained"] == 5 and body["withheld"] is False
    assert body["targets"] == [
        {
            "target": target.pk,
            "sector": "police",
            "organisation": None,
            "staff_group": "",
            "people": 6,
            "trained": 3,
            "percent": 50,
        }
    ]
    assert {c["key"]: c["trained"] for c in body["by_sector"]} == {"police": 3, "education": 2}
    assert {c["label"]: c["trained"] for c in body["by_organisation"]} == {
        "Alpha Police": 3,
        "Alpha Schools": 2,
    }
    formats = {r["format"]: r for r in body["by_format"]}
    assert formats["virtual"]["no_show_rate"] == 33.3
    assert body["overall"]["bookings_made"] == 10


@pytest.mark.django_db
def test_the_demo_sets_targets_once_and_trains_a_pilot_cohort() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    programme = Programme.objects.get(name="Northshire trauma-informed workforce programme")
    assert TrainingTarget.objects.filter(programme=programme).count() == 6
    f = selectors.figures(selectors.dashboard(programme=programme), exact=True)
    assert f.total >= 20
    assert all(row.trained for row in f.progress)  # progress against every target
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo training targets already there." in out.getvalue()
    assert TrainingTarget.objects.filter(programme=programme).count() == 6
