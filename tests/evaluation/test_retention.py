"""The retention schedule, person by person: nothing of a respondent changes before the date
their consent page promised; from it, their links stop working, their email, booking and codes
go and their free text is removed, the respondent row stays; observations' notes follow the
plan's own date; audited as TIP's own change; a second run changes nothing; a dry run only
counts."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.evaluation.export_helpers import answered, observed
from tests.evaluation.plan_helpers import Planned
from tests.evaluation.survey_helpers import make_survey
from tip.core.models import AuditEntry
from tip.evaluation import retention, survey_services
from tip.evaluation.links import invitation_for_token
from tip.evaluation.models import EvaluationPlan, Invitation, Observation, Respondent, Response
from tip.evaluation.services_invitations import closes_at, opens_at


def _person(plan: EvaluationPlan, email: str, promised: datetime.date) -> Respondent:
    """A trained respondent whose retention date is ``promised``."""
    kept = retention.last_wave_offset(plan) + plan.days_open + plan.retention_days
    return Respondent.objects.create(
        partnership_id=plan.partnership_id,
        plan=plan,
        group="trained",
        email=email,
        anchor_date=promised - datetime.timedelta(days=kept),
    )


def _answered(plan: EvaluationPlan, respondent: Respondent, **values: object) -> Response:
    """The respondent's answers at the baseline, invited when their baseline was."""
    closes = closes_at(opens_at(respondent.anchor_date, -7), plan.days_open)
    wave = plan.waves.get(offset_days=-7)
    return answered(plan, wave, respondent=respondent, closes_at=closes, **values)  # type: ignore[arg-type]


def _setup(world: World, promised_in_days: int):  # type: ignore[no-untyped-def]
    plan = Planned(world).plan()
    plan.retention_days = 30
    plan.save()
    ann = _person(plan, "ann@example.org", retention.today() + datetime.timedelta(promised_in_days))
    response = _answered(plan, ann, code_hashes={"mother": "abc"})
    observed(plan)
    return plan, response


def test_nothing_of_a_person_changes_before_their_date(world_a: World) -> None:
    plan, response = _setup(world_a, promised_in_days=1)
    assert retention.is_due(plan)  # the plan's own date (its last invitation closed) has passed
    totals = retention.retention_sweep()
    # Only the observation's notes, which are nobody's, follow the plan's date.
    assert totals.as_dict() == {
        "plans": 1,
        "invitations": 0,
        "respondents": 0,
        "code_hashes": 0,
        "free_text_answers": 0,
        "observation_notes": 1,
    }
    response.refresh_from_db()
    assert response.code_hashes and "most_useful" in response.answers["tip-feedback"]
    assert Respondent.objects.get().email == "ann@example.org"
    assert not Invitation.objects.get().link_digest.startswith("retired-")


def test_from_their_date_identifiers_and_free_text_go_and_it_is_idempotent(
    world_a: World,
) -> None:
    _plan, response = _setup(world_a, promised_in_days=0)
    digest = Invitation.objects.get().link_digest
    totals = retention.retention_sweep()
    assert totals.as_dict() == {
        "plans": 1,
        "invitations": 1,
        "respondents": 1,
        "code_hashes": 1,
        "free_text_answers": 1,
        "observation_notes": 1,
    }
    invitation = Invitation.objects.get()
    assert invitation.link_digest != digest and invitation.link_digest.startswith("retired-")
    assert invitation_for_token("anything") is None
    respondent = Respondent.objects.get()
    assert (respondent.email, respondent.booking_id, respondent.membership_id) == ("", None, None)
    response.refresh_from_db()
    assert response.respondent_id == respondent.pk  # the waves stay linked
    assert response.code_hashes is None
    assert response.answers["tip-feedback"] == {"engaged": 5}
    assert response.answers["tip-kac"] == {"k01": "true", "a01": 4, "a02": 2}
    assert Observation.objects.get().notes == ""
    entries = AuditEntry.objects.filter(via="retention")
    assert entries.count() == 4 and all(e.actor is None for e in entries)
    # A second run changes nothing and records nothing.
    again = retention.retention_sweep()
    assert not again.changed and AuditEntry.objects.filter(via="retention").count() == 4
    assert Invitation.objects.get().link_digest == invitation.link_digest


