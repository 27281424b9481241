"""The outcomes library: Table 2 of the guidance, complete, in English and Welsh, checked by its
schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tip.programmes.outcome_library import DEFAULT_PATH, LibraryError, LibraryOutcome, load_outcomes

# Table 2 ("Examples of TIP outcomes") of the guidance, row by row: level, horizon, outcome.
TABLE_2 = [
    (
        "practitioners",
        "short",
        "Increased practitioner knowledge of ACEs, trauma and its causes, "
        "trauma-informed practice, and use of this knowledge in professional practice",
    ),
    ("practitioners", "short", "Confidence in applying knowledge of trauma"),
    ("practitioners", "medium", "Improved staff recognition and response to trauma"),
    ("practitioners", "medium", "Reduction in vicarious trauma"),
    ("practitioners", "medium", "Improved wellbeing and resilience"),
    ("practitioners", "long", "Improved staff retention"),
    ("practitioners", "long", "Reduced burn-out"),
    (
        "organisations",
        "short",
        "Improvements or changes to frontline practice, policies or processes",
    ),
    ("organisations", "short", "Improved structures of support for staff well-being"),
    (
        "organisations",
        "medium",
        "Better multi-agency collaboration, for example multi-agency "
        "case formulation / intervention planning",
    ),
    ("organisations", "medium", "Improved referrals between partners"),
    (
        "organisations",
        "medium",
        "Changes in systems, for example better data and information "
        "sharing processes between agencies",
    ),
    ("organisations", "medium", "Reduced violence in specific settings"),
    ("organisations", "medium", "Improved organisational recognition and response to trauma"),
    ("organisations", "long", "Common TI policies and strategies across agencies"),
    ("organisations", "long", "Consistency in use of TI language across services"),
    ("beneficiaries", "short", "Improved relationships with staff and trust"),
    (
        "beneficiaries",
        "short",
        "Improved access to and engagement with support services and "
        "specialist therapeutic services",
    ),
    ("beneficiaries", "medium", "Improved emotional regulation and trauma response"),
    ("beneficiaries", "medium", "Improved wellbeing"),
    ("beneficiaries", "medium", "Reduced behavioural difficulties"),
    ("beneficiaries", "medium", "Reduction in re-traumatisation"),
    (
        "beneficiaries",
        "long",
        "Improved sector-specific outcomes, for example educational "
        "attainment or reduced offending, leading to improved life chances",
    ),
]

# The EIF's most plausible outcomes, as the guidance names them: increasing knowledge and
# understanding of trauma; shifting perceptions (staff recognising trauma); contributing to
# changing practice; making improvements to multi-agency working.
EIF_PLAUSIBLE = {
    "Increased practitioner knowledge of ACEs, trauma and its causes, trauma-informed practice, "
    "and use of this knowledge in professional practice",
    "Improved staff recognition and response to trauma",
    "Improvements or changes to frontline practice, policies or processes",
    "Better multi-agency collaboration, for example multi-agency case formulation / "
    "intervention planning",
}


def test_every_table_2_outcome_is_in_the_library_with_its_level_and_horizon() -> None:
    library = load_outcomes()
    assert [(o.level, o.horizon, o.title_en) for o in library] == TABLE_2


def test_the_outcomes_the_eif_judged_most_plausible_are_marked() -> None:
    assert {o.title_en for o in load_outcomes() if o.eif_plausible} == EIF_PLAUSIBLE


def test_every_outcome_has_welsh_and_a_stable_code() -> None:
    library = load_outcomes()
    codes = [o.code for o in library]
    assert len(set(codes)) == len(codes)
    for outcome in library:
        assert outcome.code.startswith(f"{outcome.level}.{outcome.horizon}.")
        assert outcome.title_cy.strip()
        assert outcome.title_cy != outcome.title_en
        assert outcome.title("cy") == outcome.title_cy
        assert outcome.title("cy-gb") == outcome.title_cy
        assert outcome.title("en") == outcome.title_en
    by_code = {o.code: o for o in library}
    assert by_code["practitioners.short.knowledge"].title("cy").startswith("Mwy o wybodaeth")


def test_the_default_library_is_read_once_and_callers_cannot_spoil_the_cache() -> None:
    first = load_outcomes()
    first.clear()
    assert len(load_outcomes()) == len(TABLE_2)


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "outcomes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _shipped() -> dict[str, list[dict[str, object]]]:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_copy_of_the_shipped_file_loads_the_same(tmp_path: Path) -> None:
    assert load_outcomes(_write(tmp_path, _shipped())) == load_outcomes()
    assert isinstance(load_outcomes()[0], LibraryOutcome)


def test_an_entry_without_welsh_is_refused_naming_the_entry(tmp_path: Path) -> None:
    data = _shipped()
    title = data["outcomes"][2]["title"]
    assert isinstance(title, dict)
    del title["cy"]
    with pytest.raises(LibraryError) as raised:
        load_outcomes(_write(tmp_path, data))
    message = str(raised.value)
    assert "outcome 3 (practitioners.medium.recognition)" in message
    assert "'cy' is a required property" in message


def test_the_schema_rejects_unknown_fields(tmp_path: Path) -> None:
    data = _shipped()
    data["outcomes"][0]["colour"] = "red"
    with pytest.raises(
        LibraryError, match=r"outcome 1 \(practitioners\.short\.knowledge\).*colour"
    ):
        load_outcomes(_write(tmp_path, data))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"horizon": "someday"}, "horizon"),
        ({"level": "everyone"}, "level"),
        ({"eif_plausible": "yes"}, "eif_plausible"),
        ({"code": "Not A Code"}, "code"),
        ({"code": "practitioners.long.knowledge"}, "must start with its level and horizon"),
    ],
)
def test_malformed_entries_are_refused_naming_the_entry(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    data = _shipped()
    data["outcomes"][0].update(change)
    with pytest.raises(LibraryError) as raised:
        load_outcomes(_write(tmp_path, data))
    assert "outcome 1" in str(raised.value)
    assert expected in str(raised.value)


def test_a_repeated_code_is_refused(tmp_path: Path) -> None:
    data = _shipped()
    data["outcomes"].append(dict(data["outcomes"][0]))
    with pytest.raises(LibraryError, match=rf"outcome {len(TABLE_2) + 1} .*earlier entry"):
        load_outcomes(_write(tmp_path, data))


def test_a_file_that_is_not_yaml_or_not_a_library_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.yaml"
    path.write_text("outcomes: [unclosed", encoding="utf-8")
    with pytest.raises(LibraryError, match="not valid YAML"):
        load_outcomes(path)
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="the file"):
        load_outcomes(path)
    with pytest.raises(LibraryError, match="cannot be read"):
        load_outcomes(tmp_path / "missing.yaml")
