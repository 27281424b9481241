"""``tip evaluate match``: a matched comparison group and the effect on the trained (ATT) from an
evaluator's own CSV file, one row per person (docs/evaluation-analysis.md, "Command line: match
and did").

    tip evaluate match people.csv --treatment trained --outcome score_after
        --covariates age,role,score_before [--method nearest|exact|cem] [--caliper 0.2]
        [--distance propensity|logit] [--ratio 2] [--replace] [--exact role] [--adjust]
        [--treated-value V] [--json]
"""

from __future__ import annotations

import argparse
from typing import Any

from tip.evaluation.analysis.matching import (
    CEM,
    EXACT,
    LOGIT,
    NEAREST,
    PROPENSITY,
    EffectResult,
    MatchResult,
    effect_on_treated,
    match,
)
from tip.evaluation.analysis.results import to_jsonable
from tip.evaluation.cli_evaluate.common import (
    CliError,
    Output,
    guard,
    read_csv,
    require_columns,
    split_list,
)

NAME = "match"
HELP = (
    "Match trained people to comparison people (propensity-score nearest neighbour, exact or "
    "coarsened exact matching), show covariate balance before and after, and estimate the "
    "effect on the trained with its standard error and 95% interval."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--treatment",
        required=True,
        metavar="COL",
        help="The column saying who was trained: 1 (trained) or 0 (comparison).",
    )
    parser.add_argument(
        "--treated-value",
        metavar="V",
        help="The value of --treatment that marks trained people, when it is not 1 (the column "
        "must then hold two values).",
    )
    parser.add_argument(
        "--outcome", required=True, metavar="COL", help="The column of outcomes (numbers)."
    )
    parser.add_argument(
        "--covariates",
        required=True,
        metavar="A,B,C",
        help="The columns to match on, separated by commas (numbers or categories).",
    )
    parser.add_argument(
        "--method",
        choices=(NEAREST, EXACT, CEM),
        default=NEAREST,
        help="nearest: propensity-score nearest neighbour (the default); exact: identical "
        "covariates; cem: coarsened exact matching.",
    )
    parser.add_argument(
        "--caliper",
        type=float,
        metavar="X",
        help="With nearest: refuse pairs further apart than X standard deviations of the logit "
        "of the propensity score (0.2 is usual).",
    )
    parser.add_argument(
        "--distance",
        choices=(PROPENSITY, LOGIT),
        default=PROPENSITY,
        help="With nearest: match on the propensity score (the default, as MatchIt) or on its "
        "logit.",
    )
    parser.add_argument(
        "--ratio", type=int, default=1, metavar="K", help="With nearest: K controls per trained."
    )
    parser.add_argument(
        "--replace", action="store_true", help="With nearest: controls may be reused."
    )
    parser.add_argument(
        "--exact",
        metavar="A,B",
        help="With nearest: covariates on which pairs must also agree exactly.",
    )
    parser.add_argument(
        "--adjust",
        action="store_true",
        help="Adjust the effect for the covariates (regression in the matched sample).",
    )


def _check_options(options: dict[str, Any]) -> None:
    method = options.get("method") or NEAREST
    if method != NEAREST:
        for name, flag in (("caliper", "--caliper"), ("exact", "--exact")):
            if options.get(name):
                raise CliError(f"{flag} is used with --method nearest only.")
        if options.get("replace") or (options.get("ratio") or 1) != 1:
            raise CliError("--ratio and --replace are used with --method nearest only.")
    if (options.get("ratio") or 1) < 1:
        raise CliError("--ratio must be a whole number of at least 1.")
    caliper = options.get("caliper")
    if caliper is not None and caliper <= 0:
        raise CliError("--caliper must be a positive number of standard deviations.")


def balance_rows(result: MatchResult) -> list[dict[str, Any]]:
    return [to_jsonable(row) for row in result.balance]


def output_data(result: MatchResult, effect: EffectResult) -> dict[str, Any]:
    return {
        "analysis": "match",
        "outcome": effect.outcome,
        "att": effect.att,
        "se": effect.se,
        "ci_low": effect.ci_low,
        "ci_high": effect.ci_high,
        "p_value": effect.p_value,
        "mean_treated": effect.mean_treated,
        "mean_control": effect.mean_control,
        "n": result.n,
        "n_treated": result.n_treated,
        "n_controls": result.n_controls,
        "n_treated_matched": result.n_treated_matched,
        "n_controls_used": result.n_controls_used,
        "n_dropped_missing": result.n_dropped_missing,
        "n_with_outcome": effect.n,
        "matching": {
            "method": result.method,
            "description": result.description,
            "estimand": result.estimand,
            "distance": result.distance_kind if result.method == NEAREST else None,
            "ratio": result.ratio,
            "replace": result.replace,
            "caliper": result.caliper,
            "caliper_width": result.caliper_width,
            "exact": list(result.exact),
        },
        "balance": balance_rows(result),
        "method": effect.method,
        "se_method": effect.se_method,
        "assumptions": list(effect.assumptions),
        "notes": [str(note) for note in effect.notes],
    }


def _number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def output_text(data: dict[str, Any]) -> str:
    lines = [
        f"Effect on the trained (ATT) of {data['outcome']}: {_number(data['att'])} "
        f"(SE {_number(data['se'])}, 95% CI {_number(data['ci_low'])} to "
        f"{_number(data['ci_high'])})",
        f"Trained: {data['n_treated']} ({data['n_treated_matched']} matched); comparison "
        f"people used: {data['n_controls_used']} of {data['n_controls']}",
        f"Matching: {data['matching']['description']}",
        "",
        "Balance (standardised mean difference before -> after; variance ratio after):",
    ]
    for row in data["balance"]:
        lines.append(
            f"  {row['covariate']}: {_number(row['smd_before'])} -> "
            f"{_number(row['smd_after'])}; {_number(row['variance_ratio_after'], 2)}"
        )
    lines += ["", f"Method: {data['method']}", f"Standard error: {data['se_method']}"]
    lines += [f"Note: {note}" for note in data["notes"]]
    return "\n".join(lines)


def run(options: dict[str, Any]) -> Output:
    _check_options(options)
    frame = read_csv(options["file"])
    treatment, outcome = options["treatment"], options["outcome"]
    covariates = split_list(options["covariates"], option="--covariates")
    exact = split_list(options["exact"], option="--exact") if options.get("exact") else []
    require_columns(frame, [treatment], option="--treatment")
    require_columns(frame, [outcome], option="--outcome")
    require_columns(frame, covariates, option="--covariates")
    require_columns(frame, exact, option="--exact")
    if treatment in covariates or outcome in covariates:
        raise CliError("--covariates must not include the treatment or the outcome column.")

    def analyse() -> Output:
        result = match(
            frame,
            treatment=treatment,
            covariates=covariates,
            method=options.get("method") or NEAREST,
            ratio=options.get("ratio") or 1,
            replace=bool(options.get("replace")),
            caliper=options.get("caliper"),
            distance=options.get("distance") or PROPENSITY,
            exact=exact,
            treated_value=options.get("treated_value"),
        )
        effect = effect_on_treated(
            result,
            frame[outcome],
            adjust=frame[covariates] if options.get("adjust") else None,
            name=outcome,
        )
        data = output_data(result, effect)
        return Output(data=data, text=output_text(data))

    return guard(analyse)
