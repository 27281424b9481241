"""The observation form's data file: it loads, in English and Welsh, and mistakes are named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tip.training.apps_cascade import qa_criteria_file
from tip.training.qa_criteria import DEFAULT_PATH, DataFileError, load_qa_criteria


def test_the_shipped_form_rates_four_criteria_on_a_labelled_scale() -> None:
    criteria = load_qa_criteria()
    assert criteria.codes() == ["fidelity", "accuracy", "handling_distress", "engagement"]
    assert criteria.label(1, "en") == "Not yet" and criteria.label(4, "cy") == "Yn llawn"
    distress = criteria.get("handling_distress")
    assert distress is not None
    assert distress.title("cy") == "Ymdrin â gofid"
    assert all(distress.descriptor(r, "en") and distress.descriptor(r, "cy") for r in (1, 2, 3, 4))
    assert qa_criteria_file() == []


def _write(tmp_path: Path, change: object) -> Path:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "qa_criteria.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_missing_welsh_descriptor_is_named(tmp_path: Path) -> None:
    def drop(data: dict) -> None:  # type: ignore[type-arg]
        del data["criteria"][1]["descriptors"][2]["cy"]

    with pytest.raises(DataFileError, match=r"criterion 2 \(accuracy\), descriptors.2"):
        load_qa_criteria(_write(tmp_path, drop))


def test_a_repeated_code_and_a_scale_out_of_order_are_refused(tmp_path: Path) -> None:
    def repeat(data: dict) -> None:  # type: ignore[type-arg]
        data["criteria"][3]["code"] = "fidelity"

    with pytest.raises(DataFileError, match="used by an earlier entry"):
        load_qa_criteria(_write(tmp_path, repeat))

    def reorder(data: dict) -> None:  # type: ignore[type-arg]
        data["scale"][0]["rating"], data["scale"][1]["rating"] = 2, 1

    with pytest.raises(DataFileError, match="1, 2, 3 and 4 in order"):
        load_qa_criteria(_write(tmp_path, reorder))
