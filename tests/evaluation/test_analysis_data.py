"""A plan's answers as analysis frames: one row per submitted response, people stable within the
plan (respondents, or anonymous chains linked by their codes), scores as the instrument library
scores them, covariates from the baseline with the booking as fall-back, the flow's counts,
report scopes (programme, course, session, partnership) that never read another partnership's
rows, and a bounded number of queries however many people answered."""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pytest
from django.utils import timezone

from tests.conftest import World
from tests.evaluation.invitation_helpers import Collecting, london
from tests.training.bookings_helpers import member
from tip.evaluation import analysis_data
from tip.evaluation.analysis.scoring import score
from tip.evaluation.analysis_data import Scope, flow_frame, items_frame, plans_in, scores_frame
from tip.evaluation.links import unissued_digest
from tip.evaluation.models import (
    ComparisonCohort,
    EvaluationPlan,
    Invitation,
    Respondent,
    Response,
    Wave,
)
from tip.evaluation.selectors_instruments import instrument_for
from tip.training import services_courses
from tip.training.models_bookings import Booking, BookingStatus
from tip.training.models_courses import Course
from tip.training.models_sessions import Session, SessionFormat, SessionPart, SessionStatus

KAC = "tip-kac"
FEEDBACK = "tip-feedback"
KEY = [True, True, False, False, True, False, True, True, True, False, False, True, True, False]


def kac(knowledge_right: int, attitude: int, confidence: int) -> dict[str, Any]:
    """tip-kac answers: the first ``knowledge_right`` of 14 statements right, the rest wrong;
    every attitude statement answered ``attitude`` (half are reverse-scored), every confidence
    item ``confidence``."""
    answers: dict[str, Any] = {}
    for n, key in enumerate(KEY, start=1):
        right = n <= knowledge_right
        answers[f"k{n:02d}"] = "true" if key == right else "false"
    for n in range(1, 9):
        answers[f"a{n:02d}"] = attitude
        answers[f"c{n:02d}"] = confidence
    return answers


def expected(instrument_id: str, answers: dict[str, Any]) -> dict[str, float | None]:
    return score(instrument_for(None, instrument_id), answers).values()


@dataclass
class Data:
    """A plan with two sessions of one course (virtual, in person) and a session of another
    course, trained respondents booked on them, and a comparison cohort."""

    world: World
    c: Collecting
    plan: EvaluationPlan
    waves: dict[int, Wave]
    course: Course
    other_course: Course
    virtual: Session
    in_person: Session
    other: Session
    cohort: ComparisonCohort
    respondents: dict[str, Respondent] = field(default_factory=dict)

    def session(self, course: Course, fmt: str, day: datetime.date) -> Session:
        session = Session.objects.create(
            partnership=self.world.partnership,
            course=course,
            course_version=course.versions.get(),
            title=f"{fmt} {day}",
            format=fmt,
            capacity=20,
            status=SessionStatus.PUBLISHED,
        )
        start = london(day, 9, 30)
        SessionPart.objects.create(
            partnership=self.world.partnership,
            session=session,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
        )
        return session

    def trained(self, name: str, session: Session, *, organisation: int = 0) -> Respondent:
        person = member(self.world.partnership, self.world.organisations[organisation], name)
        person.job_title = f"{name}'s job"
        person.save(update_fields=["job_title"])
        booking = Booking.objects.create(
            partnership=self.world.partnership,
            session=session,
            membership=person,
            status=BookingStatus.BOOKED,
        )
        respondent = Respondent.objects.create(
            partnership=self.world.partnership,
            plan=self.plan,
            group="trained",
            booking=booking,
            membership=person,
            anchor_date=datetime.date(2025, 3, 1),
        )
        self.respondents[name] = respondent
        return respondent

    def comparison(self, name: str) -> Respondent:
        respondent = Respondent.objects.create(
            partnership=self.world.partnership,
            plan=self.plan,
            group="comparison",
            cohort=self.cohort,
            anchor_date=datetime.date(2025, 3, 1),
        )
        self.respondents[name] = respondent
        return respondent


