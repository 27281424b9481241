"""The server-drawn Theory of Change diagram: well-formed, accessible, escaped, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tip.programmes.analysis import Edge, Node, TocGraph, render_svg
from tip.programmes.analysis.diagram import DEFAULT_LABELS

SVG = "{http://www.w3.org/2000/svg}"


def graph() -> TocGraph:
    return TocGraph(
        nodes=[
            Node(1, "activity", "Train frontline staff in trauma-informed practice"),
            Node(2, "output", "Staff trained"),
            Node(3, "outcome", "Increased knowledge of trauma", "practitioners", "short"),
            Node(4, "outcome", "Staff recognise trauma", "practitioners", "medium"),
            Node(5, "outcome", "Better multi-agency working", "organisations", "medium"),
            Node(6, "outcome", "Improved life chances", "beneficiaries", "long"),
        ],
        edges=[
            Edge(1, 2, "strong", id=1),
            Edge(2, 3, "moderate", id=2),
            Edge(3, 4, "emerging", id=3),
            Edge(4, 5, "none", id=4),
            Edge(5, 6, "none", id=5),
            Edge(6, 99, "none", id=6),  # to a missing element: not drawn
        ],
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, under test)


def test_the_diagram_is_well_formed_accessible_svg() -> None:
    root = parse(render_svg(graph(), labels={}))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Theory of Change"
    assert desc is not None and desc.text is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Activities: 1. Outputs: 1. Outcomes: 4. Links: 5." in desc.text
    assert "“Staff recognise trauma” leads to “Better multi-agency working”" in desc.text
    width, height = int(root.get("width", "0")), int(root.get("height", "0"))
    assert root.get("viewBox") == f"0 0 {width} {height}"


def test_links_are_arrows_styled_by_their_evidence() -> None:
    root = parse(render_svg(graph(), labels={}))
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("marker-end")]
    assert len(arrows) == 5
    styles = {p.get("class", "").split()[-1]: p.get("stroke-dasharray") for p in arrows}
    assert styles == {
        "link-strong": None,
        "link-moderate": None,
        "link-emerging": "8 5",
        "link-none": "2 4",
    }
    marker = root.find(f".//{SVG}marker")
    assert marker is not None
    assert {p.get("marker-end") for p in arrows} == {f"url(#{marker.get('id')})"}


def test_columns_rows_and_legend_come_from_the_labels() -> None:
    welsh = {
        "title": "Damcaniaeth Newid",
        "activities": "Gweithgareddau",
        "long": "Canlyniadau tymor hir",
        "practitioners": "Ymarferwyr",
        "legend": "Tystiolaeth ar gyfer pob cysylltiad",
        "none": "Dim, neu dybiaeth",
    }
    root = parse(render_svg(graph(), labels=welsh))
    texts = {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    assert set(welsh.values()) - {"Damcaniaeth Newid"} <= texts
    assert "Outputs" in texts  # a label not given falls back to English
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Damcaniaeth Newid"
    # Rows only for levels with outcomes, after the activities and outputs.
    rows = [label for label in texts if label in DEFAULT_LABELS.values()]
    assert "Sector-specific" not in rows
    assert "End beneficiaries" in texts


def test_titles_are_escaped() -> None:
    hostile = TocGraph(
        nodes=[
            Node(1, "activity", "<script>alert('x')</script> & more"),
            Node(2, "outcome", 'Quote " and <b>bold</b>', "practitioners", "short"),
        ],
        edges=[Edge(1, 2, "none")],
    )
    svg = render_svg(hostile, labels={"title": "<script>bad()</script>"})
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert any("<script>alert('x')</script>" in text for text in texts)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "<script>bad()</script>"
    assert root.find(f".//{SVG}script") is None


def test_long_titles_wrap_and_the_diagram_grows_to_fit() -> None:
    short = parse(render_svg(graph(), labels={}))
    wordy = graph()
    long_title = "A very long outcome title that needs several lines to show in full " * 3
    wordy = TocGraph(
        nodes=[*wordy.nodes, Node(7, "outcome", long_title, "practitioners", "short")],
        edges=wordy.edges,
    )
    tall = parse(render_svg(wordy, labels={}))
    assert int(tall.get("height", "0")) > int(short.get("height", "0"))
    box_texts = [t for t in tall.iter(f"{SVG}text") if "A very long" in "".join(t.itertext())]
    assert len(box_texts) == 1
    assert len(list(box_texts[0].iter(f"{SVG}tspan"))) > 5


def test_the_same_graph_gives_the_same_bytes() -> None:
    first = render_svg(graph(), labels={})
    assert render_svg(graph(), labels={}) == first
    assert render_svg(graph(), labels={"title": "Other"}) != first


def test_an_empty_theory_of_change_still_draws() -> None:
    root = parse(render_svg(TocGraph(nodes=[], edges=[]), labels={}))
    assert [p for p in root.iter(f"{SVG}path") if p.get("marker-end")] == []


def test_ids_can_be_prefixed_for_several_diagrams_on_one_page() -> None:
    svg = render_svg(graph(), labels={}, id_prefix="programme-7")
    assert 'id="programme-7-arrow"' in svg
    assert 'id="toc-arrow"' not in svg
