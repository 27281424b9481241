"""Response and link rates per wave: the figures, small counts withheld from evaluators but exact
for leads, a fixed number of queries, and the pages and API (tenancy 404, no tokens, audit)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import World, signed_in_client
from tests.core.test_api import call, token_for
from tests.evaluation.invitation_helpers import Collecting, london
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.evaluation import selectors_invitations as reads
from tip.evaluation import services_invitations as s
from tip.evaluation.models_collection import Invitation, InvitationStatus

DAY = date(2030, 3, 20)


def _answered(c: Collecting, offset: int, completed: int) -> None:
    """Send the wave's invitations, then mark the first ``completed`` as completed."""
    for i, invitation in enumerate(
        Invitation.objects.filter(respondent__plan=c.evaluation, wave__offset_days=offset)
    ):
        invitation.sent_at = london(DAY)
        invitation.status = InvitationStatus.SENT
        if i < completed:
            invitation.status = InvitationStatus.COMPLETED
            invitation.started_at = invitation.completed_at = london(DAY)
        invitation.save()


def _collected(world: World, people: int = 8) -> Collecting:
    c = Collecting(world, day=DAY, people=people)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    _answered(c, -7, 6)
    _answered(c, 0, 3)
    return c


def test_rates_per_wave_and_the_identified_link_rate(world_a: World) -> None:
    c = _collected(world_a)
    found = reads.rates(plan=c.evaluation, exact=True)
    rows = {(r.wave.offset_days, r.group): r for r in found.rows}
    baseline = rows[(-7, "trained")]
    assert (baseline.invited.shown, baseline.completed.shown, baseline.rate) == (8, 6, 75)
    assert rows[(0, "trained")].rate == 38  # 3 of 8
    assert rows[(182, "trained")].scheduled.shown == 8 and rows[(182, "trained")].rate is None
    link = found.links[0]
    # The first 3 completed both: of the 6 at the baseline, 3 linked.
    assert (link.answered.shown, link.linked.shown, link.rate) == (6, 3, 50)


def test_small_counts_are_withheld_from_evaluators_only(world_a: World) -> None:
    c = _collected(world_a)
    withheld = reads.rates(plan=c.evaluation, exact=False)
    post = next(r for r in withheld.rows if r.wave.offset_days == 0)
    assert post.completed.shown is None and post.rate is None and withheld.withheld
    assert post.invited.shown == 8
    exact = reads.rates(plan=c.evaluation, exact=True)
    assert not exact.withheld


def test_the_rates_page_shows_counts_and_withholds_for_evaluators(world_a: World) -> None:
    c = _collected(world_a)
    url = f"/evaluation/programmes/{c.programme.pk}/rates/"
    evaluator = signed_in_client(world_a.user(Role.EVALUATOR))
    lead = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    seen = evaluator.get(url).content.decode()
    assert "75% (6 of 8)" in seen and "1 to 4" in seen and "38%" not in seen
    assert c.people[0].user.full_name not in seen
    assert "38% (3 of 8)" in lead.get(url).content.decode()
    practitioner = signed_in_client(world_a.user(Role.PRACTITIONER))
    assert practitioner.get(url).status_code == 403


def test_the_rates_page_runs_a_fixed_number_of_queries(world_a: World) -> None:
    c = _collected(world_a, people=2)
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = f"/evaluation/programmes/{c.programme.pk}/rates/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        c.book(c.session, f"Later Person {n}")
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    _answered(c, -7, 9)
    _answered(c, 0, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_another_partnerships_plan_and_cohort_answer_404(world_a: World, world_b: World) -> None:
    c = _collected(world_a, people=1)
    cohort = s.cohort_create(plan=c.evaluation, name="Comparison", reference_date=DAY, by=c.lead)
    client = signed_in_client(world_b.user(Role.PROGRAMME_LEAD))
    for url in (
        f"/evaluation/programmes/{c.programme.pk}/rates/",
        f"/evaluation/programmes/{c.programme.pk}/invitations/",
        f"/evaluation/cohorts/{cohort.pk}/",
        f"/evaluation/cohorts/{cohort.pk}/members/",
    ):
        assert client.get(url).status_code == 404, url
    key = token_for(world_b.members[Role.EVALUATOR])
    assert call("get", f"/api/evaluation/cohorts/{cohort.pk}", key).status_code == 404
    assert call("get", f"/api/evaluation/programmes/{c.programme.pk}/rates", key).status_code == 404


def test_the_api_lists_invitations_without_tokens_and_manages_cohorts(world_a: World) -> None:
    c = _collected(world_a, people=2)
    key = token_for(world_a.members[Role.EVALUATOR])
    body = call("get", f"/api/evaluation/programmes/{c.programme.pk}/invitations", key).json()
    assert body["counts"]["completed"] == 4 and len(body["invitations"]) == 6
    text = str(body)
    assert "digest" not in text and "token" not in text and "@" not in text
    rates = call("get", f"/api/evaluation/programmes/{c.programme.pk}/rates", key).json()
    assert rates["exact"] is False
    assert rates["waves"][0]["completed"] == {"count": None, "withheld": True}
    url = f"/api/evaluation/programmes/{c.programme.pk}/cohorts"
    made = call("post", url, key, {"name": "Next year", "reference_date": "2030-06-01"})
    assert made.status_code == 201
    cohort_id = made.json()["id"]
    refused = call(
        "post",
        f"/api/evaluation/cohorts/{cohort_id}/members",
        key,
        {"emails": "ok@example.org\nnope"},
    )
    assert refused.status_code == 422 and "Line 2" in str(refused.json())
    added = call(
        "post", f"/api/evaluation/cohorts/{cohort_id}/members", key, {"emails": "ok@example.org"}
    )
    assert added.json() == {"added": 1}
    assert call("delete", f"/api/evaluation/cohorts/{cohort_id}", key).status_code == 204
    assert set(
        AuditEntry.objects.filter(via="api", object_type="evaluation.ComparisonCohort").values_list(
            "action", flat=True
        )
    ) >= {"create", "delete"}


def test_cohort_pages_add_members_all_or_nothing(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=0)
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    made = client.post(
        f"/evaluation/programmes/{c.programme.pk}/cohorts/new/",
        {"name": "Next year", "reference_date": "1/6/2030"},
    )
    assert made.status_code == 302
    cohort_id = int(made["Location"].split("/")[-3])
    refused = client.post(
        f"/evaluation/cohorts/{cohort_id}/members/emails/",
        {"emails": "a@example.org\na@example.org"},
    )
    assert refused.status_code == 400
    assert "Line 2: the same address is on line 1" in refused.content.decode()
    page = client.get(f"/evaluation/cohorts/{cohort_id}/members/")
    assert page.status_code == 200
    assert AuditEntry.objects.filter(action="view", object_type="evaluation.ComparisonCohort")
