"""The aggregate a partnership shares: figures checked against numpy, scipy and pingouin, the
variances against Borenstein et al. (2009, eq. 4.28) worked out here, suppression of small counts,
and validity against the JSON schema."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pandas as pd
import pingouin
import pytest

from tip.evaluation.analysis.aggregate import (
    MINIMUM_COUNT,
    InstrumentScores,
    build_aggregate,
    count_cell,
    pooled_change,
)
from tip.evaluation.analysis.results import AnalysisInputError

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[3] / "src/tip/evaluation/data/aggregate.schema.json"
    ).read_text()
)
WAVES = [
    (11, "Baseline", "baseline", -7),
    (12, "After", "post", 0),
    (13, "Later", "follow_up", 182),
]


def frame(
    trained: int = 30,
    comparison: int = 12,
    *,
    seed: int = 5,
    sectors: tuple[str, ...] = ("police", "health", "education"),
    drop_post: float = 0.2,
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(trained + comparison):
        group = "trained" if i < trained else "comparison"
        level = rng.normal(3, 0.6)
        for wave_id, name, kind, offset in WAVES:
            if kind != "baseline" and rng.random() < drop_post:
                continue
            gain = 0.4 if group == "trained" and kind != "baseline" else 0.0
            rows.append(
                {
                    "person": f"R{i}",
                    "group": group,
                    "wave": name,
                    "wave_id": wave_id,
                    "wave_kind": kind,
                    "wave_offset": offset,
                    "wave_order": 0,
                    "organisation": f"Organisation {i % 4}",
                    "sector": sectors[i % len(sectors)],
                    "role": "",
                    "format": "in_person" if i % 3 else "virtual",
                    "score": level + gain + rng.normal(0, 0.4),
                    "subscale:calm": level + rng.normal(0, 0.5),
                }
            )
    return pd.DataFrame(rows)


def aggregate(data: pd.DataFrame, **kwargs: Any) -> dict[str, Any]:
    scores = InstrumentScores("tip-x", 1, "An instrument", data, scale_titles={"total": "Total"})
    return build_aggregate([scores], created="2026-01-01T00:00:00+00:00", **kwargs)


def change(payload: dict[str, Any], scale: str, group: str, pair: str) -> dict[str, Any]:
    rows = [
        c
        for c in payload["instruments"][0]["changes"]
        if c["scale"] == scale and c["group"] == group and c["pair"] == pair
    ]
    assert len(rows) == 1
    return rows[0]


def test_the_aggregate_matches_its_schema() -> None:
    payload = aggregate(frame(), nation="england", comparison_group=True)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(payload, SCHEMA)
    assert [s["id"] for s in payload["instruments"][0]["scales"]] == ["total", "calm"]


def test_the_schema_refuses_a_small_count_shown() -> None:
    payload = aggregate(frame())
    payload["instruments"][0]["groups"][0]["participants"] = {"value": 3, "suppressed": False}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(payload, SCHEMA)


def test_change_figures_match_independent_references() -> None:
    data = frame()
    payload = aggregate(data)
    row = change(payload, "total", "trained", "baseline_post")
    trained = data[data["group"] == "trained"]
    pre = trained[trained["wave_id"] == 11].set_index("person")["score"]
    post = trained[trained["wave_id"] == 12].set_index("person")["score"]
    both = pd.concat([pre.rename("pre"), post.rename("post")], axis=1, join="inner")
    x, y = both["pre"].to_numpy(), both["post"].to_numpy()
    n = len(x)
    diff = y - x
    assert row["n_pairs"] == {"value": n, "suppressed": False}
    assert row["mean_pre"] == pytest.approx(x.mean(), rel=1e-12)
    assert row["mean_post"] == pytest.approx(y.mean(), rel=1e-12)
    assert row["mean_difference"] == pytest.approx(diff.mean(), rel=1e-12)
    assert row["sd_difference"] == pytest.approx(diff.std(ddof=1), rel=1e-12)
    # d_z: mean change over the SD of the changes (pingouin's one-sample d of the changes).
    d_z = pingouin.compute_effsize(diff, 0.0)
    assert row["d_z"] == pytest.approx(d_z, rel=1e-4)
    # g_av: pingouin's paired Cohen's d_av, times Hedges' J with n - 1 degrees of freedom.
    d_av = pingouin.compute_effsize(y, x, paired=True, eftype="cohen")
    j = 1 - 3 / (4 * (n - 1) - 1)
    assert row["g_av"] == pytest.approx(j * d_av, rel=1e-4)
    # Variances: Borenstein et al. (2009), with r the Pearson correlation (scipy via pingouin).
    r = pingouin.corr(x, y)["r"].iloc[0]
    assert row["correlation"] == pytest.approx(r, rel=1e-4)
    var_g = j**2 * (1 / n + d_av**2 / (2 * n)) * 2 * (1 - r)
    assert row["g_av_variance"] == pytest.approx(var_g, rel=1e-4)
    assert row["g_av_se"] == pytest.approx(math.sqrt(var_g), rel=1e-4)
    var_dz = 1 / n + d_z**2 / (2 * n)
    assert row["d_z_variance"] == pytest.approx(var_dz, rel=1e-4)
    assert row["d_z_se"] == pytest.approx(math.sqrt(var_dz), rel=1e-4)


def test_pairs_are_baseline_to_post_and_to_each_follow_up() -> None:
    payload = aggregate(frame())
    pairs = {
        (c["scale"], c["group"], c["pair"], c["to_wave"]["offset_days"])
        for c in payload["instruments"][0]["changes"]
    }
    assert ("total", "trained", "baseline_post", 0) in pairs
    assert ("calm", "comparison", "baseline_follow_up", 182) in pairs
    assert len(pairs) == 2 * 2 * 2
    assert pooled_change(payload, "tip-x", "total", "baseline_post") == change(
        payload, "total", "trained", "baseline_post"
    )
    assert pooled_change(payload, "tip-x", "total", "nothing") is None


def test_counts_under_five_are_suppressed_with_every_figure() -> None:
    payload = aggregate(frame(trained=30, comparison=4))
    groups = {g["group"]: g for g in payload["instruments"][0]["groups"]}
    assert groups["comparison"]["participants"] == {"value": None, "suppressed": True}
    assert groups["trained"]["participants"] == {"value": 30, "suppressed": False}
    row = change(payload, "total", "comparison", "baseline_post")
    assert row["suppressed"] and row["n_pairs"] == {"value": None, "suppressed": True}
    figures = ("mean_pre", "mean_post", "mean_difference", "g_av", "g_av_variance", "d_z")
    assert all(row[f] is None for f in figures)
    jsonschema.validate(payload, SCHEMA)
    assert pooled_change(payload, "tip-x", "total", "baseline_post") is not None
    assert (
        count_cell(MINIMUM_COUNT - 1)["suppressed"] and not count_cell(MINIMUM_COUNT)["suppressed"]
    )
    assert count_cell(0) == {"value": None, "suppressed": True}


def test_a_lone_small_cell_is_hidden_with_the_next_smallest() -> None:
    # 30 trained people: 13 police, 13 health, 4 housing. Showing both big cells and the total
    # would reveal housing's 4, so the smaller of the two is suppressed too.
    sectors = ["police"] * 13 + ["health"] * 13 + ["housing"] * 4
    data = frame(trained=30, comparison=0, drop_post=0.0)
    data["sector"] = data["person"].map(lambda p: sectors[int(p[1:])])
    payload = aggregate(data)
    trained = payload["instruments"][0]["groups"][0]
    cells = {c["category"]: c for c in trained["by_sector"]}
    assert cells["housing"]["count"]["suppressed"]
    assert sum(c["count"]["suppressed"] for c in cells.values()) == 2
    shown = [c for c in cells.values() if not c["count"]["suppressed"]]
    assert shown[0]["count"]["value"] == 13 and shown[0]["percent"]["value"] == round(100 * 13 / 30)


def test_percentages_are_whole_numbers_and_nothing_names_anyone() -> None:
    data = frame(trained=31, comparison=0)
    payload = aggregate(data)
    text = json.dumps(payload)
    assert "Organisation" not in text and '"R1"' not in text and '"person"' not in text
    for cell in payload["instruments"][0]["groups"][0]["by_format"]:
        assert isinstance(cell["percent"]["value"], int)
    virtual = sum(1 for i in range(31) if i % 3 == 0)
    formats = {c["category"]: c for c in payload["instruments"][0]["groups"][0]["by_format"]}
    assert formats["virtual"]["percent"]["value"] == round(100 * virtual / 31)


def test_few_pairs_give_notes_not_errors() -> None:
    data = frame(trained=5, comparison=0, drop_post=0.0)
    # Everybody changes by the same amount: the SD of the changes is 0, so d_z is undefined.
    data["score"] = data["score"].round()
    base = data[data["wave_id"] == 11].set_index("person")["score"]
    data.loc[data["wave_id"] == 12, "score"] = data.loc[data["wave_id"] == 12, "person"].map(
        base + 1.0
    )
    row = change(aggregate(data), "total", "trained", "baseline_post")
    assert row["n_pairs"]["value"] == 5
    assert row["mean_difference"] == pytest.approx(1.0)
    assert row["d_z"] is None and row["d_z_variance"] is None
    assert row["notes"]


def test_a_frame_without_the_columns_is_refused() -> None:
    with pytest.raises(AnalysisInputError, match="sector"):
        aggregate(frame().drop(columns=["sector"]))
