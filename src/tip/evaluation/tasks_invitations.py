"""Background work for survey invitations, run by the task queue's worker. Each task is safe to
run early, late or twice: the services claim the invitation under a row lock first.

* ``send_survey_invitation`` and ``send_survey_reminder``: queued with ``run_after`` for their
  moments when an invitation is created.
* ``evaluation_sweep``: brings every plan up to date, sends, reminds and closes what is due.
  The services queue it for each moment invitations close (services_invitations
  ``_schedule_sweeps``, as training's services queue ``bookings_sweep``); `tip evaluation-sweep`
  runs the same from a timer as the safety net.

The test settings use the immediate backend, which cannot defer: ``schedule`` then does nothing
and tests call the sweep with the time they want."""

from __future__ import annotations

from django_tasks import task


@task()
def send_survey_invitation(*, invitation_id: int) -> bool:
    from tip.evaluation.services_invitations import send_invitation

    return send_invitation(invitation_id=invitation_id)


@task()
def send_survey_reminder(*, invitation_id: int) -> bool:
    from tip.evaluation.services_invitations import send_reminder

    return send_reminder(invitation_id=invitation_id)


@task()
def evaluation_sweep() -> dict[str, int]:
    from tip.evaluation.services_invitations import sweep

    return sweep()
