"""`tip evaluate prepost` and `tip evaluate reliability` on CSV files: JSON results that match
the analyses, and bad files refused with exit code 2 and one line naming the column or row."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pingouin as pg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tip.cli import main
from tip.evaluation.analysis.prepost import paired_change
from tip.evaluation.instrument_library import SHIPPED_DIR

ROWS = [
    ("id", "pre", "post"),
    ("p1", "10", "12"),
    ("p2", "11", "11"),
    ("p3", "9", "13"),
    ("p4", "12", "15"),
    ("p5", "8", ""),
    ("p6", "10", "9"),
    ("p7", "7", "10"),
]


def write(folder: Path, rows: list[tuple[str, ...]] | str, name: str = "scores.csv") -> Path:
    path = folder / name
    text = rows if isinstance(rows, str) else "\n".join(",".join(r) for r in rows) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    call_command("evaluate", *args, "--json")
    return json.loads(capsys.readouterr().out)


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("evaluate", *args)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message
    return message


PREPOST = ("--id", "id", "--pre", "pre", "--post", "post")


# prepost ----------------------------------------------------------------------------------------


def test_prepost_json_matches_the_analysis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, "prepost", str(write(tmp_path, ROWS)), *PREPOST)
    pre = [10, 11, 9, 12, 10, 7]
    post = [12, 11, 13, 15, 9, 10]
    expected = paired_change(pre, post)
    assert data["n"] == 6 and data["n_dropped"] == 1 and data["dropped_ids"] == ["p5"]
    assert data["means"] == {"pre": expected.mean_pre, "post": expected.mean_post}
    assert data["mean_difference"]["value"] == pytest.approx(expected.mean_difference.value)
    assert data["mean_difference"]["ci_low"] == pytest.approx(expected.mean_difference.ci_low)
    assert data["t_test"]["statistic"] == pytest.approx(expected.t_test.statistic)
    assert data["t_test"]["p_value"] == pytest.approx(expected.t_test.p_value)
    assert data["wilcoxon"]["p_value"] == pytest.approx(expected.wilcoxon.p_value)
    for name in ("d_z", "g_av"):
        effect = getattr(expected, name)
        assert data[name]["value"] == pytest.approx(effect.value)
        assert data[name]["ci_low"] == pytest.approx(effect.ci_low)
        assert data[name]["ci_high"] == pytest.approx(effect.ci_high)
        assert data[name]["method"] and data[name]["definition"]
    assert "reliable_change" not in data


def test_prepost_with_reliability_adds_reliable_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(
        capsys,
        "prepost",
        str(write(tmp_path, ROWS)),
        *PREPOST,
        "--reliability",
        "0.9",
        "--lower-is-better",
    )
    rci = data["reliable_change"]
    assert data["higher_is_better"] is False and data["direction"] == "worse"
    assert rci["reliability"] == 0.9 and rci["n"] == 6
    assert rci["improved"] + rci["unchanged"] + rci["worse"] == 6
    assert [p["id"] for p in rci["people"]] == ["p1", "p2", "p3", "p4", "p6", "p7"]
    assert {p["category"] for p in rci["people"]} <= {"improved", "unchanged", "worse"}


def test_prepost_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("evaluate", "prepost", str(write(tmp_path, ROWS)), *PREPOST)
    out = capsys.readouterr().out
    assert "Cohen's d_z" in out and "Hedges' g_av" in out and "Paired t-test" in out


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = str(write(tmp_path, ROWS))
    message = refused("prepost", path, "--id", "id", "--pre", "pre", "--post", "after")
    assert "“after”" in message and "--post" in message and "id, pre, post" in message


def test_a_cell_that_is_not_a_number_is_named(tmp_path: Path) -> None:
    rows = [*ROWS]
    rows[3] = ("p3", "nine", "13")
    message = refused("prepost", str(write(tmp_path, rows)), *PREPOST)
    assert message == "Row 4, column “pre”: “nine” is not a number."


def test_a_duplicate_id_is_refused_naming_the_rows(tmp_path: Path) -> None:
    rows = [*ROWS, ("p2", "10", "10")]
    message = refused("prepost", str(write(tmp_path, rows)), *PREPOST)
    assert "“p2”" in message and "rows 3, 9" in message


def test_an_empty_id_is_refused(tmp_path: Path) -> None:
    rows = [*ROWS, ("", "10", "10")]
    message = refused("prepost", str(write(tmp_path, rows)), *PREPOST)
    assert message.startswith("Row 9, column “id”")


def test_an_empty_or_missing_file(tmp_path: Path) -> None:
    assert "is empty" in refused("prepost", str(write(tmp_path, "")), *PREPOST)
    assert "has a header row but no data" in refused(
        "prepost", str(write(tmp_path, "id,pre,post\n")), *PREPOST
    )
    assert "no such file" in refused("prepost", str(tmp_path / "nope.csv"), *PREPOST)


def test_a_bad_reliability_is_refused(tmp_path: Path) -> None:
    path = str(write(tmp_path, ROWS))
    assert "reliability" in refused("prepost", path, *PREPOST, "--reliability", "1.5")
    assert "--sd-baseline" in refused("prepost", path, *PREPOST, "--sd-baseline", "3")


def test_from_the_command_line_exit_code_2_and_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write(tmp_path, [("id", "pre", "post"), ("a", "x", "1")]))
    with pytest.raises(SystemExit) as caught:
        main(["tip", "evaluate", "prepost", path, *PREPOST])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "Row 2, column “pre”" in err
    assert "Traceback" not in err


def test_help_works(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["tip", "evaluate", "--help"], ["tip", "evaluate", "prepost", "--help"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "prepost" in out and "--lower-is-better" in out


# reliability ------------------------------------------------------------------------------------

FEEDBACK = (
    "engaged",
    "took_part",
    "felt_safe",
    "relevant_role",
    "relevant_examples",
    "intend_to_use",
    "know_what_to_change",
)
ANSWERS = [
    ("person", *FEEDBACK),
    ("R1", "4", "5", "4", "3", "4", "5", "4"),
    ("R2", "2", "2", "3", "2", "2", "3", "2"),
    ("R3", "5", "5", "5", "4", "5", "5", "5"),
    ("R4", "3", "3", "2", "3", "3", "3", "4"),
    ("R5", "4", "4", "4", "4", "3", "4", "4"),
    ("R6", "1", "2", "1", "2", "2", "1", "2"),
    ("R7", "3", "4", "3", "3", "4", "3", "3"),
    ("R8", "5", "4", "5", "5", "4", "4", "5"),
    ("R9", "2", "3", "3", "2", "3", "2", "1"),
]


def test_reliability_json_for_a_shipped_instrument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(
        capsys, "reliability", str(write(tmp_path, ANSWERS)), "--instrument", "tip-feedback"
    )
    frame = pd.DataFrame([r[1:] for r in ANSWERS[1:]], columns=FEEDBACK).astype(float)
    assert data["instrument"] == "tip-feedback" and data["n"] == 9
    total = data["total"]
    assert total["k"] == 7 and total["n"] == 9
    assert total["alpha"]["value"] == pytest.approx(pg.cronbach_alpha(frame)[0], rel=1e-10)
    assert total["alpha"]["ci_low"] < total["alpha"]["value"] < total["alpha"]["ci_high"]
    assert total["omega"]["value"] is not None
    assert [s["label"] for s in data["subscales"]] == ["engagement", "relevance", "intention"]


def test_reliability_of_chosen_items_from_an_instrument_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instrument = tmp_path / "ours.yaml"
    instrument.write_text(
        (SHIPPED_DIR / "tip-feedback.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    data = run_json(
        capsys,
        "reliability",
        str(write(tmp_path, ANSWERS)),
        "--instrument",
        str(instrument),
        "--items",
        "engaged,took_part,felt_safe",
    )
    assert data["items"]["k"] == 3 and data["total"] is None


def test_reliability_refuses_bad_answers_and_instruments(tmp_path: Path) -> None:
    rows = [*ANSWERS]
    rows[2] = ("R2", "2", "2", "7", "2", "2", "3", "2")
    path = str(write(tmp_path, rows))
    message = refused("reliability", path, "--instrument", "tip-feedback")
    assert message.startswith("Row 3, column “felt_safe”: “7” is not one of the answers")
    short = str(write(tmp_path, [r[:-1] for r in ANSWERS], "short.csv"))
    assert "“know_what_to_change”" in refused("reliability", short, "--instrument", "tip-feedback")
    assert "tip-kac" in refused("reliability", path, "--instrument", "nope")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n", encoding="utf-8")
    assert "broken.yaml cannot be used" in refused("reliability", path, "--instrument", str(broken))
    assert "no such file" in refused(
        "reliability", str(tmp_path / "x.csv"), "--instrument", "tip-kac"
    )
