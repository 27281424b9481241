"""Theory of Change export (JSON, CSV) and import: a round trip gives an identical programme, and a
faulty file is refused whole, with every problem named."""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from jsonschema import Draft202012Validator

from tests.conftest import World, signed_in_client
from tip.core.models import AuditAction, AuditEntry, Organisation, Sector
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
    PHASE_ORDER,
    CoDesignActivity,
    DeliveryBoardMember,
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
    OrganisationLead,
    Participant,
    Phase,
    PhaseKind,
    Programme,
    QuestionStatus,
    WorkforceGroup,
)
from tip.programmes.models_readiness import ReadinessAnswers

MODELS = (
    Programme,
    Element,
    Link,
    Note,
    Indicator,
    EvaluationQuestion,
    Phase,
    DeliveryBoardMember,
    OrganisationLead,
    CoDesignActivity,
    ReadinessAnswers,
)


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
    add_details(world, programme)
    return programme


def add_details(world: World, programme: Programme) -> None:
    """Who the programme is for, its three phases, its governance (the senior responsible owner
    chosen from the partnership's members) and two co-design activities."""
    p = world.partnership
    police, schools = world.organisations
    programme.target_sectors = [Sector.POLICE, Sector.EDUCATION, Sector.VOLUNTARY]
    programme.target_groups = [WorkforceGroup.FRONTLINE, WorkforceGroup.VOLUNTEERS]
    programme.sro_member = world.members[Role.PROGRAMME_LEAD]
    programme.sro_role = "Director of the VRU"
    programme.save()
    for kind, starts, ends in (
        (PhaseKind.REVIEW, datetime.date(2027, 1, 1), datetime.date(2027, 3, 31)),
        (PhaseKind.LEARN, datetime.date(2026, 1, 5), datetime.date(2026, 3, 27)),
        (PhaseKind.IMPLEMENT, datetime.date(2026, 3, 27), datetime.date(2026, 12, 18)),
    ):
        Phase.objects.create(
            partnership=p, programme=programme, kind=kind, starts_on=starts, ends_on=ends
        )
    for name, role, organisation in (
        ("Rhian Ŵy Jones", "Chair", police),
        ("Alex Smith", "", None),
        ("Alex Smith", "Youth worker", schools),
    ):
        DeliveryBoardMember.objects.create(
            partnership=p, programme=programme, name=name, role=role, organisation=organisation
        )
    OrganisationLead.objects.create(
        partnership=p, programme=programme, organisation=schools, name="Sam Head", role="Head"
    )
    OrganisationLead.objects.create(
        partnership=p, programme=programme, organisation=police, name="Pat Inspector"
    )
    CoDesignActivity.objects.create(
        partnership=p,
        programme=programme,
        who_took_part=[Participant.YOUNG_PEOPLE, Participant.OTHER],
        who_else="Parents at the youth club",
        how="Two evening workshops",
        held_on=datetime.date(2026, 2, 11),
        what_changed="The sessions moved to after school",
    )
    CoDesignActivity.objects.create(
        partnership=p,
        programme=programme,
        who_took_part=[Participant.PRACTITIONERS],
        how="A survey",
        held_on=datetime.date(2026, 1, 20),
        what_changed="Plainer words",
    )
    ReadinessAnswers.objects.create(
        partnership=p,
        programme=programme,
        answers={
            "follow_up_planned": {"answer": "yes", "details": "A refresher at 12 months"},
            "course_hours": {"answer": 7.5},
            "latest_follow_up_months": {"answer": 12},
            "screening_for_triage": {"answer": "no"},
        },
    )