def invite(
    respondent: Respondent | None, wave: Wave, status: str = "completed"
) -> Invitation | None:
    if respondent is None:
        return None
    now = timezone.now()
    return Invitation.objects.create(
        partnership_id=respondent.partnership_id,
        respondent=respondent,
        wave=wave,
        link_digest=unissued_digest(),
        status=status,
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now - datetime.timedelta(days=5),
    )


def answer(
    plan: EvaluationPlan,
    wave: Wave,
    respondent: Respondent | None,
    answers: dict[str, dict[str, Any]],
    *,
    covariates: dict[str, Any] | None = None,
    submitted: bool = True,
    group: str | None = None,
    code: list[str | None] | None = None,
    partnership_id: int | None = None,
) -> Response:
    """A response (with its invitation, when there is a respondent)."""
    invitation = invite(respondent, wave) if partnership_id is None else None
    return Response.objects.create(
        partnership_id=partnership_id or plan.partnership_id,
        plan=plan,
        wave=wave,
        invitation=invitation,
        respondent=respondent,
        group=group or (respondent.group if respondent else "trained"),
        answers=answers,
        versions={k: 1 for k in answers if k != "artic"},
        covariates=covariates or {},
        code_hashes=code,
        submitted_at=timezone.now() - datetime.timedelta(days=6) if submitted else None,
    )


@pytest.fixture
def data(world_a: World) -> Data:
    c = Collecting(world_a, day=datetime.date(2025, 3, 1), people=0)
    plan = c.evaluation
    plan.comparison_group = True
    plan.save(update_fields=["comparison_group"])
    virtual = c.session
    course = virtual.course
    other_course = services_courses.course_create(
        partnership=world_a.partnership,
        name="Another course",
        hours=3,
        programme=c.programme,
        by=c.lead,
    )
    cohort = ComparisonCohort.objects.create(
        partnership=world_a.partnership,
        plan=plan,
        name="Neighbouring schools",
        reference_date=datetime.date(2025, 3, 1),
    )
    d = Data(
        world=world_a,
        c=c,
        plan=plan,
        waves=c.waves(plan),
        course=course,
        other_course=other_course,
        virtual=virtual,
        in_person=virtual,  # replaced below
        other=virtual,
        cohort=cohort,
    )
    d.in_person = d.session(course, SessionFormat.IN_PERSON, datetime.date(2025, 3, 8))
    d.other = d.session(other_course, SessionFormat.HYBRID, datetime.date(2025, 3, 15))
    return d


def people(d: Data) -> None:
    """Ann (virtual; baseline, six months), Bob (in person; baseline only), Cat (other course;
    six months only), Dan (comparison; baseline, six months), and an unsubmitted response."""
    base, six = d.waves[-7], d.waves[182]
    school = d.world.organisations[1]
    ann = d.trained("Ann", d.virtual)
    answer(
        d.plan,
        base,
        ann,
        {KAC: kac(10, 4, 2), FEEDBACK: {"engaged": 5}},
        covariates={
            "sector": "health",
            "role": "School nurse",
            "years_in_role": 3,
            "prior_training": "no",
            "organisation": school.pk,
        },
    )
    answer(d.plan, six, ann, {KAC: kac(13, 5, 4)})
    bob = d.trained("Bob", d.in_person)
    answer(d.plan, base, bob, {KAC: kac(9, 2, 3)})
    cat = d.trained("Cat", d.other, organisation=1)
    answer(d.plan, six, cat, {KAC: kac(12, 4, 4)})
    dan = d.comparison("Dan")
    answer(d.plan, base, dan, {KAC: kac(8, 3, 3)}, covariates={"sector": "education"})
    answer(d.plan, six, dan, {KAC: kac(8, 3, 2)})
    answer(d.plan, six, d.trained("Eve", d.virtual), {KAC: kac(14, 5, 5)}, submitted=False)


# Identified plans -------------------------------------------------------------------------------


