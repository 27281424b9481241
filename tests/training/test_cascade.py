"""The train-the-trainer cascade: certifications and their refusals, observations, a new version
telling the trainers (email through the task queue when they have an account), acknowledging it,
the cascade page with its risks, the readiness fact, the API and the demo."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.core.test_api import assert_json_error, call, token_for
from tip.core.models import AuditAction, AuditEntry, Partnership
from tip.core.roles import Role
from tip.programmes import services as programme_services
from tip.programmes.readiness import readiness_report
from tip.training import selectors_cascade as selectors
from tip.training import services_cascade as services
from tip.training import services_courses, services_providers
from tip.training.analysis.cascade import CERTIFIED, LAPSED, OBSERVATION_DUE
from tip.training.models_courses import Course
from tip.training.models_delivery import (
    DeliverySettings,
    QaObservation,
    TrainerCertification,
    VersionAcknowledgement,
)
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Session, SessionPart, SessionTrainer
from tip.training.readiness_cascade import cascade_facts
from tip.training.services_clearances import london_today

RATINGS = {"fidelity": 4, "accuracy": 3, "handling_distress": 3, "engagement": 2}


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def days_ago(n: int) -> date:
    return london_today() - timedelta(days=n)


class Cascade:
    """A course with a lead trainer (linked to the trainer's account) who certified two others."""

    def __init__(self, world: World, *, train_the_trainer: bool = True) -> None:
        self.world = world
        self.lead = world.user(Role.PROGRAMME_LEAD)
        self.programme = programme_services.programme_create(
            partnership=world.partnership, name="Safer streets", aims="", by=self.lead
        )
        self.course = services_courses.course_create(
            partnership=world.partnership,
            programme=self.programme,
            name="Foundation day",
            hours=6,
            train_the_trainer=train_the_trainer,
            by=self.lead,
        )
        self.v1 = self.course.versions.get()
        provider = services_providers.provider_create(
            partnership=world.partnership, name="Calm Minds", kind="voluntary", by=self.lead
        )
        self.amara = services_providers.trainer_create(
            provider=provider, name="Amara Okafor", by=self.lead
        )
        self.amara.membership = world.members[Role.TRAINER]
        self.amara.save()
        self.rhys = services_providers.trainer_create(
            provider=provider, name="Rhys Morgan", by=self.lead
        )
        self.jade = services_providers.trainer_create(
            provider=provider, name="Jade Thompson", by=self.lead
        )

    def certify(self, trainer: Trainer, days: int, by_trainer: Trainer | None = None) -> Any:
        return services.certification_create(
            trainer=trainer,
            course_version=self.v1,
            certified_on=days_ago(days),
            certified_by=by_trainer,
            by=self.lead,
        )

    def observe(self, trainer: Trainer, days: int) -> QaObservation:
        return services.observation_create(
            trainer=trainer,
            observed_on=days_ago(days),
            observer="Lead trainer",
            ratings=RATINGS,
            by=self.lead,
        )

    def standard(self) -> None:
        """Amara (observed), Rhys (observed, certified by Amara), Jade (due, certified by her)."""
        self.certify(self.amara, 300)
        self.certify(self.rhys, 200, self.amara)
        self.certify(self.jade, 150, self.amara)
        self.observe(self.amara, 60)
        self.observe(self.rhys, 100)


def future_session(c: Cascade, trainer: Trainer, days: int = 20) -> Session:
    p = c.world.partnership
    session = Session.objects.create(
        partnership=p,
        course=c.course,
        course_version=c.course.versions.order_by("-number").first(),
        title="Foundation day: the library",
        format="in_person",
        capacity=20,
    )
    start = timezone.now() + timedelta(days=days)
    SessionPart.objects.create(
        partnership=p, session=session, starts_at=start, ends_at=start + timedelta(hours=6)
    )
    SessionTrainer.objects.create(partnership=p, session=session, trainer=trainer)
    return session


# --- Certifications ------------------------------------------------------------------------------


def test_certifications_make_the_tree_of_who_trained_whom(world_a: World) -> None:
    c = Cascade(world_a)
    c.standard()
    cascade = selectors.course_cascade(course=c.course)
    assert [n.entry.trainer.name for n in cascade.tree] == ["Amara Okafor"]
    assert [n.entry.trainer.name for n in cascade.tree[0].children] == [
        "Rhys Morgan",
        "Jade Thompson",
    ]
    statuses = {e.trainer.name: e.standing.status for e in cascade.entries}
    assert statuses == {
        "Amara Okafor": CERTIFIED,
        "Rhys Morgan": CERTIFIED,
        "Jade Thompson": OBSERVATION_DUE,
    }
    entry = cascade.by_trainer[c.rhys.pk]
    assert entry.standing.last_observed_on == days_ago(100)
    assert entry.certification.certified_by == c.amara


def test_certifications_refuse_what_cannot_be_true(world_a: World, world_b: World) -> None:
    c = Cascade(world_a)
    c.certify(c.amara, 10)
    refusals = [
        ({"certified_on": london_today() + timedelta(days=1)}, "certified_on", "today or in"),
        ({"certified_by": c.rhys}, "certified_by", "Rhys Morgan was not certified"),
        ({"trainer": c.amara, "certified_by": c.amara}, "certified_by", "cannot certify"),
        ({"trainer": c.amara}, "course_version", "already certified on version 1"),
        # Amara was certified 10 days ago, so she cannot have trained Jade 20 days ago.
        (
            {"certified_on": days_ago(20), "certified_by": c.amara},
            "certified_by",
            "not certified on this course on or before",
        ),
    ]
    other = Cascade(world_b)
    refusals.append(({"course_version": other.v1}, "course_version", "partnership's courses"))
    refusals.append(({"certified_by": other.amara}, "certified_by", "partnership's trainers"))
    for change, field, message in refusals:
        values: dict[str, Any] = {
            "trainer": c.jade,
            "course_version": c.v1,
            "certified_on": days_ago(5),
            "certified_by": None,
        } | change
        with pytest.raises(ValidationError) as exc:
            services.certification_create(by=c.lead, **values)
        assert message in " ".join(exc.value.message_dict[field]), (change, exc.value)
    assert TrainerCertification.objects.filter(partnership=world_a.partnership).count() == 1


def test_statuses_follow_the_partnerships_delivery_settings(world_a: World) -> None:
    c = Cascade(world_a)
    c.certify(c.amara, 40)
    entry = selectors.cascade_entries(partnership=world_a.partnership, course=c.course)[0]
    assert entry.standing.status == CERTIFIED
    DeliverySettings.objects.create(
        partnership=world_a.partnership, observation_due_days=30, certification_lapses_days=35
    )
    entry = selectors.cascade_entries(partnership=world_a.partnership, course=c.course)[0]
    assert entry.standing.status == LAPSED


def test_an_observation_of_another_courses_session_does_not_count(world_a: World) -> None:
    c = Cascade(world_a)
    c.certify(c.rhys, 200)
    other = services_courses.course_create(
        partnership=world_a.partnership, name="Awareness", hours=3, by=c.lead
    )
    session = Session.objects.create(
        partnership=world_a.partnership,
        course=other,
        course_version=other.versions.get(),
        format="virtual",
        capacity=10,
    )
    SessionTrainer.objects.create(partnership=world_a.partnership, session=session, trainer=c.rhys)
    services.observation_create(
        trainer=c.rhys,
        observed_on=days_ago(10),
        observer="Lead",
        ratings=RATINGS,
        session=session,
        by=c.lead,
    )
    entry = selectors.cascade_entries(partnership=world_a.partnership, course=c.course)[0]
    assert entry.standing.status == OBSERVATION_DUE and not entry.standing.observed


# --- Observations --------------------------------------------------------------------------------


def test_an_observation_needs_every_rating_an_observer_and_a_session_they_taught(
    world_a: World,
) -> None:
    c = Cascade(world_a)
    session = future_session(c, c.amara)
    with pytest.raises(ValidationError) as exc:
        services.observation_create(
            trainer=c.rhys,
            observed_on=days_ago(1),
            observer=" ",
            ratings={"fidelity": 5, "accuracy": "3", "surprise": 1},
            session=session,
            by=c.lead,
        )
    assert set(exc.value.message_dict) == {"observer", "session", "ratings"}
    with pytest.raises(ValidationError) as exc:
        services.observation_create(
            trainer=c.rhys,
            observed_on=days_ago(1),
            observer="Lead",
            ratings={"fidelity": 5, "accuracy": "3"},
            by=c.lead,
        )
    assert "Rate “Fidelity to the content” from 1 to 4" in exc.value.message_dict["fidelity"]
    assert set(exc.value.message_dict) == {"fidelity", "handling_distress", "engagement"}
    assert not QaObservation.objects.exists()


def test_a_lead_records_an_observation_on_the_form(world_a: World) -> None:
    c = Cascade(world_a)
    c.certify(c.rhys, 120)
    client = signed_in_client(c.lead)
    url = reverse("training:observation-create", kwargs={"trainer_id": c.rhys.pk})
    form = client.get(url)
    assert form.status_code == 200
    page = text(form)
    assert "Handling of distress" in page and "4: Fully" in page
    assert "signs of distress go unnoticed" in page  # each rating says what it looks like
    today = london_today()
    body = {
        "observed_on_day": today.day,
        "observed_on_month": today.month,
        "observed_on_year": today.year,
        "observer": "Dr Amara Okafor, lead trainer",
        "notes": "Give the content warning before the case study.",
        "rating_fidelity": "3",
        "rating_accuracy": "4",
        "rating_handling_distress": "2",
    }
    refused = client.post(url, body)
    assert refused.status_code == 400
    assert "Rate “Engagement” from 1 to 4" in text(refused)
    done = client.post(url, body | {"rating_engagement": "4"})
    assert done.status_code == 302
    observation = QaObservation.objects.get()
    assert observation.ratings == {
        "fidelity": 3,
        "accuracy": 4,
        "handling_distress": 2,
        "engagement": 4,
    }
    listing = client.get(done["Location"])
    assert "2: Partly" in text(listing) and "content warning before" in text(listing)
    entry = selectors.cascade_entries(partnership=world_a.partnership, trainer=c.rhys)[0]
    assert entry.standing.status == CERTIFIED and entry.standing.observed
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_type="training.Trainer", object_id=str(c.rhys.pk)
    ).exists()


