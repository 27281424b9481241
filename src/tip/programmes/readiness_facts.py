"""What the programmes app itself tells the readiness check: the planning answers, who the
programme is for, its co-design record and its Theory of Change. Registered in apps.py through
the same extension point later apps use (tip.programmes.readiness.register_fact_provider)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tip.programmes.analysis.readiness import PLANNED, RECORDED, Fact
from tip.programmes.models import (
    CoDesignActivity,
    Element,
    ElementKind,
    Level,
    Participant,
    Programme,
    WorkforceGroup,
)
from tip.programmes.models_readiness import ReadinessAnswers
from tip.programmes.readiness_rules import NUMBER, YES_NO, load_rules


def _url(name: str, programme: Programme, anchor: str = "") -> str:
    url = reverse(f"programmes:{name}", kwargs={"programme_id": programme.pk})
    return url + (f"#{anchor}" if anchor else "")


def stored_answers(programme: Programme) -> dict[str, dict[str, object]]:
    row = ReadinessAnswers.objects.filter(programme=programme).only("answers").first()
    return dict(row.answers) if row else {}


def format_number(value: float) -> str:
    number = Decimal(str(value)).normalize()
    return formats.number_format(number if number % 1 else int(number), use_l10n=True)


def planning_answers(programme: Programme) -> Iterator[Fact]:
    """One fact per planning question: its answer, or not known yet."""
    rules = load_rules()
    answers = stored_answers(programme)
    source = _("Planning answers")
    for question in rules.questions:
        link = _url("readiness-plan", programme, f"id_{question.id}")
        stored = answers.get(question.id) or {}
        answer = stored.get("answer") if isinstance(stored, dict) else None
        details = str(stored.get("details") or "").strip() if isinstance(stored, dict) else ""
        label = question.label(_language())
        value: bool | float | None = None
        if question.type == YES_NO and answer in ("yes", "no"):
            value = answer == "yes"
            said = _("Yes") if value else _("No")
            evidence = _("“%(question)s” Answered: %(answer)s.") % {
                "question": label,
                "answer": said,
            }
            if details:
                evidence += " " + details
        elif (
            question.type == NUMBER
            and isinstance(answer, int | float)
            and not isinstance(answer, bool)
        ):
            value = float(answer)
            evidence = _("“%(question)s” Answered: %(number)s %(unit)s.") % {
                "question": label,
                "number": format_number(value),
                "unit": question.unit(_language()),
            }
        else:
            evidence = _("“%(question)s” Not answered yet.") % {"question": label}
        yield Fact(question.id, value, evidence, source, weight=PLANNED, link=link)


def _language() -> str:
    from tip.programmes.readiness import language

    return language()


def who_it_is_for(programme: Programme) -> Iterator[Fact]:
    source = _("Who the programme is for")
    link = _url("details-edit", programme)
    groups = list(programme.target_groups or [])
    if not groups:
        yield Fact(
            "senior_staff_included",
            None,
            _("The groups of staff the programme is for are not recorded yet."),
            source,
            weight=RECORDED,
            link=link,
        )
        return
    labels = dict(WorkforceGroup.choices)
    names = ", ".join(str(labels[g]) for g in groups if g in labels)
    yield Fact(
        "senior_staff_included",
        WorkforceGroup.SENIOR_LEADERS in groups,
        _("Groups of staff: %(groups)s.") % {"groups": names},
        source,
        weight=RECORDED,
        link=link,
    )


def codesign(programme: Programme) -> Iterator[Fact]:
    source = _("Co-design record")
    link = _url("codesign-list", programme)
    activities = list(
        CoDesignActivity.objects.filter(programme=programme).only("who_took_part", "held_on")
    )
    if not activities:
        message = _("No co-design activity is recorded yet.")
        yield Fact("codesign_practitioners", None, message, source, weight=RECORDED, link=link)
        yield Fact("codesign_young_people", None, message, source, weight=RECORDED, link=link)
        return

    def count(who: set[str]) -> tuple[int, str]:
        matching = [a for a in activities if who & set(a.who_took_part)]
        latest = max((a.held_on for a in matching), default=None)
        return len(matching), formats.date_format(latest) if latest else ""

    for key, who, some, none in (
        (
            "codesign_practitioners",
            {Participant.PRACTITIONERS},
            _(
                "Practitioners took part in %(count)d of the co-design activities recorded "
                "(%(total)d in all), most recently on %(date)s."
            ),
            _("Practitioners took part in none of the co-design activities recorded."),
        ),
        (
            "codesign_young_people",
            {Participant.YOUNG_PEOPLE, Participant.LIVED_EXPERIENCE},
            _(
                "Young people or others with lived experience took part in %(count)d of the "
                "co-design activities recorded (%(total)d in all), most recently on %(date)s."
            ),
            _(
                "Young people and others with lived experience took part in none of the "
                "co-design activities recorded."
            ),
        ),
    ):
        n, latest = count(set(who))
        values = {"count": n, "total": len(activities), "date": latest}
        evidence = some % values if n else none
        yield Fact(key, n > 0, evidence, source, weight=RECORDED, link=link)


def theory_of_change(programme: Programme) -> Iterator[Fact]:
    source = _("Theory of Change")
    link = _url("programme-detail", programme, "outcomes")
    levels = list(
        Element.objects.filter(programme=programme, kind=ElementKind.OUTCOME).values_list(
            "level", flat=True
        )
    )
    if not levels:
        yield Fact(
            "toc_organisational_outcomes",
            None,
            _("The Theory of Change has no outcomes yet."),
            source,
            weight=RECORDED,
            link=link,
        )
        return
    n = sum(1 for level in levels if level == Level.ORGANISATIONS)
    if n:
        evidence = ngettext(
            "The Theory of Change has %(count)d outcome for organisations and systems.",
            "The Theory of Change has %(count)d outcomes for organisations and systems.",
            n,
        ) % {"count": n}
    else:
        evidence = ngettext(
            "None of the Theory of Change's %(count)d outcome is for organisations and systems.",
            "None of the Theory of Change's %(count)d outcomes is for organisations and systems.",
            len(levels),
        ) % {"count": len(levels)}
    yield Fact("toc_organisational_outcomes", n > 0, evidence, source, weight=RECORDED, link=link)


PROVIDERS = (planning_answers, who_it_is_for, codesign, theory_of_change)