def test_scores_frame_has_a_row_per_submitted_response_with_the_library_scores(
    data: Data,
) -> None:
    people(data)
    frame = scores_frame(data.plan, KAC)
    assert list(frame.columns) == [
        *analysis_data.SCORE_COLUMNS,
        "subscale:knowledge",
        "subscale:attitudes",
        "subscale:confidence",
    ]
    assert len(frame) == 6  # Eve's unsubmitted answers are not there
    r = data.respondents
    assert sorted(frame["person"]) == sorted(
        [f"R{r['Ann'].pk}"] * 2 + [f"R{r['Bob'].pk}", f"R{r['Cat'].pk}"] + [f"R{r['Dan'].pk}"] * 2
    )
    ann = frame[frame["person"] == f"R{r['Ann'].pk}"].sort_values("wave_order")
    assert list(ann["wave"]) == ["Baseline", "Six months after"]
    assert list(ann["wave_kind"]) == ["baseline", "follow_up"]
    assert list(ann["wave_offset"]) == [-7, 182]
    # wave_order counts every wave of the plan by offset: baseline 0, straight after 1, ...
    assert list(ann["wave_order"]) == [0, 2]
    for i, answers in enumerate([kac(10, 4, 2), kac(13, 5, 4)]):
        want = expected(KAC, answers)
        row = ann.iloc[i]
        assert row["subscale:knowledge"] == want["knowledge"]
        assert row["subscale:attitudes"] == pytest.approx(want["attitudes"])
        assert row["subscale:confidence"] == pytest.approx(want["confidence"])
    # Reverse scoring: every attitude answered 4, half reversed -> (4 + 2) / 2 = 3.
    assert ann["subscale:attitudes"].iloc[0] == pytest.approx(3.0)
    # tip-kac has no total.
    assert frame["score"].isna().all()
    assert frame.dtypes["score"] == "float64" and frame.dtypes["wave_id"] == "int64"


def test_partial_answers_are_scored_as_the_library_scores_them(data: Data) -> None:
    """Missing items (sums scaled up, too few answered: no score), "don't know", and an answer
    the scale does not accept (missing), each against scoring.score on the same answers."""
    rng = random.Random(5)
    sets = []
    for n in range(25):
        answers = kac(rng.randint(0, 14), rng.randint(1, 5), rng.randint(1, 5))
        for item_id in rng.sample(sorted(answers), rng.randint(0, 12)):
            del answers[item_id]
        if n % 4 == 0 and "k03" in answers:
            answers["k03"] = "dont_know"
        sets.append(answers)
        answer(data.plan, data.waves[-7], None, {KAC: answers})
    answer(data.plan, data.waves[0], None, {KAC: {**kac(14, 5, 5), "a01": 9}})
    frame = scores_frame(data.plan, KAC)
    for n, answers in enumerate(sets):
        want = expected(KAC, answers)
        row = frame.iloc[n]
        for subscale, value in want.items():
            got = row[f"subscale:{subscale}"]
            if value is None:
                assert math.isnan(got), (n, subscale)
            else:
                assert got == pytest.approx(value, rel=1e-12), (n, subscale)
    # a01 = 9 is not on the 1 to 5 scale: missing, so attitudes rest on the other seven.
    last = frame.iloc[-1]
    assert last["subscale:attitudes"] == pytest.approx(
        expected(KAC, {k: v for k, v in kac(14, 5, 5).items() if k != "a01"})["attitudes"]
    )


def test_total_score_of_an_instrument_with_one(data: Data) -> None:
    base = data.waves[0]
    answers = {
        "engaged": 5,
        "took_part": 4,
        "felt_safe": 4,
        "relevant_role": 3,
        "relevant_examples": 2,
        "intend_to_use": 5,
        "know_what_to_change": 4,
    }
    answer(data.plan, base, data.trained("Ann", data.virtual), {FEEDBACK: answers})
    frame = scores_frame(data.plan, FEEDBACK)
    want = expected(FEEDBACK, answers)
    assert frame["score"].iloc[0] == pytest.approx(want["total"])
    assert frame["subscale:relevance"].iloc[0] == pytest.approx(2.5)
    assert frame["score"].iloc[0] == pytest.approx(27 / 7)