# --- New versions --------------------------------------------------------------------------------


def test_a_new_version_tells_every_trainer_certified_on_an_earlier_one(
    world_a: World, django_capture_on_commit_callbacks: Any
) -> None:
    c = Cascade(world_a)
    c.standard()
    with django_capture_on_commit_callbacks(execute=True):
        v2 = services_courses.course_version_create(
            course=c.course, changes="A new case study on exploitation", by=c.lead
        )
    acks = VersionAcknowledgement.objects.filter(course_version=v2)
    assert {a.trainer.name for a in acks} == {"Amara Okafor", "Rhys Morgan", "Jade Thompson"}
    # Only Amara's record is linked to an account: she is emailed, the others are listed.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world_a.user(Role.TRAINER).email]
    assert "version 2" in message.subject and "A new case study" in message.body
    ack = acks.get(trainer=c.amara)
    assert reverse("training:cascade-acknowledge", args=[ack.pk]) in message.body
    cascade = selectors.course_cascade(course=c.course)
    assert all(e.out_of_date for e in cascade.entries)
    assert [e.trainer.name for e in cascade.awaiting] == ["Amara Okafor"]
    assert {e.trainer.name for e in cascade.not_reachable} == {"Rhys Morgan", "Jade Thompson"}
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CREATE, object_type="training.VersionAcknowledgement"
        ).count()
        == 3
    )

    # A third version tells them again; a trainer certified on version 3 is not told.
    services.certification_create(
        trainer=c.rhys,
        course_version=v2,
        certified_on=days_ago(0),
        certified_by=None,
        by=c.lead,
    )
    entry = selectors.course_cascade(course=c.course).by_trainer[c.rhys.pk]
    assert not entry.out_of_date and entry.certification.course_version == v2


