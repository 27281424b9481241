"""What the national view shows of who took part in each shared aggregate: people by group and
wave, by format and by sector, with every suppressed count shown as words and never as a
number; and, under each pooled result, the partnerships left out because their change rests on
fewer than 5 people."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from tests.conftest import signed_in_client
from tests.national.helpers import analyst, shared
from tip.national import pooling
from tip.national.models import SharedAggregate

URL = "/national/"


def _tables(html: str) -> dict[str, str]:
    """Each "who took part" table's HTML by its caption."""
    found = {}
    for table in re.findall(
        r'<table class="govuk-table" id="taking-part-\d+">.*?</table>', html, re.S
    ):
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        assert caption is not None
        found[unescape(caption.group(1)).strip()] = table
    return found


def _cells(table: str, group: str) -> list[tuple[str, str, bool]]:
    """(line kind, text, marked suppressed) of each of the group's cells."""
    cells = []
    for kind, row in re.findall(
        r'<tr class="govuk-table__row" data-line="(\w+)">(.*?)</tr>', table, re.S
    ):
        for cell in re.findall(rf'<td[^>]*data-group="{group}">(.*?)</td>', row, re.S):
            text = re.sub(r"<[^>]+>", "", cell).strip()
            cells.append((kind, unescape(text), "data-suppressed" in cell))
    return cells


@pytest.fixture
def small(db: None) -> list[SharedAggregate]:
    """A big partnership, named, and one whose comparison group is 3 people, unnamed."""
    return [
        shared("Big VRU", seed=11, named=True, trained=40, comparison=12),
        shared("Small VRU", seed=12, trained=30, comparison=3),
    ]


def test_a_small_group_is_shown_as_fewer_than_5_and_never_as_a_number(
    small: list[SharedAggregate],
) -> None:
    response = signed_in_client(analyst()).get(URL)
    html = response.content.decode()
    tables = _tables(html)
    assert set(tables) == {
        "Big VRU: Big VRU programme: Knowledge, attitudes and confidence",
        "Partnership 1: Knowledge, attitudes and confidence",
    }
    comparison = _cells(tables["Partnership 1: Knowledge, attitudes and confidence"], "comparison")
    # People, then one line per wave: all fewer than 5, marked as suppressed, never a number.
    assert [k for k, _t, _s in comparison[:4]] == ["people", "wave", "wave", "wave"]
    for kind, text, suppressed in comparison:
        if text == "–":  # a format or sector the group does not have
            assert kind in ("format", "sector") and not suppressed
            continue
        assert suppressed, (kind, text)
        assert text == ("fewer than 5" if kind in ("people", "wave") else "suppressed")
    # The big one's comparison group of 12 is shown as a number.
    big = _cells(
        tables["Big VRU: Big VRU programme: Knowledge, attitudes and confidence"], "comparison"
    )
    assert big[0] == ("people", "12", False)


def test_every_suppressed_cell_of_the_aggregates_is_shown_without_its_number(
    small: list[SharedAggregate],
) -> None:
    """Walk every count the aggregates carry: the page shows each one shown, and for each one
    suppressed, a marked cell without digits, as many as the aggregates have."""
    html = signed_in_client(analyst()).get(URL).content.decode()
    suppressed = shown = 0
    for share in small:
        for group in share.payload["instruments"][0]["groups"]:
            cells = [group["participants"]] + [w["count"] for w in group["responses_by_wave"]]
            cells += [b["count"] for b in group["by_format"] + group["by_sector"]]
            for cell in cells:
                if cell["suppressed"]:
                    assert cell["value"] is None
                    suppressed += 1
                else:
                    shown += 1
    marked = re.findall(r"<span data-suppressed=\"\">([^<]*)</span>", html)
    assert suppressed > 0 and len(marked) == suppressed
    assert set(marked) <= {"fewer than 5", "suppressed"}
    section = html[html.index('id="taking-part"') :]
    numbers = re.findall(r'data-group="\w+">(\d+)(?: \(\d+%\))?</td>', section)
    assert len(numbers) == shown


def test_percentages_are_whole_numbers_of_the_groups_people(small: list[SharedAggregate]) -> None:
    html = signed_in_client(analyst()).get(URL).content.decode()
    table = _tables(html)["Big VRU: Big VRU programme: Knowledge, attitudes and confidence"]
    percents = re.findall(r"\((\d+(?:\.\d+)?)%\)", table)
    assert percents and all("." not in p for p in percents)
    groups = {g["group"]: g for g in small[0].payload["instruments"][0]["groups"]}
    expected = [b["percent"]["value"] for b in groups["trained"]["by_sector"]]
    trained = [t for k, t, _s in _cells(table, "trained") if k == "sector"]
    assert [int(t.split("(")[1].rstrip("%)")) for t in trained if "(" in t] == [
        e for e in expected if e is not None
    ]