def test_covariates_come_from_the_baseline_with_the_booking_as_fall_back(data: Data) -> None:
    people(data)
    frame = scores_frame(data.plan, KAC).set_index(["person", "wave"])
    r = data.respondents
    school, police = data.world.organisations[1], data.world.organisations[0]
    for wave in ("Baseline", "Six months after"):  # the same on every row of the person
        ann = frame.loc[(f"R{r['Ann'].pk}", wave)]
        assert ann["organisation"] == school.name  # their answer, not their membership's
        assert ann["sector"] == "health"  # their answer, not their organisation's sector
        assert ann["role"] == "School nurse"
        assert ann["years_in_role"] == 3.0
        assert ann["prior_training"] == "no"
        assert ann["format"] == "virtual"
        assert ann["session_id"] == data.virtual.pk
        assert ann["course_id"] == data.course.pk
        assert ann["group"] == "trained"
    bob = frame.loc[(f"R{r['Bob'].pk}", "Baseline")]
    assert bob["organisation"] == police.name and bob["sector"] == police.sector
    assert bob["role"] == "Bob's job" and bob["format"] == "in_person"
    assert math.isnan(bob["years_in_role"]) and bob["prior_training"] == ""
    cat = frame.loc[(f"R{r['Cat'].pk}", "Six months after")]
    assert cat["format"] == "hybrid" and cat["course_id"] == data.other_course.pk
    assert cat["organisation"] == school.name and cat["sector"] == "education"
    for wave in ("Baseline", "Six months after"):
        dan = frame.loc[(f"R{r['Dan'].pk}", wave)]
        assert dan["group"] == "comparison" and dan["format"] == ""
        assert math.isnan(dan["session_id"]) and math.isnan(dan["course_id"])
        assert dan["sector"] == "education" and dan["organisation"] == ""


def test_items_frame_scores_each_item_with_reverse_scoring(data: Data) -> None:
    people(data)
    frame = items_frame(data.plan, KAC)
    instrument = instrument_for(None, KAC)
    assert list(frame.columns) == ["person", "group", "wave", "wave_id"] + [
        i.id for i in instrument.items
    ]
    assert len(frame) == 6
    ann = data.respondents["Ann"]
    row = frame[(frame["person"] == f"R{ann.pk}") & (frame["wave"] == "Baseline")].iloc[0]
    assert row["a01"] == 4.0 and row["a02"] == 2.0  # a02 is reverse-scored
    assert row["k01"] == 1.0 and row["k14"] == 0.0  # ten right, then wrong
    baseline_only = items_frame(data.plan, KAC, wave_id=data.waves[-7].pk)
    assert set(baseline_only["wave"]) == {"Baseline"} and len(baseline_only) == 3
    # A missing item is NaN.
    answer(data.plan, data.waves[0], data.trained("Fay", data.virtual), {KAC: {"a01": 5}})
    fay = items_frame(data.plan, KAC, wave_id=data.waves[0].pk)
    assert fay["a01"].iloc[0] == 5.0 and math.isnan(fay["a02"].iloc[0])


def test_imported_artic_scores_give_the_total_and_named_subscales(data: Data) -> None:
    answer(
        data.plan,
        data.waves[-7],
        None,
        {"artic": {"total": 5.25, "subscales": {"Underlying causes": 5.5}}},
    )
    frame = scores_frame(data.plan, "artic")
    assert frame["score"].tolist() == [5.25]
    assert frame["subscale:Underlying causes"].tolist() == [5.5]
    assert frame["person"].iloc[0].startswith("A")  # no respondent: a person of its own
    assert list(items_frame(data.plan, "artic").columns) == list(analysis_data.ID_COLUMNS)


def test_empty_plan_gives_empty_frames_with_the_columns(data: Data) -> None:
    frame = scores_frame(data.plan, KAC)
    assert frame.empty and "subscale:attitudes" in frame.columns
    assert frame.dtypes["wave_id"] == "int64"
    flow = flow_frame(data.plan)
    assert list(flow.columns) == list(analysis_data.FLOW_COLUMNS)
    assert len(flow) == 8  # four waves, two groups
    assert (flow[["invited", "responded", "linked", "analysed"]] == 0).all().all()


# Anonymous plans -------------------------------------------------------------------------------


def code(*parts: str | None) -> list[str | None]:
    return list(parts)