def test_a_trainer_acknowledges_their_own_version_only(world_a: World) -> None:
    c = Cascade(world_a)
    c.standard()
    v2 = services_courses.course_version_create(course=c.course, changes="New module", by=c.lead)
    mine = VersionAcknowledgement.objects.get(trainer=c.amara, course_version=v2)
    theirs = VersionAcknowledgement.objects.get(trainer=c.rhys, course_version=v2)
    client = signed_in_client(world_a.user(Role.TRAINER))
    status = client.get(reverse("training:cascade-mine"))
    assert status.status_code == 200
    assert "Foundation day: version 2" in text(status) and "Out of date" in text(status)
    page = client.get(reverse("training:cascade-acknowledge", args=[mine.pk]))
    assert page.status_code == 200 and "New module" in text(page)
    assert client.get(reverse("training:cascade-acknowledge", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("training:cascade-acknowledge", args=[theirs.pk])).status_code == 404
    done = client.post(reverse("training:cascade-acknowledge", args=[mine.pk]))
    assert done.status_code == 302
    mine.refresh_from_db()
    assert mine.acknowledged_at is not None
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE,
        object_type="training.VersionAcknowledgement",
        actor=world_a.user(Role.TRAINER),
    ).exists()
    entry = selectors.course_cascade(course=c.course).by_trainer[c.amara.pk]
    assert not entry.out_of_date
    # A lead may not acknowledge for a trainer on their page.
    lead = signed_in_client(c.lead)
    assert lead.get(reverse("training:cascade-acknowledge", args=[mine.pk])).status_code == 403


