"""Background work for follow-up invitations, run by the task queue's worker.

* ``send_follow_up_invitation``: queued with ``run_after`` for the morning an invitation is due;
  it sends the invitation unless it was sent already, cancelled or recorded.
* ``send_follow_up_reminder``: queued the same way for the morning its reminder is due; it sends
  the reminder unless it was sent already, the due day has come or an outcome is recorded.
* ``follow_ups_sweep``: sends every invitation and reminder due and unsent (`tip
  follow-up-sweep` runs the same from a timer, as a safety net). Running any twice does no harm.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_follow_up_invitation(*, invitation_id: int) -> bool:
    from tip.training.services_followups import send_invitation

    return send_invitation(invitation_id=invitation_id)


@task()
def send_follow_up_reminder(*, invitation_id: int) -> bool:
    from tip.training.services_followups import send_reminder

    return send_reminder(invitation_id=invitation_id)


@task()
def follow_ups_sweep() -> dict[str, int]:
    from tip.training.services_followups import sweep

    return sweep()