def test_anonymous_plans_link_answers_by_code_into_one_person_per_chain(data: Data) -> None:
    data.plan.anonymous = True
    data.plan.save(update_fields=["anonymous"])
    base, after, six = data.waves[-7], data.waves[0], data.waves[182]
    a = code("a1", "a2", "a3", "a4", "a5", "a6")
    b = code("b1", "b2", "b3", "b4", "b5", "b6")
    # The same respondent account is not used to link: only the code.
    answer(data.plan, base, None, {KAC: kac(10, 4, 2)}, code=a)
    answer(data.plan, base, None, {KAC: kac(9, 3, 3)}, code=b)
    # One element misremembered: still linked (the plan allows one).
    answer(data.plan, six, None, {KAC: kac(12, 5, 4)}, code=code("a1", "a2", "a3", "a4", "x", "a6"))
    answer(data.plan, after, None, {KAC: kac(11, 4, 4)}, code=b)
    answer(data.plan, six, None, {KAC: kac(7, 2, 2)}, code=code("z1", "z2", "z3", "z4", "z5", "z6"))
    answer(data.plan, six, None, {KAC: kac(7, 2, 2)})  # no code at all
    answer(data.plan, base, None, {KAC: kac(6, 2, 2)}, code=a, group="comparison")
    frame = scores_frame(data.plan, KAC)
    assert all(p.startswith("L") for p in frame["person"])
    by_person = frame.groupby("person")["wave"].apply(sorted).to_dict()
    knowledge = frame.set_index(["person", "wave"])["subscale:knowledge"]
    first = frame[(frame["wave"] == "Baseline") & (frame["subscale:knowledge"] == 10)]
    chain_a = first["person"].iloc[0]
    assert by_person[chain_a] == ["Baseline", "Six months after"]
    assert knowledge[(chain_a, "Six months after")] == 12
    chain_b = frame[frame["subscale:knowledge"] == 9]["person"].iloc[0]
    assert by_person[chain_b] == ["Baseline", "Straight after"]
    assert len(set(frame["person"])) == 5  # a, b, z, the one without a code, comparison's a
    # The comparison group's identical code is another person: groups are linked apart.
    comparison = frame[frame["group"] == "comparison"]["person"].iloc[0]
    assert comparison not in (chain_a, chain_b)
    flow = flow_frame(data.plan, instrument_id=KAC, measure="subscale:knowledge").set_index(
        ["wave", "group"]
    )
    six_trained = flow.loc[("Six months after", "trained")]
    assert (six_trained["responded"], six_trained["linked"], six_trained["analysed"]) == (3, 1, 1)
    # Answers with no invitation (imported, or anonymous without one) count as invited.
    assert six_trained["invited"] == 3


# The flow ---------------------------------------------------------------------------------------


def test_flow_counts_invited_responded_linked_and_analysed(data: Data) -> None:
    people(data)
    base, six = data.waves[-7], data.waves[182]
    # Gus was invited at both waves and never answered; Hal's invitation is not sent yet.
    gus = data.trained("Gus", data.virtual)
    invite(gus, base, "closed")
    invite(gus, six, "sent")
    invite(data.trained("Hal", data.virtual), six, "scheduled")
    # Ann's six-month answers leave attitudes unscored (fewer than 6 of 8 answered).
    ann = data.respondents["Ann"]
    Response.objects.filter(respondent=ann, wave=six).update(answers={KAC: {"a01": 3}})
    flow = flow_frame(data.plan, instrument_id=KAC, measure="subscale:attitudes")
    assert list(flow.columns) == list(analysis_data.FLOW_COLUMNS)
    assert list(flow["wave"].unique()) == [
        "Baseline",
        "Straight after",
        "Six months after",
        "Twelve months after",
    ]
    rows = flow.set_index(["wave", "group"])
    # Baseline: Ann, Bob, Gus (trained) invited; Ann and Bob answered.
    assert tuple(
        rows.loc[("Baseline", "trained")][["invited", "responded", "linked", "analysed"]]
    ) == (
        3,
        2,
        2,
        2,
    )
    # Six months: Ann, Cat, Gus invited (Eve's never submitted: invited, not responded).
    six_row = rows.loc[("Six months after", "trained")]
    assert six_row["invited"] == 4  # Ann, Cat, Eve, Gus (Hal's is only scheduled)
    assert six_row["responded"] == 2  # Ann, Cat
    assert six_row["linked"] == 1  # Ann: Cat has no baseline
    assert six_row["analysed"] == 0  # Ann's attitudes cannot be scored at six months
    dan = rows.loc[("Six months after", "comparison")]
    assert tuple(dan[["invited", "responded", "linked", "analysed"]]) == (1, 1, 1, 1)
    # Without an instrument, any answers count.
    loose = flow_frame(data.plan).set_index(["wave", "group"])
    assert loose.loc[("Six months after", "trained")]["analysed"] == 1