# --- The cascade page and its risks --------------------------------------------------------------


def test_the_cascade_page_flags_sessions_by_lapsed_or_out_of_date_trainers(
    world_a: World, world_b: World
) -> None:
    c = Cascade(world_a)
    c.standard()
    sam = Trainer.objects.create(
        partnership=world_a.partnership, provider=c.amara.provider, name="Sam Patel"
    )
    c.certify(sam, 400)
    services_courses.course_version_create(course=c.course, changes="New module", by=c.lead)
    future_session(c, sam)  # lapsed, and out of date
    future_session(c, c.jade, days=30)  # due, but out of date
    past = future_session(c, c.rhys, days=-30)  # in the past: not a risk
    risks = selectors.cascade_risks(partnership=world_a.partnership, programme=c.programme)
    assert [(r.trainer.name, r.lapsed, r.out_of_date) for r in risks] == [
        ("Sam Patel", True, True),
        ("Jade Thompson", False, True),
    ]
    assert past.pk not in {r.session.pk for r in risks}

    client = signed_in_client(c.lead)
    response = client.get(reverse("training:course-cascade", args=[c.course.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "Cascade risks" in page and "Certification lapsed" in page
    assert "Who trained whom" in page and "Not reachable by email" in page
    assert page.index("Amara Okafor") < page.index("Rhys Morgan")
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_type="training.Course", object_id=str(c.course.pk)
    ).exists()
    # Another partnership's course is not found; a practitioner may not look.
    other = Cascade(world_b)
    assert client.get(reverse("training:course-cascade", args=[other.course.pk])).status_code == 404
    practitioner = signed_in_client(world_a.user(Role.PRACTITIONER))
    assert (
        practitioner.get(reverse("training:course-cascade", args=[c.course.pk])).status_code == 403
    )


def test_a_lead_records_a_certification_on_the_form(world_a: World) -> None:
    c = Cascade(world_a)
    c.certify(c.amara, 30)
    client = signed_in_client(c.lead)
    url = reverse("training:certification-create", args=[c.course.pk])
    assert client.get(url).status_code == 200
    day = days_ago(3)
    body = {
        "trainer": c.rhys.pk,
        "course_version": c.v1.pk,
        "certified_on_day": day.day,
        "certified_on_month": day.month,
        "certified_on_year": day.year,
        "certified_by": c.amara.pk,
    }
    refused = client.post(url, body | {"certified_by": c.rhys.pk})
    assert refused.status_code == 400 and "cannot certify themselves" in text(refused)
    done = client.post(url, body)
    assert done.status_code == 302
    assert TrainerCertification.objects.get(trainer=c.rhys).certified_by == c.amara
    # The trainer's page shows their standing.
    trainer_page = client.get(reverse("training:trainer-detail", args=[c.rhys.pk]))
    assert "Certified to deliver" in text(trainer_page) and "Foundation day" in text(trainer_page)
    # Removing it.
    certification = TrainerCertification.objects.get(trainer=c.rhys)
    remove = reverse("training:certification-delete", args=[certification.pk])
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not TrainerCertification.objects.filter(trainer=c.rhys).exists()


# --- Readiness -----------------------------------------------------------------------------------


def _fact(c: Cascade) -> Any:
    facts = [f for f in cascade_facts(c.programme) if f.key == "quality_assurance"]
    return facts[0] if facts else None


def test_readiness_knows_whether_quality_assurance_is_in_place(
    world_a: World, django_assert_max_num_queries: Any
) -> None:
    c = Cascade(world_a)
    assert "no trainers are recorded" in _fact(c).evidence and _fact(c).value is None
    c.certify(c.amara, 30)  # not yet due
    c.certify(c.rhys, 200)
    c.observe(c.rhys, 10)
    assert _fact(c).value is True
    assert "2 trainers" in _fact(c).evidence and "1 observed" in _fact(c).evidence
    c.certify(c.jade, 150)  # due, not lapsed
    assert _fact(c).value is None
    sam = Trainer.objects.create(
        partnership=world_a.partnership, provider=c.amara.provider, name="Sam Patel"
    )
    c.certify(sam, 400)
    fact = _fact(c)
    assert fact.value is False and "1 lapsed" in fact.evidence
    with django_assert_max_num_queries(2):
        list(cascade_facts(c.programme))
    report = readiness_report(c.programme)
    finding = next(f for f in report.findings if f.id == "quality_assurance")
    assert finding.status.value == "not_met"


def test_readiness_says_nothing_without_a_train_the_trainer_course(world_a: World) -> None:
    c = Cascade(world_a, train_the_trainer=False)
    c.certify(c.amara, 30)
    assert _fact(c) is None


# --- API -----------------------------------------------------------------------------------------


def test_the_api_lists_and_records_certifications_and_observations(
    world_a: World, world_b: World
) -> None:
    c = Cascade(world_a)
    c.certify(c.amara, 30)
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base = f"/api/training/trainers/{c.rhys.pk}"
    made = call(
        "post",
        f"{base}/certifications",
        key,
        {"course_version": c.v1.pk, "certified_on": str(days_ago(2)), "certified_by": c.amara.pk},
    )
    assert made.status_code == 201, made.content
    assert made.json()["version_number"] == 1 and made.json()["certified_by"] == c.amara.pk
    listed = call("get", f"{base}/certifications", key)
    assert listed.status_code == 200
    assert listed.json()["standing"][0]["status"] == CERTIFIED
    observed = call(
        "post",
        f"{base}/observations",
        key,
        {"observed_on": str(days_ago(1)), "observer": "Lead", "ratings": RATINGS},
    )
    assert observed.status_code == 201, observed.content
    assert call("get", f"{base}/observations", key).json()[0]["ratings"] == RATINGS
    bad = call(
        "post",
        f"{base}/observations",
        key,
        {"observed_on": str(days_ago(1)), "observer": "Lead", "ratings": {"fidelity": 9}},
    )
    errors = assert_json_error(bad, 422)["errors"]
    assert {e["field"] for e in errors} >= {"fidelity", "accuracy"}
    other = Cascade(world_b)
    foreign = call(
        "post",
        f"{base}/certifications",
        key,
        {"course_version": other.v1.pk, "certified_on": str(days_ago(2))},
    )
    assert_json_error(foreign, 422)
    assert (
        call("get", f"/api/training/trainers/{other.rhys.pk}/observations", key).status_code == 404
    )


# --- Demo ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_a_cascade_with_each_case_once() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    northshire = Partnership.objects.get(name="Northshire Violence Reduction Partnership")
    course = Course.objects.get(partnership=northshire, name__startswith="Trauma-informed practice")
    cascade = selectors.course_cascade(course=course)
    by_name = {e.trainer.name: e for e in cascade.entries}
    assert set(by_name) == {"Dr Amara Okafor", "Rhys Morgan", "Jade Thompson"}
    assert [n.entry.trainer.name for n in cascade.tree] == ["Dr Amara Okafor"]
    assert len(cascade.tree[0].children) == 2
    assert by_name["Rhys Morgan"].standing.observed
    assert by_name["Jade Thompson"].standing.status == OBSERVATION_DUE
    assert [e.trainer.name for e in cascade.entries if e.out_of_date] == ["Rhys Morgan"]
    assert [r.trainer.name for r in cascade.risks] == ["Rhys Morgan"]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo cascade already there" in out.getvalue()
    assert TrainerCertification.objects.filter(partnership=northshire).count() == 3


def test_the_cascade_pages_run_as_many_queries_whatever_the_number_of_trainers(
    world_a: World,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = Cascade(world_a)
    c.standard()
    services_courses.course_version_create(course=c.course, changes="More", by=c.lead)
    future_session(c, c.jade)  # a cascade risk from the start: its query is counted
    client = signed_in_client(c.lead)
    paths = [
        reverse("training:course-cascade", args=[c.course.pk]),
        reverse("training:trainer-detail", args=[c.rhys.pk]),
        reverse("training:trainer-observations", args=[c.rhys.pk]),
    ]

    def counts() -> list[int]:
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        return found

    counts()
    few = counts()
    for i in range(12):
        t = Trainer.objects.create(
            partnership=world_a.partnership, provider=c.amara.provider, name=f"Extra {i}"
        )
        c.certify(t, 30 + i, c.amara)
        c.observe(t, 5)
        future_session(c, t)
    c.observe(c.rhys, 1)
    assert counts() == few
