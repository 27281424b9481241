"""The Love plot: each covariate's absolute standardised mean difference before matching and
after, with a dashed line at 0.1 (the usual threshold for adequate balance), so a reader sees at a
glance whether matching made the groups alike. Plain Python and matplotlib, no Django.

Drawn with the report charts' machinery (``charts``): deterministic SVG, the Okabe and Ito
colour-blind-safe palette plus a different marker for before (open circle) and after (filled
triangle), and a ``<title>``/``<desc>`` text alternative. ``describe_love_plot`` gives that text
alternative; the page shows the balance table after the chart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .balance import DISTANCE, BalanceRow
from .charts import INK, MUTED, PALETTE, _empty, _new_figure, _render, _tidy
from .results import gettext_noop

THRESHOLD = 0.1

BEFORE_LABEL = gettext_noop("Before matching")
AFTER_LABEL = gettext_noop("After matching")
X_LABEL = gettext_noop("Absolute standardised mean difference")
EMPTY = gettext_noop("No balance figures to show.")
DESCRIPTION = gettext_noop(
    "Absolute standardised mean differences between trained and comparison people for "
    "%(n)s covariates. Before matching %(before)s of them exceeded 0.1; after matching "
    "%(after)s do. Largest after matching: %(worst)s (%(worst_value)s)."
)
DESCRIPTION_EMPTY = gettext_noop("There are no balance figures to show.")


def _shown(balance: Sequence[BalanceRow]) -> list[BalanceRow]:
    return [row for row in balance if row.smd_before is not None or row.smd_after is not None]


def describe_love_plot(
    balance: Sequence[BalanceRow], *, translate: Callable[[str], str] | None = None
) -> str:
    """A text alternative for the plot: how many covariates exceed 0.1 before and after, and the
    largest after. English unless ``translate`` (e.g. Django's gettext) is given."""
    tr = translate or (lambda text: text)
    rows = [row for row in _shown(balance) if row.kind != DISTANCE]
    if not rows:
        return tr(DESCRIPTION_EMPTY)
    before = sum(1 for r in rows if r.smd_before is not None and abs(r.smd_before) > THRESHOLD)
    after = sum(1 for r in rows if r.smd_after is not None and abs(r.smd_after) > THRESHOLD)
    with_after = [r for r in rows if r.smd_after is not None]
    if with_after:
        worst = max(with_after, key=lambda r: abs(r.smd_after or 0.0))
        worst_name, worst_value = worst.covariate, f"{abs(worst.smd_after or 0.0):.2f}"
    else:
        worst_name, worst_value = "-", "-"
    return tr(DESCRIPTION) % {
        "n": len(rows),
        "before": before,
        "after": after,
        "worst": worst_name,
        "worst_value": worst_value,
    }


def love_plot(
    balance: Sequence[BalanceRow],
    *,
    title: str,
    chart_id: str = "love-plot",
    description: str | None = None,
    before_label: str = BEFORE_LABEL,
    after_label: str = AFTER_LABEL,
    x_label: str = X_LABEL,
    empty: str = EMPTY,
) -> str:
    """The SVG text of the Love plot (covariates top to bottom in the table's order, the
    distance first when present). Labels come in already translated when the caller has them;
    ``description`` defaults to ``describe_love_plot``."""
    rows = _shown(balance)
    text = description if description is not None else describe_love_plot(balance)
    figure = _new_figure(7.0, 1.1 + 0.36 * max(len(rows), 1))
    ax = figure.add_subplot()
    _tidy(ax)
    if not rows:
        _empty(ax, empty)
    else:
        positions = list(range(len(rows)))[::-1]
        before = [
            (y, abs(r.smd_before))
            for y, r in zip(positions, rows, strict=True)
            if r.smd_before is not None
        ]
        after = [
            (y, abs(r.smd_after))
            for y, r in zip(positions, rows, strict=True)
            if r.smd_after is not None
        ]
        if before:
            ax.scatter(
                [v for _, v in before],
                [y for y, _ in before],
                s=42,
                marker="o",
                facecolors="none",
                edgecolors=PALETTE[1],
                linewidths=1.6,
                label=before_label,
                zorder=3,
            )
        if after:
            ax.scatter(
                [v for _, v in after],
                [y for y, _ in after],
                s=46,
                marker="^",
                color=PALETTE[0],
                label=after_label,
                zorder=4,
            )
        for y, row in zip(positions, rows, strict=True):
            if row.smd_before is not None and row.smd_after is not None:
                ax.plot(
                    [abs(row.smd_before), abs(row.smd_after)],
                    [y, y],
                    color=MUTED,
                    linewidth=0.8,
                    zorder=2,
                )
        ax.axvline(THRESHOLD, color=INK, linestyle="--", linewidth=1.0, zorder=1)
        ax.set_yticks(positions, [r.covariate for r in rows])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        largest = max([v for _, v in before + after] + [THRESHOLD])
        ax.set_xlim(0, largest * 1.08)
        ax.set_xlabel(x_label)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(frameon=False, loc="lower right")
    figure.tight_layout()
    return _render(figure, chart_id=chart_id, title=title, description=text).svg