# Scopes -----------------------------------------------------------------------------------------


def test_plans_in_each_kind_of_scope(data: Data, world_b: World) -> None:
    p = data.world.partnership.pk
    plan = data.plan
    second = Collecting(data.world, day=datetime.date(2025, 4, 1), people=0, name="Second")
    assert plans_in(Scope("programme", p, data.c.programme.pk)) == [plan]
    assert plans_in(Scope("course", p, data.other_course.pk)) == [plan]
    assert plans_in(Scope("session", p, data.in_person.pk)) == [plan]
    assert set(plans_in(Scope("partnership", p, p))) == {plan, second.evaluation}
    # Another partnership's ids, or a partnership scope naming another partnership: nothing.
    other = Collecting(world_b, day=datetime.date(2025, 3, 1), people=0)
    q = world_b.partnership.pk
    assert plans_in(Scope("programme", p, other.programme.pk)) == []
    assert plans_in(Scope("session", p, other.session.pk)) == []
    assert plans_in(Scope("course", p, other.session.course_id)) == []
    assert plans_in(Scope("partnership", p, q)) == []
    assert plans_in(Scope("programme", q, other.programme.pk)) == [other.evaluation]
    with pytest.raises(ValueError, match="scope is one of"):
        Scope("region", p, p)


def test_course_and_session_scopes_keep_their_trained_people_and_the_comparison_group(
    data: Data,
) -> None:
    people(data)
    p = data.world.partnership.pk
    r = data.respondents

    def who(scope: Scope | None) -> set[str]:
        return set(scores_frame(data.plan, KAC, scope=scope)["person"])

    everyone = {f"R{r[n].pk}" for n in ("Ann", "Bob", "Cat", "Dan")}
    assert who(None) == everyone
    assert who(Scope("programme", p, data.c.programme.pk)) == everyone
    assert who(Scope("partnership", p, p)) == everyone
    dan = f"R{r['Dan'].pk}"
    assert who(Scope("course", p, data.course.pk)) == {f"R{r['Ann'].pk}", f"R{r['Bob'].pk}", dan}
    assert who(Scope("course", p, data.other_course.pk)) == {f"R{r['Cat'].pk}", dan}
    assert who(Scope("session", p, data.in_person.pk)) == {f"R{r['Bob'].pk}", dan}
    session_items = items_frame(data.plan, KAC, scope=Scope("session", p, data.virtual.pk))
    assert set(session_items["person"]) == {f"R{r['Ann'].pk}", dan}
    flow = flow_frame(data.plan, scope=Scope("session", p, data.in_person.pk)).set_index(
        ["wave", "group"]
    )
    assert flow.loc[("Baseline", "trained")]["invited"] == 1  # Bob
    assert flow.loc[("Six months after", "trained")]["responded"] == 0


def test_a_scope_never_reads_another_partnerships_rows(data: Data, world_b: World) -> None:
    people(data)
    other = Collecting(world_b, day=datetime.date(2025, 3, 1), people=0)
    # Rows that claim the plan but belong to another partnership are never read.
    intruder = Respondent.objects.create(
        partnership=world_b.partnership,
        plan=data.plan,
        group="trained",
        anchor_date=datetime.date(2025, 3, 1),
    )
    answer(
        data.plan,
        data.waves[-7],
        intruder,
        {KAC: kac(1, 1, 1)},
        partnership_id=world_b.partnership.pk,
    )
    frame = scores_frame(data.plan, KAC)
    assert f"R{intruder.pk}" not in set(frame["person"]) and len(frame) == 6
    assert (
        flow_frame(data.plan).set_index(["wave", "group"]).loc[("Baseline", "trained")]["responded"]
        == 2
    )
    # A scope of another partnership cannot be used on this plan.
    q = world_b.partnership.pk
    for reader in (
        lambda s: scores_frame(data.plan, KAC, scope=s),
        lambda s: items_frame(data.plan, KAC, scope=s),
        lambda s: flow_frame(data.plan, scope=s),
    ):
        with pytest.raises(ValueError, match="different partnerships"):
            reader(Scope("programme", q, other.programme.pk))
    # A session id of another partnership in this partnership's scope keeps no trained person.
    p = data.world.partnership.pk
    kept = scores_frame(data.plan, KAC, scope=Scope("session", p, other.session.pk))
    assert set(kept["group"]) == {"comparison"}


