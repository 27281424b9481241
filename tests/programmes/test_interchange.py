"""Theory of Change export (JSON, CSV) and import: a round trip gives an identical programme, and a
faulty file is refused whole, with every problem named."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from jsonschema import Draft202012Validator

from tests.conftest import World, signed_in_client
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.programmes import interchange
from tip.programmes.interchange import InterchangeError, parse
from tip.programmes.interchange_services import (
    CSV_COLUMNS,
    programme_export,
    programme_export_csv,
    programme_import,
)
from tip.programmes.models import (
    Element,
    ElementKind,
    EvaluationQuestion,
    EvidenceRating,
    Horizon,
    Indicator,
    Level,
    Link,
    Note,
    NoteKind,
    Programme,
    QuestionStatus,
)

MODELS = (Programme, Element, Link, Note, Indicator, EvaluationQuestion)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def build_programme(world: World, name: str = "Safer Streets") -> Programme:
    """A programme with 16 elements, rated links, notes on elements and links, indicators and
    evaluation questions, written straight to the database (as the builder pages would)."""
    p = world.partnership
    programme = Programme.objects.create(
        partnership=p, name=name, aims="Fewer young people harmed.\nMore trust in services."
    )
    elements = []
    for i in range(5):
        elements.append(
            Element.objects.create(
                partnership=p,
                programme=programme,
                kind=ElementKind.ACTIVITY,
                title=f"Activity {i}",
                description=f"What activity {i} involves" if i % 2 else "",
                position=5 - i,  # shown in reverse order of creation
            )
        )
    for i in range(5):
        elements.append(
            Element.objects.create(
                partnership=p, programme=programme, kind=ElementKind.OUTPUT, title=f"Output {i}"
            )
        )
    levels, horizons = list(Level), list(Horizon)
    for i in range(6):
        elements.append(
            Element.objects.create(
                partnership=p,
                programme=programme,
                kind=ElementKind.OUTCOME,
                title=f"Outcome {i} – Welsh: Canlyniad ŵy",
                level=levels[i % len(levels)],
                horizon=horizons[i % len(horizons)],
                outcome_code="practitioners.knowledge" if i == 0 else "",
                position=i,
            )
        )
    ratings = list(EvidenceRating)
    links = []
    for i in range(5):  # activity i -> output i -> outcome i -> outcome 5
        for source, target in (
            (elements[i], elements[5 + i]),
            (elements[5 + i], elements[10 + i]),
            (elements[10 + i], elements[15]),
        ):
            links.append(
                Link.objects.create(
                    partnership=p,
                    programme=programme,
                    source=source,
                    target=target,
                    rationale=f"Because {source.title} leads on",
                    evidence=ratings[len(links) % len(ratings)],
                    evidence_source="Smith et al. 2021" if len(links) % 2 else "",
                )
            )
    kinds = list(NoteKind)
    for i in range(4):
        Note.objects.create(
            partnership=p,
            programme=programme,
            kind=kinds[i % 3],
            text=f"On element {i}",
            element=elements[i * 3],
        )
        Note.objects.create(
            partnership=p,
            programme=programme,
            kind=kinds[(i + 1) % 3],
            text=f"On link {i}",
            link=links[i * 2],
        )
    for i in range(3):
        Indicator.objects.create(
            partnership=p,
            outcome=elements[10 + i],
            what=f"Measure {i}",
            how="Survey",
            from_whom="Practitioners",
            when="Every term",
        )
    EvaluationQuestion.objects.create(
        partnership=p,
        programme=programme,
        text="Did practitioners' confidence grow?",
        status=QuestionStatus.ACCEPTED,
        proposal_key="outcome.practitioners",
    )
    EvaluationQuestion.objects.create(
        partnership=p, programme=programme, text="Our own question", status="dismissed"
    )
    return programme


def _valid() -> dict[str, Any]:
    return {
        "format": "tip.theory-of-change",
        "version": 1,
        "programme": {"name": "From a file", "aims": ""},
        "elements": [
            {"ref": "a1", "kind": "activity", "title": "Mentoring sessions"},
            {"ref": "p1", "kind": "output", "title": "Young people mentored"},
            {
                "ref": "o1",
                "kind": "outcome",
                "title": "Feel safer",
                "level": "beneficiaries",
                "horizon": "medium",
            },
        ],
        "links": [
            {"source": "a1", "target": "p1", "evidence": "strong"},
            {"source": "p1", "target": "o1", "evidence": "emerging"},
        ],
        "notes": [{"kind": "assumption", "text": "Mentors stay", "element": "a1"}],
        "indicators": [
            {
                "outcome": "o1",
                "what": "Feeling safe",
                "how": "Survey",
                "from_whom": "Young people",
                "when": "Quarterly",
            }
        ],
        "evaluation_questions": [],
    }


def _problems(data: Any) -> list[str]:
    text = data if isinstance(data, str | bytes) else json.dumps(data)
    with pytest.raises(InterchangeError) as caught:
        parse(text)
    return caught.value.problems


# --- The format ----------------------------------------------------------------------------------


def test_the_formats_values_are_the_models_choices() -> None:
    assert set(interchange.ELEMENT_KINDS) == set(ElementKind.values)
    assert set(interchange.LEVELS) == set(Level.values)
    assert set(interchange.HORIZONS) == set(Horizon.values)
    assert set(interchange.EVIDENCE_RATINGS) == set(EvidenceRating.values)
    assert set(interchange.NOTE_KINDS) == set(NoteKind.values)
    assert set(interchange.QUESTION_STATUSES) == set(QuestionStatus.values)
    props = interchange.schema()["properties"]
    items = {name: props[name]["items"]["properties"] for name in props if "items" in props[name]}
    assert set(items["elements"]["kind"]["enum"]) == set(ElementKind.values)
    assert set(items["elements"]["level"]["enum"]) == {"", *Level.values}
    assert set(items["elements"]["horizon"]["enum"]) == {"", *Horizon.values}
    assert set(items["links"]["evidence"]["enum"]) == set(EvidenceRating.values)
    assert set(items["notes"]["kind"]["enum"]) == set(NoteKind.values)
    assert set(items["evaluation_questions"]["status"]["enum"]) == set(QuestionStatus.values)


def test_the_schema_is_valid_and_refuses_unknown_fields_everywhere() -> None:
    Draft202012Validator.check_schema(interchange.schema())

    def objects(node: Any) -> list[dict[str, Any]]:
        found = []
        if isinstance(node, dict):
            if node.get("type") == "object":
                found.append(node)
            for value in node.values():
                found += objects(value)
        elif isinstance(node, list):
            for value in node:
                found += objects(value)
        return found

    every = objects(interchange.schema())
    assert len(every) >= 8
    assert all(o.get("additionalProperties") is False for o in every)


def test_a_valid_file_parses() -> None:
    document = parse(json.dumps(_valid()))
    assert [e.ref for e in document.elements] == ["a1", "p1", "o1"]
    assert document.links[0].rationale == ""
    assert document.notes[0].element == "a1"


@pytest.mark.django_db
def test_the_export_validates_against_its_own_schema(world_a: World) -> None:
    data = programme_export(programme=build_programme(world_a))
    Draft202012Validator(interchange.schema()).validate(data)
    assert data["format"] == "tip.theory-of-change" and data["version"] == 1
    assert [e["ref"] for e in data["elements"]] == [f"e{i}" for i in range(1, 17)]
    kinds = [e["kind"] for e in data["elements"]]
    assert kinds == ["activity"] * 5 + ["output"] * 5 + ["outcome"] * 6
    # Within a kind, in their order on the page (activities were given positions 5 to 1).
    assert [e["title"] for e in data["elements"][:5]] == [f"Activity {i}" for i in range(4, -1, -1)]


# --- Round trip ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_then_import_gives_an_identical_programme(world_a: World) -> None:
    original = build_programme(world_a)
    first = programme_export(programme=original)
    assert len(first["elements"]) == 16
    assert len(first["links"]) == 15
    assert {n.get("element") is None for n in first["notes"]} == {True, False}
    assert len(first["indicators"]) == 3 and len(first["evaluation_questions"]) == 2

    lead = world_a.user(Role.PROGRAMME_LEAD)
    text = interchange.dumps(first)
    copy_ = programme_import(
        partnership=world_a.partnership, document=parse(text), by=lead, name="Safer Streets 2"
    )
    second = programme_export(programme=copy_)

    assert second["programme"]["name"] == "Safer Streets 2"
    first["programme"]["name"] = second["programme"]["name"]
    assert second == first
    # And the imported file is the exported one, byte for byte, but for the name.
    assert interchange.dumps(second) == interchange.dumps(first)


@pytest.mark.django_db
def test_every_imported_object_is_audited(world_a: World) -> None:
    original = build_programme(world_a)
    lead = world_a.user(Role.PROGRAMME_LEAD)
    before = _counts()
    entries_before = AuditEntry.objects.count()
    programme_import(
        partnership=world_a.partnership,
        document=parse(interchange.dumps(programme_export(programme=original))),
        by=lead,
        name="Audited copy",
    )
    created = sum(_counts().values()) - sum(before.values())
    entries = AuditEntry.objects.order_by("pk")[entries_before:]
    assert len(entries) == created
    assert all(
        e.action == AuditAction.CREATE
        and e.actor_id == lead.pk
        and e.partnership_id == world_a.partnership.pk
        for e in entries
    )
    assert {e.object_type for e in entries} == {f"programmes.{m.__name__}" for m in MODELS}


@pytest.mark.django_db
def test_an_import_takes_the_files_name_and_refuses_a_name_in_use(world_a: World) -> None:
    from django.core.exceptions import ValidationError

    lead = world_a.user(Role.PROGRAMME_LEAD)
    document = parse(json.dumps(_valid()))
    programme = programme_import(partnership=world_a.partnership, document=document, by=lead)
    assert programme.name == "From a file"
    before = _counts()
    with pytest.raises(ValidationError, match="already a programme called “from a file”"):
        programme_import(
            partnership=world_a.partnership, document=document, by=lead, name="from a file"
        )
    assert _counts() == before


@pytest.mark.django_db
def test_a_failure_part_way_leaves_nothing_behind(world_a: World) -> None:
    """All or nothing: a database refusal on the last object undoes the programme and the rest."""
    document = parse(json.dumps(_valid()))
    too_long = interchange.Indicator("o1", "x" * 301, "how", "whom", "when")
    broken = dataclasses.replace(document, indicators=(too_long,))
    before, entries = _counts(), AuditEntry.objects.count()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Indicator 1"):
        programme_import(
            partnership=world_a.partnership, document=broken, by=world_a.user(Role.EVALUATOR)
        )
    assert _counts() == before
    assert AuditEntry.objects.count() == entries


# --- Refusals ------------------------------------------------------------------------------------


def test_malformed_json_is_refused_with_its_line_and_column() -> None:
    [problem] = _problems('{\n  "format": "tip.theory-of-change",\n  "version": 1,,\n}')
    assert "not valid JSON" in problem
    assert "line 3, column 16" in problem


def test_a_file_that_is_not_text_or_not_a_theory_of_change_is_refused() -> None:
    assert "could not be read as text" in _problems(b"\xff\xfe\x00\x81")[0]
    assert "not a TIP Theory of Change" in _problems("[1, 2]")[0]
    assert "not a TIP Theory of Change" in _problems({"format": "other"})[0]
    data = _valid()
    data["version"] = 2
    assert "version 2" in _problems(data)[0]


def test_unknown_fields_are_refused_naming_the_field_and_element() -> None:
    data = _valid()
    data["elements"][1]["colour"] = "blue"
    data["links"][0]["weight"] = 3
    data["programme"]["owner"] = "Someone"
    data["extra"] = []
    problems = _problems(data)
    assert any("element p1 “Young people mentored”" in p and "“colour”" in p for p in problems)
    assert any(
        "link from a1 “Mentoring sessions” to p1 “Young people mentored”" in p and "“weight”" in p
        for p in problems
    )
    assert any("the programme" in p and "“owner”" in p for p in problems)
    assert any("the file" in p and "“extra”" in p for p in problems)
    assert all("not a field of the format" in p for p in problems)
    assert len(problems) == 4


def test_bad_values_are_refused_naming_the_element_and_the_values_allowed() -> None:
    data = _valid()
    data["elements"][0]["kind"] = "activities"
    data["links"][1]["evidence"] = "very strong"
    del data["elements"][1]["title"]
    data["indicators"][0]["how"] = 3
    problems = _problems(data)
    assert any(
        "element a1 “Mentoring sessions”" in p and "activity, output, outcome" in p
        for p in problems
    )
    assert any('“evidence” is "very strong"' in p and "strong, moderate" in p for p in problems)
    assert any("element p1" in p and "“title” is missing" in p for p in problems)
    assert any("indicator 1" in p and "“how” should be text" in p for p in problems)


def test_an_outcome_without_a_level_or_horizon_is_refused_naming_it() -> None:
    data = _valid()
    del data["elements"][2]["level"]
    data["elements"][2]["horizon"] = ""
    problems = _problems(data)
    assert problems == [
        "Element o1 “Feel safer” is an outcome but has no level. Use one of: practitioners, "
        "organisations, beneficiaries, sector.",
        "Element o1 “Feel safer” is an outcome but has no horizon. Use one of: short, medium, "
        "long.",
    ]


def test_links_to_unknown_refs_and_duplicate_refs_are_refused() -> None:
    data = _valid()
    data["links"].append({"source": "o1", "target": "o9", "evidence": "none"})
    data["notes"].append({"kind": "barrier", "text": "Funding", "element": "zz"})
    data["notes"].append(
        {"kind": "barrier", "text": "Cuts", "link": {"source": "a1", "target": "o1"}}
    )
    data["indicators"].append(dict(data["indicators"][0], outcome="a1"))
    data["elements"].append({"ref": "p1", "kind": "output", "title": "Sessions delivered"})
    problems = _problems(data)
    assert (
        "In the link from o1 “Feel safer” to o9, “target” is “o9”, but no element in the file has "
        "that ref." in problems
    )
    assert "In note 2, “element” is “zz”, but no element in the file has that ref." in problems
    assert any(
        "note 3" in p and "no link from a1 “Mentoring sessions” to o1" in p for p in problems
    )
    assert any(
        "indicator 2" in p and "a1 “Mentoring sessions” is not an outcome" in p for p in problems
    )
    assert any(
        "ref “p1”" in p and "“Young people mentored” and “Sessions delivered”" in p
        for p in problems
    )


def test_cycles_are_refused_naming_the_elements_in_them() -> None:
    data = _valid()
    data["links"].append({"source": "o1", "target": "a1", "evidence": "none"})
    data["links"].append({"source": "p1", "target": "p1", "evidence": "none"})
    problems = _problems(data)
    assert (
        "The links go round in a circle: a1 “Mentoring sessions” → p1 “Young people mentored” → "
        "o1 “Feel safer” → a1 “Mentoring sessions”. A Theory of Change leads one way, so one of "
        "these links needs to go." in problems
    )
    assert "Element p1 “Young people mentored” is linked to itself. Remove that link." in problems
    assert len(problems) == 2


def test_find_cycles_reports_each_circle_once() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "c"), ("x", "y")]
    assert interchange.find_cycles(edges) == [["a", "b", "c", "a"], ["c", "d", "c"]]
    assert interchange.find_cycles([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]) == []
    chain = [(f"n{i}", f"n{i + 1}") for i in range(5000)]
    assert interchange.find_cycles(chain) == []  # no recursion limit


def test_many_problems_are_capped_with_a_count() -> None:
    data = _valid()
    data["elements"] += [{"ref": f"x{i}", "kind": "outcome", "title": f"T{i}"} for i in range(40)]
    problems = _problems(data)
    assert len(problems) == interchange.MAX_PROBLEMS + 1
    assert problems[-1] == "There are 30 more problems not listed here."


def test_problems_translate_with_their_parts() -> None:
    data = _valid()
    data["elements"][0]["colour"] = "blue"
    [problem] = _problems(data)
    assert isinstance(problem, interchange.Problem)
    welsh = {
        problem.template: "Yn %(place)s, nid yw “%(field)s” yn rhan o’r fformat.",
        "element %(element)s": "elfen %(element)s",
    }
    translated = problem.translated(lambda text: welsh.get(text, text))
    assert translated == "Yn elfen a1 “Mentoring sessions”, nid yw “colour” yn rhan o’r fformat."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["elements"].append({"ref": "bad", "kind": "outcome", "title": "No level"}),
        lambda d: d["links"].append({"source": "o1", "target": "a1", "evidence": "none"}),
        lambda d: d["links"].append({"source": "o1", "target": "nowhere", "evidence": "none"}),
        lambda d: d["elements"][0].update(extra=True),
    ],
    ids=["outcome-without-level", "cycle", "dangling-ref", "unknown-field"],
)
def test_a_refused_file_creates_nothing(world_a: World, change: Any) -> None:
    data = _valid()
    change(data)
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    before, entries = _counts(), AuditEntry.objects.count()
    response = client.post(reverse("programmes:programme-import"), {"file": _upload(data)})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert _counts() == before
    assert AuditEntry.objects.count() == entries


# --- CSV -----------------------------------------------------------------------------------------


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a byte order mark, for spreadsheets
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_the_csv_lists_elements_links_and_indicators(world_a: World) -> None:
    programme = build_programme(world_a)
    content = programme_export_csv(programme=programme)
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    assert tuple(next(reader)) == CSV_COLUMNS
    rows = _csv_rows(content)
    records = [r["record"] for r in rows]
    assert records == ["element"] * 16 + ["link"] * 15 + ["indicator"] * 3
    outcome = next(r for r in rows if r["title"] == "Outcome 0 – Welsh: Canlyniad ŵy")
    assert outcome["kind"] == "outcome" and outcome["level"] == "practitioners"
    assert outcome["outcome_code"] == "practitioners.knowledge"
    link = rows[16]
    assert link["source"].startswith("e") and link["evidence"] in EvidenceRating.values
    assert link["title"] == ""
    indicator = rows[-1]
    assert indicator["outcome"] and indicator["what"] == "Measure 2"
    assert indicator["when"] == "Every term"


@pytest.mark.django_db
def test_the_csv_neutralises_cells_a_spreadsheet_would_run(world_a: World) -> None:
    p = world_a.partnership
    programme = Programme.objects.create(partnership=p, name="Formulae")
    a = Element.objects.create(
        partnership=p, programme=programme, kind="activity", title='=HYPERLINK("x")'
    )
    b = Element.objects.create(
        partnership=p, programme=programme, kind="output", title="+1", description="@SUM(A1)"
    )
    Link.objects.create(
        partnership=p, programme=programme, source=a, target=b, evidence="none", rationale="-2"
    )
    rows = _csv_rows(programme_export_csv(programme=programme))
    assert rows[0]["title"] == '\'=HYPERLINK("x")'
    assert rows[1]["title"] == "'+1" and rows[1]["description"] == "'@SUM(A1)"
    assert rows[2]["rationale"] == "'-2"


# --- Pages ---------------------------------------------------------------------------------------


def _upload(data: Any, name: str = "toc.json") -> SimpleUploadedFile:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


@pytest.mark.django_db
def test_the_json_download_is_an_attachment_that_imports_back(world_a: World) -> None:
    programme = build_programme(world_a)
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    response = client.get(reverse("programmes:programme-export-json", args=[programme.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="safer-streets-theory-of-change.json"'
    )
    assert json.loads(response.content) == programme_export(programme=programme)

    lead = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    response = lead.post(
        reverse("programmes:programme-import"),
        {"file": _upload(response.content), "name": "Safer Streets (copy)"},
    )
    assert response.status_code == 302
    imported = Programme.objects.get(partnership=world_a.partnership, name="Safer Streets (copy)")
    assert response["Location"] == reverse("programmes:programme-detail", args=[imported.pk])
    assert imported.elements.count() == 16


@pytest.mark.django_db
def test_the_csv_download_is_an_attachment(world_a: World) -> None:
    programme = build_programme(world_a)
    client = signed_in_client(world_a.user(Role.AUDITOR))
    response = client.get(reverse("programmes:programme-export-csv", args=[programme.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content == programme_export_csv(programme=programme)


@pytest.mark.django_db
def test_another_partnerships_programme_cannot_be_exported(world_a: World, world_b: World) -> None:
    theirs = build_programme(world_b)
    client = signed_in_client(world_a.user(Role.PARTNERSHIP_ADMIN))
    for name in ("programmes:programme-export-json", "programmes:programme-export-csv"):
        response = client.get(reverse(name, args=[theirs.pk]))
        assert response.status_code == 404
        assert b"Safer Streets" not in response.content


@pytest.mark.django_db
def test_the_import_page_is_a_file_upload_form(world_a: World) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    response = client.get(reverse("programmes:programme-import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'class="govuk-file-upload"' in html and 'type="file"' in html
    assert 'accept=".json,application/json"' in html
    practitioner = signed_in_client(world_a.user(Role.PRACTITIONER))
    assert practitioner.get(reverse("programmes:programme-import")).status_code == 403


@pytest.mark.django_db
def test_upload_problems_are_each_listed_in_the_error_summary(world_a: World) -> None:
    data = _valid()
    data["elements"][2]["level"] = ""
    data["links"].append({"source": "o1", "target": "ghost", "evidence": "none"})
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    response = client.post(reverse("programmes:programme-import"), {"file": _upload(data)})
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index("govuk-error-summary")
    summary = html[start : html.index("</ul>", start)]
    assert summary.count('href="#id_file"') == 2
    assert "Element o1 “Feel safer” is an outcome but has no level" in summary
    assert "“target” is “ghost”, but no element in the file has that ref" in summary
    assert "<title>Error: " in html


@pytest.mark.django_db
def test_upload_refuses_a_missing_too_large_or_clashing_file(world_a: World) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = reverse("programmes:programme-import")
    response = client.post(url, {})
    assert "Select a Theory of Change file" in response.content.decode()

    big = _valid()
    big["programme"]["aims"] = "x" * (2 * 1024 * 1024)
    response = client.post(url, {"file": _upload(big)})
    assert "The selected file must be smaller than 2 MB" in response.content.decode()

    build_programme(world_a, name="From a file")
    before = _counts()
    response = client.post(url, {"file": _upload(_valid())})
    html = response.content.decode()
    assert "There is already a programme called “From a file”" in html
    assert 'href="#id_name"' in html
    assert _counts() == before
    response = client.post(url, {"file": _upload(_valid()), "name": "From a file, again"})
    assert response.status_code == 302


def test_the_document_round_trips_through_json_text() -> None:
    document = parse(json.dumps(_valid()))
    again = parse(interchange.dumps(document))
    assert again == document
    data = copy.deepcopy(document.to_dict())
    assert data["notes"] == [{"kind": "assumption", "text": "Mentors stay", "element": "a1"}]


@pytest.mark.django_db
def test_the_programme_pages_link_to_the_downloads_and_the_import(world_a: World) -> None:
    programme = build_programme(world_a)
    practitioner = signed_in_client(world_a.user(Role.PRACTITIONER))
    html = practitioner.get(reverse("programmes:programme-detail", args=[programme.pk])).content
    assert reverse("programmes:programme-export-json", args=[programme.pk]).encode() in html
    assert reverse("programmes:programme-export-csv", args=[programme.pk]).encode() in html
    import_url = reverse("programmes:programme-import").encode()
    assert import_url not in practitioner.get(reverse("programmes:programme-list")).content
    lead = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    assert import_url in lead.get(reverse("programmes:programme-list")).content