def details_of(programme: Programme) -> dict[str, Any]:
    """The programme's details field by field, as the database holds them (no ids but the
    organisations')."""
    programme.refresh_from_db()
    return {
        "target_sectors": programme.target_sectors,
        "target_groups": programme.target_groups,
        "sro_role": programme.sro_role,
        "phases": list(
            Phase.objects.filter(programme=programme)
            .order_by("kind")
            .values_list("kind", "starts_on", "ends_on")
        ),
        "board": list(
            DeliveryBoardMember.objects.filter(programme=programme)
            .order_by("name", "pk")
            .values_list("name", "role", "organisation_id")
        ),
        "leads": list(
            OrganisationLead.objects.filter(programme=programme)
            .order_by("organisation__name")
            .values_list("organisation_id", "name", "role")
        ),
        "codesign": list(
            CoDesignActivity.objects.filter(programme=programme)
            .order_by("held_on", "pk")
            .values_list("who_took_part", "who_else", "how", "held_on", "what_changed")
        ),
        "readiness_answers": ReadinessAnswers.objects.filter(programme=programme)
        .values_list("answers", flat=True)
        .first(),
    }


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
    # The programme's details (version 2).
    assert set(interchange.SECTORS) == set(Sector.values)
    assert set(interchange.WORKFORCE_GROUPS) == set(WorkforceGroup.values)
    assert list(interchange.PHASE_KINDS) == [str(kind) for kind in PHASE_ORDER]
    assert set(interchange.PARTICIPANTS) == set(Participant.values)
    assert interchange.OTHER_PARTICIPANT == Participant.OTHER
    programme = props["programme"]["properties"]
    assert programme["target_sectors"]["items"]["enum"] == list(interchange.SECTORS)
    assert programme["target_groups"]["items"]["enum"] == list(interchange.WORKFORCE_GROUPS)
    assert items["phases"]["kind"]["enum"] == list(interchange.PHASE_KINDS)
    who = items["codesign_activities"]["who_took_part"]
    assert who["items"]["enum"] == list(interchange.PARTICIPANTS)
    assert interchange.schema()["$defs"]["date"]["pattern"] == interchange.DATE_PATTERN
    assert props["version"]["enum"] == list(interchange.VERSIONS)


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
    assert len(every) >= 13
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
    assert data["format"] == "tip.theory-of-change" and data["version"] == 2
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

    # The programme's details, field by field in the database.
    assert len(first["phases"]) == 3 and len(first["codesign_activities"]) == 2
    assert [phase["kind"] for phase in first["phases"]] == ["learn", "implement", "review"]
    assert len(first["delivery_board"]) == 3 and len(first["organisation_leads"]) == 2
    assert len(first["readiness_answers"]) == 4
    assert details_of(copy_) == details_of(original)
    assert details_of(copy_)["readiness_answers"]["course_hours"] == {"answer": 7.5}
    assert details_of(copy_)["leads"][0][0] == world_a.organisations[0].pk  # the same rows
    # The senior responsible owner was a member of the partnership: the copy names them.
    sro = world_a.members[Role.PROGRAMME_LEAD]
    assert first["senior_responsible_owner"] == {
        "name": sro.user.full_name,
        "role": "Director of the VRU",
    }
    assert original.sro_member == sro and original.sro_name == ""
    assert copy_.sro_member is None
    assert (copy_.sro_name, copy_.sro_role) == (sro.user.full_name, "Director of the VRU")

    # A copy of the copy (its owner named, not chosen) is identical to it in every field.
    third = programme_import(
        partnership=world_a.partnership, document=parse(text), by=lead, name="Safer Streets 3"
    )
    assert details_of(third) == details_of(copy_)
    assert (third.sro_member, third.sro_name, third.sro_role) == (
        copy_.sro_member,
        copy_.sro_name,
        copy_.sro_role,
    )


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
    data["version"] = 3
    assert _problems(data) == ["The file uses version 3 of the format. TIP reads versions 1 to 2."]


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


# --- The programme's details (version 2) ----------------------------------------------------------


def _with_details() -> dict[str, Any]:
    data = _valid()
    data["version"] = 2
    data["programme"] |= {"target_sectors": ["police", "health"], "target_groups": ["frontline"]}
    data["phases"] = [
        {"kind": "learn", "starts_on": "2026-01-05", "ends_on": "2026-03-27"},
        {"kind": "implement", "starts_on": "2026-03-27", "ends_on": "2026-12-18"},
    ]
    data["senior_responsible_owner"] = {"name": "Jo Owner", "role": "Director"}
    data["delivery_board"] = [
        {"name": "Rhian Jones", "role": "Chair", "organisation": "Alpha Police"},
        {"name": "Alex Smith"},
    ]
    data["organisation_leads"] = [{"organisation": "Alpha Schools", "name": "Sam Head"}]
    data["codesign_activities"] = [
        {
            "who_took_part": ["young_people", "other"],
            "who_else": "Parents",
            "how": "A workshop",
            "held_on": "2026-02-11",
            "what_changed": "Sessions after school",
        }
    ]
    return data