# Queries ----------------------------------------------------------------------------------------


def crowd(d: Data, n: int) -> None:
    base, six = d.waves[-7], d.waves[182]
    for i in range(n):
        respondent = d.trained(f"Person {i}", d.virtual if i % 2 else d.in_person)
        answer(d.plan, base, respondent, {KAC: kac(i % 14, 3, 4)}, covariates={"sector": "police"})
        answer(d.plan, six, respondent, {KAC: kac(13, 4, 5)})
        comparison = d.comparison(f"Comparison {i}")
        answer(d.plan, base, comparison, {KAC: kac(8, 3, 3)})


@pytest.mark.parametrize("n", [3, 12])
def test_reading_takes_a_bounded_number_of_queries(
    data: Data, n: int, django_assert_max_num_queries: Any
) -> None:
    crowd(data, n)
    p = data.world.partnership.pk
    plan = EvaluationPlan.objects.get(pk=data.plan.pk)
    for scope in (None, Scope("course", p, data.course.pk)):
        with django_assert_max_num_queries(6):
            frame = scores_frame(plan, KAC, scope=scope)
        assert len(frame) == 3 * n
        with django_assert_max_num_queries(6):
            items_frame(plan, KAC, scope=scope)
        with django_assert_max_num_queries(7):
            flow = flow_frame(plan, scope=scope, instrument_id=KAC, measure="subscale:attitudes")
        assert int(flow["responded"].sum()) == 3 * n
    assert isinstance(frame, pd.DataFrame)


# Every frame from one reading -------------------------------------------------------------------


@pytest.mark.parametrize("anonymous", [False, True])
def test_plan_frames_give_the_functions_frames_from_one_reading(
    data: Data, anonymous: bool, django_assert_max_num_queries: Any
) -> None:
    people(data)
    crowd(data, 4)
    answer(data.plan, data.waves[-7], None, {"artic": {"total": 5.25, "subscales": {"A": 5.5}}})
    if anonymous:
        data.plan.anonymous = True
        data.plan.save(update_fields=["anonymous"])
        answer(data.plan, data.waves[-7], None, {KAC: kac(10, 4, 2)}, code=code(*"abcdef"))
        answer(data.plan, data.waves[182], None, {KAC: kac(12, 5, 4)}, code=code(*"abcdef"))
    p = data.world.partnership.pk
    plan = EvaluationPlan.objects.get(pk=data.plan.pk)
    base = data.waves[-7].pk
    for scope in (None, Scope("course", p, data.course.pk)):
        with django_assert_max_num_queries(6):
            frames = analysis_data.plan_frames(plan, scope)
        with django_assert_max_num_queries(2):  # the custom instruments; the invitations
            got = {
                "scores": frames.scores(KAC),
                "artic": frames.scores("artic"),
                "items": frames.items(KAC),
                "baseline items": frames.items(KAC, wave_id=base),
                "artic items": frames.items("artic"),
                "flow": frames.flow(),
            }
        with django_assert_max_num_queries(1):
            got["scored flow"] = frames.flow(instrument_id=KAC, measure="subscale:attitudes")
        wanted = {
            "scores": scores_frame(plan, KAC, scope=scope),
            "artic": scores_frame(plan, "artic", scope=scope),
            "items": items_frame(plan, KAC, scope=scope),
            "baseline items": items_frame(plan, KAC, wave_id=base, scope=scope),
            "artic items": items_frame(plan, "artic", scope=scope),
            "flow": flow_frame(plan, scope=scope),
            "scored flow": flow_frame(
                plan, scope=scope, instrument_id=KAC, measure="subscale:attitudes"
            ),
        }
        for name, frame in wanted.items():
            assert scope is not None or not frame.empty, name
            pd.testing.assert_frame_equal(got[name], frame, obj=name)
    # Each call gives a frame of its own: changing one leaves the next untouched.
    first = frames.scores(KAC)
    first["score"] = 99.0
    assert not (frames.scores(KAC)["score"] == 99.0).any()
