"""What a programme's evaluation plan tells its readiness check (docs/evaluation-plan.md).

Registered from EvaluationConfig.ready() through tip.programmes.readiness.register_fact_provider.
All RECORDED, so they outrank the planning answers to the same questions:

* ``baseline_planned``: true when a baseline wave has at least one measure; false when the plan
  has measures but none at a baseline.
* ``latest_follow_up_months``: the latest wave on or after the session day that has a measure,
  in months to one decimal place (182 days is 6.0 months); the caution wants 6 or more.
* ``comparison_group_planned``: what the plan says.

A plan without measures says nothing known about the first two (their value is None, so the
planning answers decide); a programme without a plan gives facts without values, with a link to
make one. One query, whatever the plan's size.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from tip.evaluation import selectors
from tip.evaluation.models import Wave, WaveKind
from tip.programmes.models import Programme
from tip.programmes.readiness import RECORDED, Fact

FACTS = ("baseline_planned", "latest_follow_up_months", "comparison_group_planned")


def plan_facts(programme: Programme) -> Iterator[Fact]:
    # A plan always keeps a wave, so its waves (with the plan) are the whole story: one query.
    waves = list(
        Wave.objects.filter(plan__programme=programme, partnership_id=programme.partnership_id)
        .select_related("plan")
        .annotate(measure_count=Count("measures"))
        .order_by("offset_days", "pk")
    )
    plan = waves[0].plan if waves else None
    source = _("Evaluation plan")
    link = reverse("evaluation:plan", kwargs={"programme_id": programme.pk})
    if plan is None:
        for key in FACTS:
            yield Fact(
                key, None, _("The programme has no evaluation plan yet."), source, RECORDED, link
            )
        return
    measured = [w for w in waves if w.measure_count]
    if not measured:
        text = _("The evaluation plan has no instruments at any wave yet.")
        yield Fact("baseline_planned", None, text, source, RECORDED, link)
        yield Fact("latest_follow_up_months", None, text, source, RECORDED, link)
    else:
        baselines = [w for w in measured if w.kind == WaveKind.BASELINE]
        if baselines:
            yield Fact(
                "baseline_planned",
                True,
                _("The evaluation plan measures at the baseline %(wave)s (%(when)s).")
                % {"wave": baselines[0].name, "when": selectors.timing(baselines[0].offset_days)},
                source,
                RECORDED,
                link,
            )
        else:
            yield Fact(
                "baseline_planned",
                False,
                _("No baseline wave of the evaluation plan has an instrument."),
                source,
                RECORDED,
                link,
            )
        after = [w for w in measured if w.offset_days >= 0]
        if after:
            latest = after[-1]
            yield Fact(
                "latest_follow_up_months",
                selectors.months(latest.offset_days),
                _("The evaluation plan last measures at %(wave)s: %(when)s.")
                % {"wave": latest.name, "when": selectors.timing(latest.offset_days)},
                source,
                RECORDED,
                link,
            )
        else:
            yield Fact(
                "latest_follow_up_months",
                None,
                _("The evaluation plan has no instrument on or after the session day."),
                source,
                RECORDED,
                link,
            )
    if plan.comparison_group:
        evidence = _("The evaluation plan has a comparison group: %(about)s") % {
            "about": plan.comparison_description
        }
    else:
        evidence = _("The evaluation plan has no comparison group.")
    yield Fact("comparison_group_planned", plan.comparison_group, evidence, source, RECORDED, link)
