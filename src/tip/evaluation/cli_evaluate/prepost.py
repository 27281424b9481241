"""``tip evaluate prepost``: change from before to after in an evaluator's own CSV file, one row
per person (docs/evaluation-analysis.md, "Command line").

    tip evaluate prepost scores.csv --id person --pre before --post after [--lower-is-better]
        [--reliability 0.85 [--sd-baseline 4.2]] [--json]
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from tip.evaluation.analysis.prepost import (
    EffectSize,
    PairedChange,
    ReliableChange,
    TestResult,
    paired_change,
    reliable_change,
)
from tip.evaluation.analysis.results import Estimate, to_jsonable
from tip.evaluation.cli_evaluate.common import (
    CliError,
    Output,
    guard,
    numbers,
    read_csv,
    require_columns,
)

NAME = "prepost"
HELP = (
    "Change from before to after for the same people: mean change with its 95% interval, "
    "paired t-test, Wilcoxon signed-rank test, Cohen's d_z and Hedges' g_av, and (with "
    "--reliability) the reliable change index."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--id", required=True, metavar="COL", help="The column of person ids.")
    parser.add_argument("--pre", required=True, metavar="COL", help="The column of scores before.")
    parser.add_argument("--post", required=True, metavar="COL", help="The column of scores after.")
    direction = parser.add_mutually_exclusive_group()
    direction.add_argument(
        "--higher-is-better",
        dest="higher_is_better",
        action="store_true",
        default=True,
        help="A higher score is better (the default).",
    )
    direction.add_argument(
        "--lower-is-better",
        dest="higher_is_better",
        action="store_false",
        help="A lower score is better (for example a distress scale).",
    )
    parser.add_argument(
        "--reliability",
        type=float,
        metavar="R",
        help="The measure's reliability (0 to 1, such as its Cronbach's alpha): adds the "
        "reliable change index of Jacobson and Truax for each person.",
    )
    parser.add_argument(
        "--sd-baseline",
        type=float,
        metavar="SD",
        help="With --reliability: the baseline standard deviation to use (for example a "
        "published norm); by default the SD of the before scores.",
    )


def run(options: dict[str, Any]) -> Output:
    if options.get("sd_baseline") is not None and options.get("reliability") is None:
        raise CliError("--sd-baseline is used with --reliability; give both or neither.")
    frame = read_csv(options["file"])
    id_column, pre_column, post_column = options["id"], options["pre"], options["post"]
    require_columns(frame, [id_column], option="--id")
    require_columns(frame, [pre_column], option="--pre")
    require_columns(frame, [post_column], option="--post")
    ids = person_ids(frame, id_column)
    pre = numbers(frame, pre_column)
    post = numbers(frame, post_column)
    higher = bool(options["higher_is_better"])

    def analyse() -> Output:
        change = paired_change(pre, post, higher_is_better=higher, ids=list(ids))
        rci = None
        if options.get("reliability") is not None:
            rci = reliable_change(
                pre,
                post,
                reliability=options["reliability"],
                sd_baseline=options.get("sd_baseline"),
                higher_is_better=higher,
                ids=list(ids),
            )
        incomplete = pre.isna() | post.isna()
        data = change_json(change, rci)
        data["dropped_ids"] = [str(i) for i in ids[incomplete]]
        return Output(data=data, text=change_text(change, rci))

    return guard(analyse)


def person_ids(frame: pd.DataFrame, column: str) -> pd.Series:
    """The id column; refuses an empty id or an id on more than one row, naming the rows."""
    ids = frame[column]
    empty = ids.isna()
    if empty.any():
        raise CliError(f"Row {int(empty[empty].index[0])}, column “{column}”: the id is empty.")
    repeated = ids[ids.duplicated(keep=False)]
    if not repeated.empty:
        first = repeated.iloc[0]
        rows = [str(row) for row in repeated[repeated == first].index]
        raise CliError(
            f"The id “{first}” (column “{column}”) is on rows {', '.join(rows)}. Give each "
            "person one row, with their before and after scores side by side."
        )
    return ids


def _estimate(estimate: Estimate) -> dict[str, Any]:
    return {
        "value": estimate.value,
        "ci_low": estimate.ci_low,
        "ci_high": estimate.ci_high,
        "se": estimate.se,
        "level": estimate.level,
        "method": estimate.ci_method,
    }


def _test(test: TestResult) -> dict[str, Any]:
    return {
        "statistic": test.statistic,
        "df": test.df,
        "p_value": test.p_value,
        "n": test.n,
        "method": test.method,
    }


def _effect(effect: EffectSize) -> dict[str, Any]:
    return {
        "value": effect.value,
        "ci_low": effect.ci_low,
        "ci_high": effect.ci_high,
        "level": effect.level,
        "definition": effect.definition,
        "method": effect.ci_method,
    }


def change_json(change: PairedChange, rci: ReliableChange | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "n": change.n,
        "n_dropped": change.n_dropped,
        "higher_is_better": change.higher_is_better,
        "means": {"pre": change.mean_pre, "post": change.mean_post},
        "sds": {"pre": change.sd_pre, "post": change.sd_post, "difference": change.sd_difference},
        "correlation": change.correlation,
        "mean_difference": _estimate(change.mean_difference),
        "direction": change.direction,
        "t_test": _test(change.t_test),
        "wilcoxon": _test(change.wilcoxon),
        "d_z": _effect(change.d_z),
        "g_av": _effect(change.g_av),
        "method": change.method,
        "assumptions": list(change.assumptions),
        "notes": [str(note) for note in change.notes],
    }
    if rci is not None:
        data["reliable_change"] = to_jsonable(rci)
    return data


def _number(value: float | None, places: int = 2) -> str:
    return "not available" if value is None else f"{value:.{places}f}"


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f" (95% CI {low:.2f} to {high:.2f})"


def change_text(change: PairedChange, rci: ReliableChange | None) -> str:
    md = change.mean_difference
    lines = [
        f"People with both scores: {change.n} ({change.n_dropped} left out with a score missing)",
        f"Mean before: {_number(change.mean_pre)}   Mean after: {_number(change.mean_post)}",
        f"Mean change (after - before): {_number(md.value)}{_interval(md.ci_low, md.ci_high)}"
        + (f", {change.direction}" if change.direction else ""),
        f"Paired t-test: t = {_number(change.t_test.statistic)}, df = "
        f"{_number(change.t_test.df, 0)}, p = {_number(change.t_test.p_value, 4)}",
        f"Wilcoxon signed-rank: W = {_number(change.wilcoxon.statistic, 1)}, p = "
        f"{_number(change.wilcoxon.p_value, 4)} ({change.wilcoxon.method or 'not available'})",
        f"Cohen's d_z (change / SD of changes): {_number(change.d_z.value)}"
        f"{_interval(change.d_z.ci_low, change.d_z.ci_high)}",
        f"Hedges' g_av (change / average SD, corrected): {_number(change.g_av.value)}"
        f"{_interval(change.g_av.ci_low, change.g_av.ci_high)}",
    ]
    notes = [str(note) for note in change.notes]
    if rci is not None:
        notes += [str(note) for note in rci.notes if str(note) not in notes]
        lines.append(
            f"Reliable change (reliability {rci.reliability:.2f}, smallest reliable change "
            f"{_number(rci.smallest_reliable_change)}): {rci.improved} improved, "
            f"{rci.unchanged} unchanged, {rci.worse} worse"
        )
    lines += [f"Note: {note}" for note in notes]
    return "\n".join(lines)
