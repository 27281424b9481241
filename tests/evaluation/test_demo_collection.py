"""The demo's survey collection: the sample programme's trained group has answers at the
baseline, straight after and six months (from the first cohort, trained about seven months ago),
the comparison cohort too, with attrition; seeding again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tip.core.models import User
from tip.evaluation import selectors_invitations as reads
from tip.evaluation.analysis.scoring import score
from tip.evaluation.demo_collection import FIRST_COHORT, FIRST_COHORT_TITLE, SECOND_DAY_SIZE
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models_collection import Invitation, Respondent, Response
from tip.evaluation.models_plan import EvaluationPlan
from tip.programmes.demo import NAME
from tip.training.models_bookings import Attendance, Booking


@pytest.mark.django_db
def test_the_demo_has_six_month_answers_from_the_trained_group_once() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "a first cohort of 36 trained seven months ago" in out.getvalue()
    plan = EvaluationPlan.objects.get(programme__name=NAME)
    bookings = Booking.objects.filter(session__title=FIRST_COHORT_TITLE)
    assert bookings.count() == len(FIRST_COHORT) == 12
    assert set(Attendance.objects.filter(booking__in=bookings).values_list("mark", flat=True)) == {
        "attended"
    }
    people = User.objects.filter(pk__in=bookings.values("membership__user_id"))
    assert all(u.email.endswith(".example") and not u.has_usable_password() for u in people)
    first = Respondent.objects.filter(plan=plan, booking__in=bookings)
    assert first.count() == 12 and {r.group for r in first} == {"trained"}

    figures = reads.rates(plan=plan, exact=True)
    trained = {r.wave.offset_days: r for r in figures.rows if r.group == "trained"}
    six_months = trained[182]
    # Only the first cohort (its two days: 12 named, 24 more) has reached six months.
    assert six_months.invited.count == len(FIRST_COHORT) + SECOND_DAY_SIZE == 36
    # Attrition: fewer answer at six months than at the baseline, but some do.
    assert 0 < six_months.completed.count < trained[-7].completed.count
    assert trained[0].completed.count < trained[-7].completed.count
    answered = Response.objects.filter(
        plan=plan, group="trained", wave__offset_days=182, submitted_at__isnull=False
    )
    assert answered.count() == six_months.completed.count
    assert all(r.answers.get("tip-practice-change") for r in answered)
    linked = next(r for r in figures.links if r.group == "trained" and r.later.offset_days == 182)
    assert linked.linked.count >= 1
    comparison = {r.wave.offset_days: r for r in figures.rows if r.group == "comparison"}
    assert comparison[182].completed.count >= 1

    invitations = Invitation.objects.filter(wave__plan=plan).count()
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "Demo survey collection already there." in again.getvalue()
    assert Booking.objects.filter(session__title=FIRST_COHORT_TITLE).count() == 12
    assert Invitation.objects.filter(wave__plan=plan).count() == invitations


@pytest.mark.django_db
def test_the_demo_answers_carry_an_effect_and_the_facts_matching_needs() -> None:
    """The report has something to find: the trained group's scores rise after the session more
    than the comparison cohort's, and every baseline answer says who the person is."""
    call_command("seed_demo", stdout=io.StringIO())
    plan = EvaluationPlan.objects.get(programme__name=NAME)
    instrument = shipped_instrument("tip-kac")
    means: dict[tuple[str, int], float] = {}
    for group in ("trained", "comparison"):
        for offset in (-7, 0):
            scores = [
                score(instrument, r.answers["tip-kac"]).values()["confidence"]
                for r in Response.objects.filter(
                    plan=plan, group=group, wave__offset_days=offset, submitted_at__isnull=False
                )
            ]
            found = [s for s in scores if s is not None]
            assert len(found) >= 10
            means[group, offset] = sum(found) / len(found)
    trained_gain = means["trained", 0] - means["trained", -7]
    comparison_gain = means["comparison", 0] - means["comparison", -7]
    assert trained_gain > 0.1 and trained_gain > comparison_gain + 0.05

    baselines = Response.objects.filter(
        plan=plan, wave__kind="baseline", submitted_at__isnull=False
    )
    assert baselines.exists()
    for response in baselines:
        assert {"sector", "role", "years_in_role", "prior_training"} <= set(response.covariates)
    later = Response.objects.filter(plan=plan, wave__offset_days=0, submitted_at__isnull=False)
    assert all(r.covariates == {} for r in later)
