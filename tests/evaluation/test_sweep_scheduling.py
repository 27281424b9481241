"""The worker runs the evaluation sweeps when something falls due, as training's services wake
theirs: creating invitations queues the invitation sweep for each moment they close and the
retention sweep for the start of each respondent's retention date, once per moment, after the
transaction commits; nothing new, nothing queued."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import World
from tests.evaluation.invitation_helpers import Collecting
from tip.evaluation import retention
from tip.evaluation import services_invitations as s
from tip.evaluation.models_collection import Invitation, Respondent
from tip.evaluation.tasks_invitations import evaluation_sweep, send_survey_invitation
from tip.evaluation.tasks_retention import evaluation_retention_sweep
from tip.training import tasks_bookings

DAY = date(2030, 3, 20)


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, datetime, dict[str, Any]]]:
    queued: list[tuple[Any, datetime, dict[str, Any]]] = []
    monkeypatch.setattr(
        tasks_bookings, "schedule", lambda task, when, **kw: queued.append((task, when, kw)) or True
    )
    return queued


def test_new_invitations_wake_the_sweeps_when_they_close_and_at_the_retention_date(
    world_a: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    queued = _recording(monkeypatch)
    c = Collecting(world_a, day=DAY, people=2)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        s.sync_respondents(c.evaluation, now=now)

    sweeps = [when for task, when, _kw in queued if task is evaluation_sweep]
    closings = sorted(set(Invitation.objects.values_list("closes_at", flat=True)))
    assert sweeps == closings and len(sweeps) == 3  # three waves, both people alike: once each

    retirements = [when for task, when, _kw in queued if task is evaluation_retention_sweep]
    promised = {retention.retention_date(r) for r in Respondent.objects.all()}
    # Each person's date: the day their own last invitation closes (the six-month wave; the
    # year's wave has no instrument), plus the plan's retention.
    last_closes = timezone.localtime(max(closings), retention.LONDON).date()
    assert promised == {last_closes + timedelta(days=c.evaluation.retention_days)}
    assert retirements == [retention.retention_moment(d) for d in sorted(promised)]
    assert len(retirements) == 1 and retirements[0].date() == promised.pop()

    sends = [kw["invitation_id"] for task, _when, kw in queued if task is send_survey_invitation]
    assert sorted(sends) == sorted(Invitation.objects.values_list("pk", flat=True))

    # Nothing new: nothing queued again.
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s.sync_respondents(c.evaluation, now=now)
    assert queued == []


def test_the_backend_that_cannot_defer_queues_nothing_and_the_tasks_run_the_sweeps(
    world_a: World,
) -> None:
    # The test settings' immediate backend cannot defer: `schedule` queues nothing...
    assert tasks_bookings.schedule(evaluation_sweep, datetime(2030, 1, 1, tzinfo=UTC)) is False
    assert (
        tasks_bookings.schedule(evaluation_retention_sweep, datetime(2030, 1, 1, tzinfo=UTC))
        is False
    )
    # ...and the tasks run the same sweeps as the commands.
    Collecting(world_a, day=DAY, people=1)
    assert evaluation_sweep.enqueue().return_value["respondents"] == 1
    assert evaluation_retention_sweep.enqueue().return_value["respondents"] == 0
