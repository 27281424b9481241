"""What the train-the-trainer cascade tells a programme's readiness check (docs/readiness.md,
docs/training-cascade.md).

Registered from TrainingConfig.ready() through tip.programmes.readiness.register_fact_provider.
For a programme whose courses include a train-the-trainer course, ``quality_assurance`` (a
planning question's id, so the recorded fact outranks the planned answer) is:

* true when every trainer certified on the programme's courses has been observed since their
  certification, or is not yet due an observation;
* false when any certification has lapsed;
* not known (no value: the planning answer decides) when nobody is certified yet, or some are
  due an observation without having lapsed.

The evidence names the counts. Two queries, whatever the number of trainers.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tip.programmes.models import Programme
from tip.programmes.readiness import RECORDED, Fact
from tip.training.analysis.cascade import CERTIFIED, LAPSED, Standing, qa_summary
from tip.training.models_courses import Course
from tip.training.selectors_cascade import cascade_entries


def _rank(s: Standing) -> int:
    """How badly a standing speaks for quality assurance: a trainer certified on several of the
    programme's courses counts once, by their worst."""
    if s.status == LAPSED:
        return 0
    if not s.observed and s.status != CERTIFIED:
        return 1  # due, never observed
    return 2


def cascade_facts(programme: Programme) -> Iterator[Fact]:
    cascaded = list(
        Course.objects.filter(
            programme=programme, partnership_id=programme.partnership_id, train_the_trainer=True
        )
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    if not cascaded:
        return
    entries = cascade_entries(partnership=programme.partnership, programme=programme)
    source = _("Train-the-trainer cascade")
    worst: dict[int, Standing] = {}
    for e in entries:
        current = worst.get(e.trainer.pk)
        if current is None or _rank(e.standing) < _rank(current):
            worst[e.trainer.pk] = e.standing
    course_id = entries[0].course.pk if entries else cascaded[0][0]
    link = reverse("training:course-cascade", kwargs={"course_id": course_id})
    summary = qa_summary(worst.values())
    if not summary.trainers:
        yield Fact(
            "quality_assurance",
            None,
            _(
                "The programme has a train-the-trainer course (“%(name)s”), but no trainers are "
                "recorded as certified on its courses yet."
            )
            % {"name": cascaded[0][1]},
            source,
            weight=RECORDED,
            link=link,
        )
        return
    counts = ngettext(
        "Of %(count)d trainer certified on the programme's courses, ",
        "Of %(count)d trainers certified on the programme's courses, ",
        summary.trainers,
    ) % {"count": summary.trainers} + _(
        "%(observed)d observed since certification, %(not_due)d not yet due an observation, "
        "%(due)d due an observation and %(lapsed)d lapsed."
    ) % {
        "observed": summary.observed,
        "not_due": summary.not_yet_due,
        "due": summary.due,
        "lapsed": summary.lapsed,
    }
    yield Fact(
        "quality_assurance",
        summary.in_place,
        counts,
        source,
        weight=RECORDED,
        link=link,
    )
