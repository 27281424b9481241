"""What the training courses tell a programme's readiness check (docs/readiness.md).

Registered from TrainingConfig.ready() through tip.programmes.readiness.register_fact_provider,
so `programmes` never imports `training`. For a programme with courses:

* ``course_hours``: the shortest course's length, recorded, so it outranks the planned answer.
  The guidance doubts that any course shorter than a day is enough, so the shortest one decides.
* ``follow_up_planned``: true, recorded, when a course defines follow-up or refresher
  activities. When none does, the fact is given as evidence without a value: follow-up can be
  planned outside the courses (champions, communities of practice), so the planning answer
  still decides.
* ``senior_staff_included``: true when a course is for senior leaders, as more evidence beside
  who the programme itself is for (the programme's own record, given first, decides a tie).

One query, whatever the number of courses.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tip.programmes.models import Programme, WorkforceGroup
from tip.programmes.readiness import RECORDED, Fact
from tip.training.models_courses import Course


def _course_url(course: Course, anchor: str = "") -> str:
    url = reverse("training:course-detail", kwargs={"course_id": course.pk})
    return url + (f"#{anchor}" if anchor else "")


def course_facts(programme: Programme) -> Iterator[Fact]:
    courses = list(
        Course.objects.filter(programme=programme, partnership_id=programme.partnership_id)
        .annotate(follow_up_count=Count("follow_ups"))
        .only("pk", "name", "hours", "audience_groups")
        .order_by("hours", "name", "pk")
    )
    if not courses:
        return
    source = _("Training courses")
    shortest = courses[0]
    if len(courses) == 1:
        evidence = _("The programme's course, “%(name)s”, is %(length)s long.") % {
            "name": shortest.name,
            "length": shortest.length_text,
        }
    else:
        evidence = _(
            "The shortest of the programme's %(count)d courses, “%(name)s”, is %(length)s long."
        ) % {"count": len(courses), "name": shortest.name, "length": shortest.length_text}
    yield Fact(
        "course_hours",
        float(shortest.hours),
        evidence,
        source,
        weight=RECORDED,
        link=_course_url(shortest),
    )

    followed = [c for c in courses if getattr(c, "follow_up_count", 0)]
    if followed:
        names = ", ".join(f"“{c.name}”" for c in followed)
        yield Fact(
            "follow_up_planned",
            True,
            ngettext(
                "%(count)d course defines follow-up or refresher activities: %(names)s.",
                "%(count)d courses define follow-up or refresher activities: %(names)s.",
                len(followed),
            )
            % {"count": len(followed), "names": names},
            source,
            weight=RECORDED,
            link=_course_url(followed[0], "follow-ups"),
        )
    else:
        yield Fact(
            "follow_up_planned",
            None,
            _("None of the programme's courses defines follow-up or refresher activities yet."),
            source,
            weight=RECORDED,
            link=_course_url(shortest, "follow-ups"),
        )

    senior = [c for c in courses if WorkforceGroup.SENIOR_LEADERS in (c.audience_groups or [])]
    if senior:
        yield Fact(
            "senior_staff_included",
            True,
            _("Senior leaders are among the audience of the course “%(name)s”.")
            % {"name": senior[0].name},
            source,
            weight=RECORDED,
            link=_course_url(senior[0]),
        )
