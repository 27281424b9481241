"""What attendance and follow-up invitations tell a programme's readiness check
(docs/readiness.md, docs/training-followups.md).

Registered from TrainingConfig.ready() after the courses' provider, through
tip.programmes.readiness.register_fact_provider. Both facts are RECORDED, and registered last,
so on a tie the facts given before them decide (ADR 0006: the first given wins a tie) and these
are shown as evidence beside them:

* ``senior_staff_included``: true when someone who said, when booking, that they are a senior
  leader has attended (in full or in part) a session of one of the programme's courses. The
  programme's own record of who it is for is given first and so decides when it has a value:
  the criterion and its advice are about who the programme is for, and a lead whose record
  leaves out senior leaders who came anyway should correct the record (the evidence says how
  many came). When the record is empty, this fact decides. When people have attended but none
  said they were a senior leader, the fact is evidence without a value (the group of staff is
  optional when booking, so it proves nothing).
* ``follow_up_planned``: true when follow-up invitations have been scheduled for the
  programme's participants, with how many and how many completed so far. Invitations exist only
  for a course that defines follow-up activities, so the courses' fact (given first) is
  already true and decides; this adds what has happened since.

Two queries, whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tip.programmes.models import Programme
from tip.programmes.readiness import RECORDED, Fact
from tip.training import selectors_followups as selectors


def followup_facts(programme: Programme) -> Iterator[Fact]:
    attendance = selectors.programme_attendance(programme=programme)
    source = _("Training attendance")
    if attendance.senior_leaders:
        evidence = ngettext(
            "%(count)d senior leader has attended a session of the programme's courses",
            "%(count)d senior leaders have attended a session of the programme's courses",
            attendance.senior_leaders,
        ) % {"count": attendance.senior_leaders}
        if attendance.senior_leaders_in_part:
            evidence += " " + _("(%(count)d in part only)") % {
                "count": attendance.senior_leaders_in_part
            }
        evidence += ", " + ngettext(
            "of %(count)d person who attended.",
            "of %(count)d people who attended.",
            attendance.people,
        ) % {"count": attendance.people}
        yield Fact(
            "senior_staff_included",
            True,
            evidence,
            source,
            weight=RECORDED,
            link=reverse("training:record-list"),
        )
    elif attendance.people:
        yield Fact(
            "senior_staff_included",
            None,
            ngettext(
                "%(count)d person has attended a session of the programme's courses; none said "
                "they were a senior leader when booking.",
                "%(count)d people have attended a session of the programme's courses; none said "
                "they were a senior leader when booking.",
                attendance.people,
            )
            % {"count": attendance.people},
            source,
            weight=RECORDED,
            link=reverse("training:record-list"),
        )

    counts, people = selectors.programme_counts(programme=programme)
    if counts.total:
        evidence = ngettext(
            "%(count)d follow-up invitation has been scheduled for ",
            "%(count)d follow-up invitations have been scheduled for ",
            counts.total,
        ) % {"count": counts.total} + ngettext(
            "%(people)d participant: ", "%(people)d participants: ", people
        ) % {"people": people}
        evidence += _(
            "%(completed)d completed, %(declined)d declined, %(missed)d missed, %(invited)d "
            "invited and waiting, %(scheduled)d still to send."
        ) % {
            "completed": counts.completed,
            "declined": counts.declined,
            "missed": counts.missed,
            "invited": counts.invited,
            "scheduled": counts.scheduled,
        }
        yield Fact(
            "follow_up_planned",
            True,
            evidence,
            _("Follow-up invitations"),
            weight=RECORDED,
        )
