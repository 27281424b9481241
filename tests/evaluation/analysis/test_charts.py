"""The report's charts: the same data give the same bytes; every chart is an accessible image
(role, title, description that aria-labelledby points at) with ids of its own; no inline styles
(the site's Content Security Policy refuses them), no dates; the palette is colour-blind safe;
what is drawn is the data given."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tip.evaluation.analysis import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, under test)


def _means(chart_id: str = "m", title: str = "Means", description: str = "Alt") -> charts.Svg:
    return charts.means_chart(
        [
            charts.Series(
                "Trained",
                (
                    charts.Interval("Baseline", 3.1, 2.9, 3.3, 40),
                    charts.Interval("Straight after", 3.6, 3.4, 3.8, 35),
                    charts.Interval("Six months after", 3.5, 3.2, 3.8, 20),
                ),
            ),
            charts.Series(
                "Comparison",
                (
                    charts.Interval("Baseline", 3.0, 2.8, 3.2, 30),
                    charts.Interval("Six months after", None),
                ),
            ),
        ],
        chart_id=chart_id,
        title=title,
        description=description,
        y_label="Mean score",
    )


def _all() -> list[charts.Svg]:
    return [
        _means(),
        charts.interval_chart(
            [charts.Interval("Knowledge", 0.5, 0.3, 0.7, 40), charts.Interval("Empty", None)],
            chart_id="i",
            title="Effects",
            description="Alt",
            x_label="g",
        ),
        charts.shares_chart(
            [charts.Shares("Straight after", 40, 50, 10, 40)],
            chart_id="s",
            title="Shares",
            description="Alt",
            categories=("Improved", "Unchanged", "Worse"),
            x_label="%",
        ),
        charts.flow_chart(
            [
                charts.FlowWave(
                    "Baseline, trained",
                    (charts.FlowStage("Invited", 1234), charts.FlowStage("Responded", None)),
                )
            ],
            chart_id="f",
            title="Flow",
            description="Alt",
        ),
    ]


def test_the_same_data_give_the_same_svg() -> None:
    first, second = _means(), _means()
    assert first.svg == second.svg
    assert [c.svg for c in _all()] == [c.svg for c in _all()]


def test_no_date_metadata_or_prolog() -> None:
    for chart in _all():
        assert chart.svg.startswith("<svg ")
        assert "<metadata" not in chart.svg and "dc:date" not in chart.svg
        assert "<?xml" not in chart.svg and "DOCTYPE" not in chart.svg
        assert not re.search(r"\b20\d\d-\d\d-\d\d", chart.svg)


def test_every_chart_is_an_image_with_a_title_and_description() -> None:
    for chart in _all():
        root = _parse(chart.svg)  # well-formed XML
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and desc is not None
        assert title.text == chart.title and desc.text == chart.description
        ids = {e.get("id") for e in root.iter()}
        labelled = (root.get("aria-labelledby") or "").split()
        assert labelled == [title.get("id"), desc.get("id")]
        assert set(labelled) <= ids


def test_titles_and_descriptions_are_escaped() -> None:
    chart = _means(title="Scores <b>&</b>", description='Say "no" & <script>')
    assert "<b>" not in chart.svg and "<script>" not in chart.svg
    root = _parse(chart.svg)
    assert root.find(f"{SVG}title").text == "Scores <b>&</b>"  # type: ignore[union-attr]


def test_ids_are_prefixed_so_two_charts_can_share_a_page() -> None:
    one, two = _means("first-chart"), _means("second-chart")
    ids_one = set(re.findall(r'\bid="([^"]+)"', one.svg))
    ids_two = set(re.findall(r'\bid="([^"]+)"', two.svg))
    assert ids_one and all(i.startswith("first-chart-") for i in ids_one)
    assert not ids_one & ids_two
    # Every internal reference points at an id of the same chart.
    for ref in re.findall(r"url\(#([^)]+)\)", one.svg) + re.findall(r'href="#([^"]+)"', one.svg):
        assert ref in ids_one


def test_no_inline_styles_for_the_content_security_policy() -> None:
    for chart in _all():
        assert " style=" not in chart.svg and "<style" not in chart.svg
        assert 'fill="' in chart.svg  # presentation attributes instead


def test_charts_fit_their_container() -> None:
    for chart in _all():
        root = _parse(chart.svg)
        assert root.get("width") == "100%" and root.get("height") is None
        assert root.get("viewBox")


def test_colours_come_from_the_colour_blind_safe_palette() -> None:
    svg = _means().svg
    assert charts.PALETTE[0].lower() in svg.lower() and charts.PALETTE[1].lower() in svg.lower()
    # matplotlib's default blue and orange are not used.
    assert "#1f77b4" not in svg and "#ff7f0e" not in svg


def test_what_is_drawn_is_the_data_given() -> None:
    flow = _all()[3].svg
    assert "1,234" in flow and "Invited" in flow and "–" in flow  # a missing count: a dash
    shares = _all()[2].svg
    assert "40%" in shares and "50%" in shares and "10%" in shares
    means = _means().svg
    assert "Straight after" in means and "Comparison" in means


def test_empty_charts_say_so() -> None:
    empty = charts.interval_chart(
        [], chart_id="e", title="T", description="D", x_label="x", empty="Nothing yet"
    )
    assert "Nothing yet" in empty.svg
    none = charts.means_chart(
        [charts.Series("Trained", (charts.Interval("Baseline", None),))],
        chart_id="n",
        title="T",
        description="D",
        y_label="y",
        empty="No scores yet",
    )
    assert "No scores yet" in none.svg
    flow = charts.flow_chart([], chart_id="f0", title="T", description="D", empty="No waves")
    assert "No waves" in flow.svg


def test_long_labels_wrap() -> None:
    label = "Attitudes to trauma-informed practice (mean, 1 to 5), Six months after"
    chart = charts.interval_chart(
        [charts.Interval(label, 0.2, 0.1, 0.3, 10)],
        chart_id="w",
        title="T",
        description="D",
        x_label="g",
    )
    assert label not in chart.svg  # split over lines
    assert "Attitudes to trauma-informed" in chart.svg


def test_groups_that_change_nothing_are_unwrapped_and_the_drawing_is_kept() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        ' <g id="figure_1">\n'
        '  <g id="line2d_1">\n'
        '   <defs><path id="m1" d="M 0 0 L 0 3"/></defs>\n'
        '   <g><use xlink:href="#m1" x="1" y="2"/></g>\n'
        "  </g>\n"
        '  <g clip-path="url(#c1)"><path d="M 1 1"/></g>\n'
        '  <g id="kept"><text>a</text></g>\n'
        '  <g transform="translate(1 2)"><g id="inner"><text>b</text></g></g>\n'
        '  <g id="empty"/>\n'
        '  <use xlink:href="#kept"/>\n'
        " </g>\n"
        '<defs><clipPath id="c1"><rect width="1" height="1"/></clipPath></defs>\n'
        "</svg>"
    )
    out = charts._unwrap_groups(svg)
    tree = _parse(out)
    groups = [(g.attrib, len(g)) for g in tree.iter(f"{SVG}g")]
    assert groups == [
        ({"clip-path": "url(#c1)"}, 1),
        ({"id": "kept"}, 1),  # something refers to it
        ({"transform": "translate(1 2)"}, 1),
        ({"id": "empty"}, 0),
    ]
    before = _parse(svg)
    for tag in ("path", "use", "text", "rect", "defs", "clipPath"):
        assert len(list(tree.iter(SVG + tag))) == len(list(before.iter(SVG + tag))), tag
    assert "\n\n" not in out
    # Real charts: no bare groups left, and far fewer elements than matplotlib wrote.
    for chart in _all():
        found = _parse(chart.svg)
        bare = [g for g in found.iter(f"{SVG}g") if not g.attrib]
        assert not bare
