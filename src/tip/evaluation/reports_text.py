"""Words and numbers for the evaluation report (reports.py): the pure analyses' English texts
translated on display, figures written the same way everywhere, and the report's own methods and
caveats in plain English.

The analyses mark their methods, assumptions and notes with ``gettext_noop``; a note with values
is a ``Note`` whose template is translated before its values are filled in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tip.evaluation.analysis.results import Estimate, Note

# Counts below this are withheld in subgroup tables: so few people could be recognised.
SMALL_COUNT = 5
DASH = "–"


def translate(text: str | Note) -> str:
    """An analysis's English text (or Note) in the reader's language."""
    if isinstance(text, Note):
        template = _(text.template)
        try:
            return template % dict(text.values) if text.values else template
        except (KeyError, TypeError, ValueError):
            return str(text)
    return _(text) if text else ""


def translate_all(texts: Iterable[str | Note]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for text in texts:
        done = translate(text)
        if done:
            seen.setdefault(done)
    return tuple(seen)


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def num(value: float | None, places: int = 2) -> str:
    """A figure to ``places`` decimal places, or a dash when there is none."""
    if not finite(value):
        return DASH
    return number_format(round(float(value), places), decimal_pos=places)  # type: ignore[arg-type]


def count(value: int | None) -> str:
    return DASH if value is None else number_format(value, force_grouping=True)


def percent(value: float | None, places: int = 0) -> str:
    """A share (0 to 1) as a percentage."""
    if not finite(value):
        return DASH
    return _("%(value)s%%") % {"value": num(100 * float(value), places)}  # type: ignore[arg-type]


def p_value(value: float | None) -> str:
    if not finite(value):
        return DASH
    if float(value) < 0.001:  # type: ignore[arg-type]
        return _("below 0.001")
    return num(value, 3)


def interval(low: float | None, high: float | None, places: int = 2) -> str:
    """'0.12 to 0.48', or a dash."""
    if not finite(low) or not finite(high):
        return DASH
    return _("%(low)s to %(high)s") % {"low": num(low, places), "high": num(high, places)}


def estimate(found: Estimate | None, places: int = 2, *, short: bool = False) -> str:
    """'0.31 (95% CI 0.12 to 0.48)', or with ``short`` (in a column that says it is a 95% CI)
    '0.31 (0.12 to 0.48)'."""
    if found is None or not finite(found.value):
        return DASH
    if not finite(found.ci_low) or not finite(found.ci_high):
        return num(found.value, places)
    if short:
        return _("%(value)s (%(interval)s)") % {
            "value": num(found.value, places),
            "interval": interval(found.ci_low, found.ci_high, places),
        }
    return _("%(value)s (%(level)s%% CI %(interval)s)") % {
        "value": num(found.value, places),
        "level": num(100 * found.level, 0),
        "interval": interval(found.ci_low, found.ci_high, places),
    }


def small(n: int | None) -> bool:
    """Whether a count is too small to show (1 to 4)."""
    return n is not None and 0 < n < SMALL_COUNT


def withheld_count(n: int | None) -> str:
    """A count, or 'fewer than 5' for 1 to 4."""
    if small(n):
        return _("fewer than %(n)s") % {"n": SMALL_COUNT}
    return count(n)


def people(n: int) -> str:
    return ngettext("%(n)s person", "%(n)s people", n) % {"n": count(n)}


def group_label(group: str) -> str:
    return {"trained": _("Trained"), "comparison": _("Comparison")}.get(group, group or DASH)


def format_label(value: str) -> str:
    return {
        "in_person": _("In person"),
        "virtual": _("Virtual"),
        "hybrid": _("Hybrid"),
    }.get(value, value or _("Not known"))


def effect_size_name(name: str) -> str:
    return {
        "d_z": _("Cohen's d_z (change divided by the SD of the changes)"),
        "g_av": _("Hedges' g_av (change divided by the average SD of before and after)"),
    }.get(name, name)


# The report's own texts (English, translated where shown).
EVIDENCE_CAVEAT = gettext_noop(
    "The evidence base for trauma-informed practice is still developing. Most evaluations, this "
    "one included, rest on small samples, on what people say about themselves, without "
    "random allocation to training, and lose people between waves. Read these results as one "
    "piece of evidence among others, not as proof that the training caused the change."
)
CAVEATS = (
    gettext_noop(
        "Self-report: questionnaires measure what people say they know, think and do, which can "
        "differ from what they do in practice. Knowing they have been trained may change how "
        "people answer."
    ),
    gettext_noop(
        "No randomisation: people were not allocated to training at random. Those trained may "
        "differ from the comparison group in ways the matching cannot see, so differences "
        "between the groups are not proof of an effect."
    ),
    gettext_noop(
        "Attrition: people who answer later waves may differ from those who stop answering. "
        "The attrition section compares completers and drop-outs at baseline."
    ),
    gettext_noop(
        "Small samples: with few people, estimates are uncertain; the confidence intervals show "
        "how uncertain. Subgroup results are less certain still, and counts below 5 are "
        "withheld so nobody can be recognised."
    ),
    gettext_noop(
        "Many comparisons: the report makes many comparisons, so some will look notable by "
        "chance. Give most weight to the results the evaluation plan set out to measure."
    ),
)
METHODS = (
    (
        gettext_noop("Mean change"),
        gettext_noop(
            "The average of each person's later score minus their baseline score, for people "
            "who answered both, with its 95% CI (confidence interval)."
        ),
    ),
    (
        gettext_noop("Paired t-test and Wilcoxon signed-rank test"),
        gettext_noop(
            "Two tests of whether the average change differs from zero: the t-test assumes the "
            "changes are roughly normally distributed; the Wilcoxon test uses only their ranks."
        ),
    ),
    (
        gettext_noop("Cohen's d_z and Hedges' g_av"),
        gettext_noop(
            "Effect sizes: the mean change in standard deviations. d_z divides by the SD of the "
            "changes (it grows when before and after are strongly correlated); g_av divides by "
            "the average SD of the before and after scores and corrects for small samples, so "
            "it compares better with other studies. Around 0.2 is often called small, 0.5 "
            "medium and 0.8 large, but what matters depends on the outcome."
        ),
    ),
    (
        gettext_noop("Cronbach's alpha and McDonald's omega"),
        gettext_noop(
            "How consistently the items of a scale measure one thing, in this evaluation's "
            "baseline answers (0 to 1; 0.7 or more is usually thought acceptable)."
        ),
    ),
    (
        gettext_noop("Reliable change index"),
        gettext_noop(
            "Jacobson and Truax's method: a person's change counts as reliable when it is larger "
            "than measurement error alone would be likely to give (more than 1.96 standard "
            "errors of the difference). It uses the scale's Cronbach's alpha at baseline in this "
            "evaluation and the SD of the baseline scores."
        ),
    ),
    (
        gettext_noop("Mixed model over all waves"),
        gettext_noop(
            "A linear mixed model of the score by wave, group and their interaction, with a "
            "random intercept per person. It uses everyone with at least one answer, so it "
            "keeps people who missed a wave; it assumes those missing are missing at random "
            "given what was measured."
        ),
    ),
    (
        gettext_noop("Matched comparison"),
        gettext_noop(
            "Each trained person is matched to a comparison person with a similar chance of "
            "being trained (a propensity score from sector, years in role, prior training and "
            "the baseline score). Balance tables and the Love plot show how alike the matched "
            "groups are: standardised differences below 0.1 are usually taken as balanced. The "
            "effect on the trained is the difference in later scores between the matched groups."
        ),
    ),
    (
        gettext_noop("Difference-in-differences"),
        gettext_noop(
            "The trained group's change minus the matched comparison group's change over the "
            "same time, with standard errors that allow people in the same organisation to be "
            "alike. It assumes both groups would have changed alike without the training."
        ),
    ),
)
