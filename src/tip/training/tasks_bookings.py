"""Background work for bookings, run by the task queue's worker.

* ``send_booking_email``: one email, with a calendar invitation attached when there is one.
* ``bookings_sweep``: the idempotent sweep (expired offers move on, re-confirmation asks and
  releases, reminders, signposting after, check-in requests past their time deleted). Services
  schedule it with ``run_after`` at the moment something falls due; running it early, late or
  twice does no harm, and `tip booking-sweep` runs it from a timer for safety.
* ``purge_check_ins``: deletes private check-in requests whose time is up.

The test settings use the immediate backend, which cannot defer: ``schedule`` then does nothing
and tests call the sweep with the time they want.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_booking_email(
    *, subject: str, body: str, to: list[str], ics: str = "", ics_method: str = "REQUEST"
) -> int:
    message = EmailMessage(subject=subject, body=body, to=to)
    if ics:
        name = "cancel.ics" if ics_method == "CANCEL" else "invite.ics"
        message.attach(name, ics, f"text/calendar; method={ics_method}; charset=utf-8")
    return message.send()


@task()
def bookings_sweep() -> dict[str, int]:
    from tip.training.services_bookings import sweep

    return sweep()


@task()
def purge_check_ins() -> int:
    from tip.training.services_bookings import purge_check_in_requests

    return purge_check_in_requests()


def schedule(scheduled: Any, when: datetime, **kwargs: Any) -> bool:
    """Queue `scheduled` to run at `when` if the task backend can defer work; say whether it
    did."""
    if not scheduled.get_backend().supports_defer:
        return False
    scheduled.using(run_after=when).enqueue(**kwargs)
    return True
