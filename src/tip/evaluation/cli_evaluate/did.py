"""``tip evaluate did``: difference-in-differences of trained people against comparison people
from an evaluator's own CSV file in long form, one row per person and period
(docs/evaluation-analysis.md, "Command line: match and did").

    tip evaluate did waves.csv --unit person --treatment trained --period wave --outcome score
        [--cluster organisation] [--weights weight] [--pre-value baseline --post-value post]
        [--treated-value V] [--json]
"""

from __future__ import annotations

import argparse
from typing import Any

from tip.evaluation.analysis.did import DidResult, difference_in_differences
from tip.evaluation.analysis.results import to_jsonable
from tip.evaluation.cli_evaluate.common import CliError, Output, guard, read_csv, require_columns

NAME = "did"
HELP = (
    "Difference-in-differences: the change in the trained group minus the change in the "
    "comparison group between two periods, with standard errors clustered by organisation."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", required=True, metavar="COL", help="The column of person ids.")
    parser.add_argument(
        "--treatment",
        required=True,
        metavar="COL",
        help="The column saying who was trained: 1 (trained) or 0 (comparison).",
    )
    parser.add_argument(
        "--treated-value",
        metavar="V",
        help="The value of --treatment that marks trained people, when it is not 1.",
    )
    parser.add_argument(
        "--period",
        required=True,
        metavar="COL",
        help="The column of periods (waves); with two values the smaller is before.",
    )
    parser.add_argument(
        "--outcome", required=True, metavar="COL", help="The column of outcomes (numbers)."
    )
    parser.add_argument(
        "--cluster",
        metavar="COL",
        help="Cluster standard errors by this column (for example organisation); by person "
        "when not given.",
    )
    parser.add_argument(
        "--weights", metavar="COL", help="A column of weights (for example matching weights)."
    )
    parser.add_argument(
        "--pre-value", metavar="V", help="The value of --period for before (the baseline)."
    )
    parser.add_argument("--post-value", metavar="V", help="The value of --period for after.")


def output_data(result: DidResult) -> dict[str, Any]:
    estimate = result.estimate
    return {
        "analysis": "did",
        "estimate": estimate.value,
        "se": estimate.se,
        "ci_low": estimate.ci_low,
        "ci_high": estimate.ci_high,
        "ci_method": estimate.ci_method,
        "p_value": result.p_value,
        "before": result.pre,
        "after": result.post,
        "n": result.n,
        "n_units": result.n_units,
        "n_observations": result.n_observations,
        "n_clusters": result.n_clusters,
        "means": [to_jsonable(mean) for mean in result.means],
        "method": result.method,
        "se_method": str(result.se_method),
        "assumptions": list(result.assumptions),
        "notes": [str(note) for note in result.notes],
    }


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def output_text(data: dict[str, Any]) -> str:
    lines = [
        f"Difference-in-differences ({data['before']} to {data['after']}): "
        f"{_number(data['estimate'])} (SE {_number(data['se'])}, 95% CI "
        f"{_number(data['ci_low'])} to {_number(data['ci_high'])})",
        f"People: {data['n_units']}; rows: {data['n_observations']}; clusters: "
        f"{data['n_clusters']}",
    ]
    for mean in data["means"]:
        lines.append(f"  {mean['group']} {mean['period']}: {_number(mean['mean'])} (n {mean['n']})")
    lines += [f"Method: {data['method']}", f"Standard error: {data['se_method']}"]
    lines += [f"Note: {note}" for note in data["notes"]]
    return "\n".join(lines)


def run(options: dict[str, Any]) -> Output:
    if (options.get("pre_value") is None) != (options.get("post_value") is None):
        raise CliError("Give both --pre-value and --post-value, or neither.")
    frame = read_csv(options["file"])
    for option in ("unit", "treatment", "period", "outcome", "cluster", "weights"):
        if options.get(option):
            require_columns(frame, [options[option]], option=f"--{option}")

    def analyse() -> Output:
        result = difference_in_differences(
            frame,
            unit=options["unit"],
            treatment=options["treatment"],
            period=options["period"],
            outcome=options["outcome"],
            cluster=options.get("cluster"),
            weights=options.get("weights"),
            pre=options.get("pre_value"),
            post=options.get("post_value"),
            treated_value=options.get("treated_value"),
        )
        data = output_data(result)
        return Output(data=data, text=output_text(data))

    return guard(analyse)
