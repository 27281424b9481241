"""The demo's survey collection: the sample programme's trained group has answers at the
baseline, straight after and six months (from the first cohort, trained about seven months ago),
the comparison cohort too, with attrition; seeding again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tip.core.models import User
from tip.evaluation import selectors_invitations as reads
from tip.evaluation.demo_collection import FIRST_COHORT, FIRST_COHORT_TITLE
from tip.evaluation.models_collection import Invitation, Respondent, Response
from tip.evaluation.models_plan import EvaluationPlan
from tip.programmes.demo import NAME
from tip.training.models_bookings import Attendance, Booking


@pytest.mark.django_db
def test_the_demo_has_six_month_answers_from_the_trained_group_once() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "a first cohort of 12 trained seven months ago" in out.getvalue()
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
    assert six_months.invited.count == 12  # only the first cohort has reached six months
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
