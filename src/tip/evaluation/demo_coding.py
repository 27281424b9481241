"""The demo's qualitative coding for Northshire's sample programme: a codebook of five codes under
two themes, the free-text answers of the demo's surveys coded by the evaluator, and a
double-coding sample of twelve texts coded again by the programme lead, who reads two of the
codes a little differently (``SECOND_CODER``), so the agreement page has a Cohen's kappa worth
reading.

The codes are applied by simple rules on the demo's own sentences (``RULES``): the demo's texts
are a handful of fixed sentences (``demo_collection.FREE_TEXT``), so the rules stand in for a
person reading them. Idempotent: once the plan has a code nothing is done.
"""

from __future__ import annotations

from django.db import transaction

from tip.core.models import User
from tip.evaluation import selectors_coding as reads
from tip.evaluation import services_coding as writes
from tip.evaluation.models import EvaluationPlan
from tip.evaluation.models_coding import Code
from tip.programmes.demo import LEAD, NAME, PARTNERSHIP

EVALUATOR = "evaluator@northshire.example"
SAMPLE_SIZE = 12
# (theme, code, definition, words that show it in the demo's sentences)
RULES: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "Support for staff",
        "Supervision and reflective time",
        "Asks for, or describes, time to reflect with colleagues or a supervisor.",
        ("supervision", "talk it through", "checks in"),
    ),
    (
        "Support for staff",
        "Emotional load",
        "Describes the strain of the work on the person themselves.",
        ("hard after", "difficult shift"),
    ),
    (
        "Changes in practice",
        "Curiosity about what happened",
        "Asking what happened to someone rather than what is wrong with them.",
        ("what happened",),
    ),
    (
        "Changes in practice",
        "Staying regulated",
        "Keeping calm, or helping someone else regulate, in a crisis.",
        ("calm", "regulation"),
    ),
    (
        "Changes in practice",
        "Barriers in systems",
        "Processes, time or rules that get in the way of trauma-informed practice.",
        ("custody process", "so little time"),
    ),
]
# The second coder reads two codes a little differently: the strain of the work includes asking
# for supervision, and checking in after incidents is not reflective time to them.
SECOND_CODER = {
    "Emotional load": ("hard after", "difficult shift", "supervision"),
    "Supervision and reflective time": ("supervision", "talk it through"),
}


def seed_demo_coding() -> str:
    plan = EvaluationPlan.objects.filter(
        programme__partnership__name=PARTNERSHIP, programme__name=NAME
    ).first()
    evaluator = User.objects.filter(email=EVALUATOR).first()
    lead = User.objects.filter(email=LEAD).first()
    if plan is None or evaluator is None or lead is None:
        return "Demo qualitative coding skipped: the sample programme's plan is missing."
    if Code.objects.filter(plan=plan).exists():
        return "Demo qualitative coding already there."
    texts = reads.texts(plan)
    with transaction.atomic():
        themes: dict[str, Code] = {}
        codes: list[tuple[Code, tuple[str, ...]]] = []
        for theme, label, definition, words in RULES:
            if theme not in themes:
                themes[theme] = writes.code_create(plan=plan, by=evaluator, label=theme)
            code = writes.code_create(
                plan=plan,
                by=evaluator,
                label=label,
                description=definition,
                parent=themes[theme],
            )
            codes.append((code, words))
        for text in texts:
            writes.coding_set(
                plan=plan, text=text, coder=evaluator, codes=_codes_for(text.text, codes)
            )
        sample = texts[:SAMPLE_SIZE]
        writes.sample_add(plan=plan, keys=[t.key for t in sample], by=evaluator)
        second = [(code, SECOND_CODER.get(code.label, words)) for code, words in codes]
        for text in sample:
            writes.coding_set(plan=plan, text=text, coder=lead, codes=_codes_for(text.text, second))
    return (
        f"Demo qualitative coding created: {len(codes)} codes under {len(themes)} themes, "
        f"{len(texts)} texts coded, {len(sample)} of them coded twice."
    )


def _codes_for(text: str, codes: list[tuple[Code, tuple[str, ...]]]) -> list[Code]:
    lowered = text.lower()
    return [code for code, words in codes if any(word in lowered for word in words)]