@pytest.mark.django_db
def test_a_version_1_file_without_details_still_imports(world_a: World) -> None:
    data = _valid()
    assert data["version"] == 1 and "phases" not in data
    assert "target_sectors" not in data["programme"]
    document = parse(json.dumps(data))
    assert document.phases == () and document.sro_name == "" and document.target_sectors == ()
    programme = programme_import(
        partnership=world_a.partnership, document=document, by=world_a.user(Role.PROGRAMME_LEAD)
    )
    assert programme.elements.count() == 3
    assert (programme.target_sectors, programme.target_groups) == ([], [])
    assert (programme.sro_member, programme.sro_name, programme.sro_role) == (None, "", "")
    for model in (Phase, DeliveryBoardMember, OrganisationLead, CoDesignActivity):
        assert not model.objects.filter(programme=programme).exists()
    # Exported again, it is a version 2 file with empty details.
    again = programme_export(programme=programme)
    assert again["version"] == 2
    assert again["phases"] == [] and again["delivery_board"] == []
    assert again["senior_responsible_owner"] == {"name": "", "role": ""}


@pytest.mark.django_db
def test_a_file_with_details_imports_them(world_a: World) -> None:
    police, schools = world_a.organisations
    document = parse(json.dumps(_with_details()))
    programme = programme_import(
        partnership=world_a.partnership, document=document, by=world_a.user(Role.PROGRAMME_LEAD)
    )
    assert programme.target_sectors == ["police", "health"]
    assert (programme.sro_name, programme.sro_role) == ("Jo Owner", "Director")
    assert details_of(programme)["board"] == [
        ("Alex Smith", "", None),
        ("Rhian Jones", "Chair", police.pk),
    ]
    assert details_of(programme)["leads"] == [(schools.pk, "Sam Head", "")]
    [phase_learn, phase_implement] = Phase.objects.filter(programme=programme).order_by("starts_on")
    assert phase_learn.kind == "learn" and phase_implement.ends_on == datetime.date(2026, 12, 18)


@pytest.mark.django_db
def test_organisations_match_ignoring_case_and_spaces_at_the_ends(world_a: World) -> None:
    data = _with_details()
    data["delivery_board"][0]["organisation"] = "  alpha POLICE "
    programme = programme_import(
        partnership=world_a.partnership,
        document=parse(json.dumps(data)),
        by=world_a.user(Role.PROGRAMME_LEAD),
    )
    member = DeliveryBoardMember.objects.get(programme=programme, name="Rhian Jones")
    assert member.organisation == world_a.organisations[0]