def test_two_people_with_different_dates_only_the_earlier_is_retired(world_a: World) -> None:
    plan = Planned(world_a).plan()
    today = retention.today()
    ann = _person(plan, "ann@example.org", today - datetime.timedelta(days=1))
    bob = _person(plan, "bob@example.org", today + datetime.timedelta(days=1))
    anns = _answered(plan, ann, code_hashes={"mother": "a"})
    bobs = _answered(plan, bob, code_hashes={"mother": "b"})

    totals = retention.retention_sweep()
    assert (totals.respondents, totals.invitations, totals.code_hashes) == (1, 1, 1)
    ann.refresh_from_db()
    bob.refresh_from_db()
    anns.refresh_from_db()
    bobs.refresh_from_db()
    assert (
        ann.email == ""
        and anns.code_hashes is None
        and "most_useful" not in anns.answers["tip-feedback"]
    )
    assert bob.email == "bob@example.org" and bobs.code_hashes == {"mother": "b"}
    assert "most_useful" in bobs.answers["tip-feedback"]
    assert not Invitation.objects.get(respondent=bob).link_digest.startswith("retired-")
    # Two days on, Bob's date has come too.
    later = timezone.now() + datetime.timedelta(days=2)
    assert retention.retention_sweep(now=later).respondents == 1
    bob.refresh_from_db()
    assert bob.email == ""


def test_the_consent_page_shows_the_date_retention_deletes_by(
    world_a: World, client: Client
) -> None:
    survey = make_survey(world_a)
    respondent = survey.invitation.respondent
    promised = survey_services.retention_date(survey.invitation)
    assert promised == retention.retention_date(respondent)
    text = client.get(survey.start, follow=True).content.decode()
    assert f"by {promised.day} {promised:%B %Y}" in text
    # Deleted from the start of that day in London, not a moment before.
    start = retention.retention_moment(promised)
    assert retention.retention_sweep(now=start - datetime.timedelta(seconds=1)).respondents == 0
    assert Respondent.objects.get().membership_id is not None
    assert retention.retention_sweep(now=start).respondents == 1
    assert Respondent.objects.get().membership_id is None


def test_a_plan_without_invitations_counts_from_its_last_response(world_a: World) -> None:
    plan, response = _setup(world_a, promised_in_days=1)
    Invitation.objects.all().delete()
    Observation.objects.all().delete()
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=20)
    )
    assert not retention.is_due(plan)
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=40)
    )
    assert retention.is_due(plan)


def test_answers_of_nobody_follow_the_plans_date(world_a: World) -> None:
    plan, response = _setup(world_a, promised_in_days=1)
    Response.objects.filter(pk=response.pk).update(respondent=None)
    assert retention.is_due(plan)
    totals = retention.retention_sweep()
    assert (totals.code_hashes, totals.free_text_answers, totals.respondents) == (1, 1, 0)
    response.refresh_from_db()
    assert response.code_hashes is None and "most_useful" not in response.answers["tip-feedback"]
    assert Respondent.objects.get().email == "ann@example.org"  # their own date is tomorrow


def test_the_dry_run_counts_and_changes_nothing(world_a: World) -> None:
    _plan, response = _setup(world_a, promised_in_days=-1)
    out = StringIO()
    call_command("evaluation_retention", "--dry-run", stdout=out)
    assert "dry run" in out.getvalue() and "respondents: 1" in out.getvalue()
    response.refresh_from_db()
    assert response.code_hashes and Respondent.objects.get().email == "ann@example.org"
    assert not AuditEntry.objects.filter(via="retention").exists()
    call_command("evaluation_retention", stdout=StringIO())
    assert Respondent.objects.get().email == ""