def test_a_partnership_with_fewer_than_5_pairs_is_named_as_left_out(db: None) -> None:
    shared("Eastvale VRU", seed=21, named=True)
    shared("Tiny VRU", seed=22, trained=4, comparison=0)
    shared("Westmoor VRU", seed=23)
    response = signed_in_client(analyst()).get(URL)
    html = response.content.decode()
    results = response.context["results"]
    for r in results:
        p = r["pooled"]
        assert p.result is not None and p.result.k == 2
        assert p.too_few == ["Partnership 1"]
        left_out = next(c for c in p.contributions if c.label == "Partnership 1")
        assert left_out.suppressed and left_out.n_pairs is None
        assert left_out.left_out == pooling.FEWER_THAN_MINIMUM
        assert (
            f'<p class="govuk-body" id="{p.key}-too-few">Not pooled: fewer than 5 people with '
            'both scores: <span data-left-out="fewer-than-5">Partnership 1</span>.</p>'
        ) in html
    assert "Tiny" not in html
    # Its people: fewer than 5 wherever they are counted, its comparison group (none) left out.
    tiny = _tables(html)["Partnership 1: Knowledge, attitudes and confidence"]
    assert 'data-group="comparison"' not in tiny
    assert all(
        s and t == "fewer than 5"
        for k, t, s in _cells(tiny, "trained")
        if k != "format" and k != "sector"
    )


def test_a_partnership_with_enough_people_but_no_effect_size_is_not_called_small() -> None:
    def change(n: int | None, g_av: float | None) -> dict[str, Any]:
        return {
            "scale": "total",
            "group": "trained",
            "pair": "baseline_post",
            "to_wave": {"name": "After", "offset_days": 0},
            "n_pairs": {"value": n, "suppressed": n is None},
            "suppressed": n is None,
            "g_av": g_av,
            "g_av_variance": 0.04 if g_av is not None else None,
        }

    def share(label: str, n: int | None, g_av: float | None) -> pooling.Share:
        payload = {
            "instruments": [
                {
                    "instrument_id": "x",
                    "title": "X",
                    "scales": [{"id": "total", "title": "Total"}],
                    "changes": [change(n, g_av)],
                }
            ]
        }
        return pooling.Share(label, payload)

    shares = [
        share("A", 20, 0.4),
        share("B", 12, None),
        share("C", None, None),
        share("D", 30, 0.2),
    ]
    [pooled] = pooling.pool(shares, charts=False)
    assert pooled.result is not None and pooled.result.k == 2
    assert pooled.too_few == ["C"] and pooled.no_effect_size == ["B"]
    by_label = {c.label: c for c in pooled.contributions}
    assert by_label["B"].n_pairs == 12 and not by_label["B"].suppressed
    assert by_label["C"].n_pairs is None and by_label["C"].suppressed
    assert by_label["A"].left_out == "" and by_label["A"].g_av == pytest.approx(0.4)


def test_taking_part_keeps_suppressed_cells_without_a_number() -> None:
    payload = {
        "instruments": [
            {
                "title": "X",
                "waves": [{"key": "w0", "name": "Baseline"}],
                "groups": [
                    {
                        "group": "trained",
                        "participants": {"value": 9, "suppressed": False},
                        "responses_by_wave": [
                            {"wave": "w0", "count": {"value": 9, "suppressed": False}}
                        ],
                        "by_format": [
                            {
                                "category": "virtual",
                                "count": {"value": 6, "suppressed": False},
                                "percent": {"value": 67, "suppressed": False},
                            },
                            {
                                "category": "hybrid",
                                "count": {"value": None, "suppressed": True},
                                "percent": {"value": None, "suppressed": True},
                            },
                        ],
                        "by_sector": [],
                    },
                    {
                        "group": "comparison",
                        "participants": {"value": None, "suppressed": True},
                        "responses_by_wave": [
                            {"wave": "w0", "count": {"value": None, "suppressed": True}}
                        ],
                        "by_format": [
                            {
                                "category": "unknown",
                                "count": {"value": None, "suppressed": True},
                                "percent": {"value": None, "suppressed": True},
                            }
                        ],
                        "by_sector": [],
                    },
                ],
            }
        ]
    }
    [part] = pooling.taking_part([pooling.Share("A", payload)])
    assert part.groups == ("trained", "comparison") and part.suppressed
    rows = {(r.kind, r.category): r.cells for r in part.rows}
    assert rows[("people", "")] == (pooling.Cell(9), pooling.Cell(None))
    assert rows[("wave", "Baseline")] == (pooling.Cell(9), pooling.Cell(None))
    assert rows[("format", "virtual")] == (pooling.Cell(6, 67), None)
    assert rows[("format", "hybrid")] == (pooling.Cell(None), None)
    assert rows[("format", "unknown")] == (None, pooling.Cell(None))