@pytest.mark.django_db
def test_an_unknown_organisation_is_refused_naming_it_and_nothing_is_imported(
    world_a: World,
) -> None:
    from django.core.exceptions import ValidationError

    data = _with_details()
    data["delivery_board"][1]["organisation"] = "Gamma Health Board"
    data["organisation_leads"].append({"organisation": "Gamma Health Board", "name": "Lee"})
    data["organisation_leads"].append({"organisation": "Delta Youth", "name": "Kim"})
    before, entries = _counts(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        programme_import(
            partnership=world_a.partnership,
            document=parse(json.dumps(data)),
            by=world_a.user(Role.PROGRAMME_LEAD),
        )
    assert caught.value.messages == [
        "The file names the organisation “Gamma Health Board” (delivery board member 2, "
        "organisation lead 2), but this partnership has no organisation called that. Add the "
        "organisation to the partnership, or change the name in the file to one of its "
        "organisations.",
        "The file names the organisation “Delta Youth” (organisation lead 3), but this "
        "partnership has no organisation called that. Add the organisation to the partnership, "
        "or change the name in the file to one of its organisations.",
    ]
    assert _counts() == before
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_another_partnerships_export_is_refused_until_it_has_the_organisations(
    world_a: World, world_b: World
) -> None:
    """Organisations are matched by name in the importing partnership, never by id."""
    text = interchange.dumps(programme_export(programme=build_programme(world_b)))
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = reverse("programmes:programme-import")
    before = _counts()
    response = client.post(url, {"file": _upload(text.encode())})
    html = response.content.decode()
    assert response.status_code == 200
    assert "“Bravo Police”" in html and "“Bravo Schools”" in html
    assert "this partnership has no organisation called that" in html
    assert _counts() == before
    for organisation in world_b.organisations:
        Organisation.objects.create(
            partnership=world_a.partnership, name=organisation.name, sector=organisation.sector
        )
    response = client.post(url, {"file": _upload(text.encode())})
    assert response.status_code == 302
    imported = Programme.objects.get(partnership=world_a.partnership, name="Safer Streets")
    leads = OrganisationLead.objects.filter(programme=imported).select_related("organisation")
    assert {lead.organisation.partnership_id for lead in leads} == {world_a.partnership.pk}
    assert imported.sro_name == world_b.user(Role.PROGRAMME_LEAD).full_name
    assert imported.sro_member is None


def test_details_with_unknown_fields_are_refused_naming_the_item() -> None:
    data = _with_details()
    data["phases"][1]["colour"] = "green"
    data["senior_responsible_owner"]["email"] = "jo@example.org"
    data["delivery_board"][0]["organisation_id"] = 4
    data["organisation_leads"][0]["phone"] = "01234"
    data["codesign_activities"][0]["notes"] = ""
    assert sorted(_problems(data)) == sorted(
        [
            "In phase 2, “colour” is not a field of the format. Remove it and try again.",
            "In the senior responsible owner, “email” is not a field of the format. Remove it "
            "and try again.",
            "In delivery board member 1, “organisation_id” is not a field of the format. Remove "
            "it and try again.",
            "In organisation lead 1, “phone” is not a field of the format. Remove it and try "
            "again.",
            "In co-design activity 1, “notes” is not a field of the format. Remove it and try "
            "again.",
        ]
    )


def test_a_phase_that_ends_before_it_starts_is_refused() -> None:
    data = _with_details()
    data["phases"][0]["ends_on"] = "2026-01-01"
    assert _problems(data) == [
        "In phase 1, the “learn” phase ends (2026-01-01) before it starts (2026-01-05)."
    ]


def test_phases_out_of_order_are_refused() -> None:
    data = _with_details()
    data["phases"].append({"kind": "review", "starts_on": "2026-06-01", "ends_on": "2027-01-01"})
    assert _problems(data) == [
        "In phase 3, the “review” phase starts (2026-06-01) before the “implement” phase ends "
        "(2026-12-18). The phases run one after another: learn, implement, review."
    ]


def test_an_unknown_or_repeated_phase_is_refused() -> None:
    data = _with_details()
    data["phases"][1]["kind"] = "plan"
    assert _problems(data) == [
        'In phase 2, “kind” is "plan", which is not one of: learn, implement, review.'
    ]
    data = _with_details()
    data["phases"][1]["kind"] = "learn"
    assert _problems(data) == [
        "Phases 1 and 2 are both the “learn” phase. A programme has each phase once."
    ]


def test_dates_that_are_not_dates_are_refused() -> None:
    data = _with_details()
    data["phases"][0]["starts_on"] = "5/1/2026"
    data["phases"][1]["ends_on"] = "2026-02-30"
    data["codesign_activities"][0]["held_on"] = 20260211
    problems = _problems(data)
    assert problems == [
        "In co-design activity 1, “held_on” should be text.",
        'In phase 1, “starts_on” is "5/1/2026". Write a date as year, month and day, for '
        "example 2026-03-27.",
    ]
    del data["phases"][0]
    data["codesign_activities"][0]["held_on"] = "2026-02-11"
    assert _problems(data) == ['In phase 1, “ends_on” is "2026-02-30", but there is no such day.']


def test_unknown_sectors_groups_and_participants_are_refused() -> None:
    data = _with_details()
    data["programme"]["target_sectors"] = ["police", "fire"]
    data["programme"]["target_groups"] = ["frontline", "frontline"]
    data["codesign_activities"][0]["who_took_part"] = ["young_people", "parents"]
    problems = _problems(data)
    assert problems == [
        'In co-design activity 1, “who_took_part” includes "parents", which is not one of: '
        "practitioners, young_people, lived_experience, other.",
        'In the programme, “target_groups” includes "frontline" more than once. List each '
        "value once.",
        'In the programme, “target_sectors” includes "fire", which is not one of: police, '
        "health, education, childrens_services, youth_justice, probation, voluntary, housing, "
        "other.",
    ]


def test_who_took_part_must_name_someone_and_say_who_the_others_were() -> None:
    data = _with_details()
    data["codesign_activities"][0]["who_took_part"] = []
    assert _problems(data) == [
        "In co-design activity 1, “who_took_part” is an empty list. List at least one of: "
        "practitioners, young_people, lived_experience, other."
    ]
    data = _with_details()
    data["codesign_activities"][0]["who_else"] = " "
    assert _problems(data) == [
        "In co-design activity 1, “who_took_part” includes “other”, so “who_else” should say "
        "who else took part."
    ]


def test_an_organisation_with_two_leads_or_a_nameless_board_member_is_refused() -> None:
    data = _with_details()
    data["organisation_leads"].append({"organisation": "alpha schools", "name": "Another"})
    data["delivery_board"][1]["name"] = ""
    data["delivery_board"][0]["role"] = "x" * 201
    problems = _problems(data)
    assert problems == [
        "In delivery board member 1, “role” is longer than 200 characters.",
        "In delivery board member 2, “name” is empty.",
    ]
    data["delivery_board"] = []
    assert _problems(data) == [
        "Organisation leads 1 and 2 are both for “alpha schools”. An organisation has one lead "
        "for the programme."
    ]


def test_the_details_round_trip_through_json_text() -> None:
    document = parse(json.dumps(_with_details()))
    assert document.phases[0].starts_on == datetime.date(2026, 1, 5)
    assert document.delivery_board[1] == interchange.BoardMember(name="Alex Smith")
    assert parse(interchange.dumps(document)) == document


@pytest.mark.django_db
def test_the_json_download_of_a_programme_naming_people_is_audited(world_a: World) -> None:
    named = build_programme(world_a)
    unnamed = Programme.objects.create(partnership=world_a.partnership, name="No names")
    user = world_a.user(Role.PRACTITIONER)
    client = signed_in_client(user)
    entries = AuditEntry.objects.count()
    response = client.get(reverse("programmes:programme-export-json", args=[unnamed.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.count() == entries  # nobody named, nothing personal exported

    response = client.get(reverse("programmes:programme-export-json", args=[named.pk]))
    assert "Rhian Ŵy Jones" in response.content.decode()
    [entry] = AuditEntry.objects.order_by("pk")[entries:]
    assert entry.action == AuditAction.EXPORT
    assert (entry.actor_id, entry.partnership_id) == (user.pk, world_a.partnership.pk)
    assert entry.object_type == "programmes.Programme" and entry.object_id == str(named.pk)
    assert "names" in entry.purpose


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


def test_readiness_answers_are_refused_naming_the_answer_and_the_problem() -> None:
    data = _valid()
    data["readiness_answers"] = [
        {"question": "follow_up_planned", "answer": "maybe"},
        {"question": "course_hours", "answer": 500},
        {"question": "made_up", "answer": "yes"},
        {"question": "follow_up_planned", "answer": "yes"},
        {"question": "latest_follow_up_months", "answer": 6.5},
    ]
    problems = _problems(data)
    assert any("readiness answer 1" in p and "“yes”, “no” or null" in p for p in problems)
    assert any("readiness answer 2" in p and "from 0.5 to 200, not 500" in p for p in problems)
    assert any("readiness answer 3" in p and "“made_up” is not one of" in p for p in problems)
    assert any("Readiness answers 1 and 4 both answer" in p for p in problems)
    assert any("readiness answer 5" in p and "not 6.5" in p for p in problems)
    data["readiness_answers"] = [{"question": "baseline_planned", "colour": "red"}]
    assert any("readiness answer 1" in p and "colour" in p for p in _problems(data))


@pytest.mark.django_db
def test_readiness_answers_import_and_count_in_the_readiness_check(world_a: World) -> None:
    from tip.programmes.readiness import Status, readiness_report

    data = _valid()
    data["readiness_answers"] = [{"question": "course_hours", "answer": 3, "details": ""}]
    programme = programme_import(
        partnership=world_a.partnership,
        document=parse(json.dumps(data)),
        by=world_a.user(Role.PROGRAMME_LEAD),
    )
    findings = {f.id: f.status for f in readiness_report(programme).findings}
    assert findings["course_length"] is Status.NOT_MET


@pytest.mark.django_db
def test_a_copy_does_not_propose_again_what_the_original_decided(world_a: World) -> None:
    from tip.programmes import selectors, services

    lead = world_a.user(Role.PROGRAMME_LEAD)
    original = services.programme_create(
        partnership=world_a.partnership, name="Decided", aims="", by=lead
    )
    a = services.element_create(programme=original, kind="activity", title="Training", by=lead)
    o = services.element_create(
        programme=original,
        kind="outcome",
        title="Staff notice",
        level="practitioners",
        horizon="short",
        by=lead,
    )
    services.link_create(programme=original, source=a, target=o, evidence="none", by=lead)

    def open_keys(programme: Programme) -> list[str]:
        return [p.key.split(":")[0] for p in selectors.open_proposals(programme=programme)]

    assert sorted(open_keys(original)) == ["indicator", "link"]
    for proposal in selectors.open_proposals(programme=original):
        if proposal.key.startswith("link:"):
            services.question_accept(
                programme=original, proposal_key=proposal.key, text=proposal.text, by=lead
            )
    assert open_keys(original) == ["indicator"]

    exported = programme_export(programme=original)
    assert exported["evaluation_questions"][0]["proposal_key"] == "link:e1>e2"
    copy_ = programme_import(
        partnership=world_a.partnership,
        document=parse(interchange.dumps(exported)),
        by=lead,
        name="Decided copy",
    )
    assert open_keys(copy_) == ["indicator"]
    assert (
        programme_export(programme=copy_)["evaluation_questions"]
        == exported["evaluation_questions"]
    )
