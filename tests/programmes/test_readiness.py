"""The readiness check: rules file, the pure engine, the extension point, planning answers and
the report page."""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.programmes import readiness, services
from tip.programmes.analysis.readiness import (
    PLANNED,
    RECORDED,
    Criterion,
    Fact,
    FactTest,
    Status,
    decide,
    evaluate,
)
from tip.programmes.models import Programme
from tip.programmes.models_readiness import ReadinessAnswers
from tip.programmes.readiness_rules import DEFAULT_PATH, RulesError, load_rules
from tip.programmes.services_readiness import readiness_answers_set

# The pure engine -------------------------------------------------------------------------------

TEXT = {"en": "x", "cy": "x"}


def criterion(*tests: FactTest, id: str = "c") -> Criterion:
    return Criterion(id, "criterion", TEXT, TEXT, TEXT, TEXT, TEXT, tests)


def test_met_only_when_every_test_passes() -> None:
    c = criterion(FactTest("a", is_=True), FactTest("n", at_least=6))
    facts = [Fact("a", True, "", ""), Fact("n", 6.0, "", "")]
    assert evaluate([c], facts).findings[0].status is Status.MET


def test_a_known_failure_beats_an_unknown() -> None:
    c = criterion(FactTest("a", is_=True), FactTest("n", at_least=6))
    finding = evaluate([c], [Fact("a", None, "", ""), Fact("n", 3.0, "", "")]).findings[0]
    assert finding.status is Status.NOT_MET
    assert finding.failed_facts == ("n",)
    assert finding.unknown_facts == ("a",)


def test_unknown_when_a_fact_is_missing_or_has_no_value() -> None:
    c = criterion(FactTest("a", is_=True), FactTest("b", is_=False))
    assert evaluate([c], [Fact("a", True, "", "")]).findings[0].status is Status.UNKNOWN
    facts = [Fact("a", True, "", ""), Fact("b", None, "", "")]
    assert evaluate([c], facts).findings[0].status is Status.UNKNOWN


def test_a_caution_tested_for_false_is_met_when_the_fact_is_false() -> None:
    c = criterion(FactTest("screening", is_=False))
    assert evaluate([c], [Fact("screening", False, "", "")]).findings[0].status is Status.MET
    assert evaluate([c], [Fact("screening", True, "", "")]).findings[0].status is Status.NOT_MET


def test_recorded_facts_outrank_planning_answers_and_all_are_kept_as_evidence() -> None:
    planned = Fact("hours", 7.0, "planned a day", "plan", weight=PLANNED)
    recorded = Fact("hours", 3.0, "the course is 3 hours", "courses", weight=RECORDED)
    assert decide([planned, recorded])["hours"] is recorded
    finding = evaluate([criterion(FactTest("hours", at_least=6))], [planned, recorded]).findings[0]
    assert finding.status is Status.NOT_MET
    assert finding.evidence == (recorded, planned)


def test_a_heavier_fact_without_a_value_does_not_hide_a_known_one() -> None:
    planned = Fact("a", True, "", "", weight=PLANNED)
    unknown = Fact("a", None, "", "", weight=RECORDED)
    assert decide([unknown, planned])["a"] is planned


# The rules file --------------------------------------------------------------------------------


def test_the_shipped_rules_cover_every_criterion_and_caution_in_the_issue() -> None:
    rules = load_rules()
    criteria = [c.id for c in rules.criteria if c.kind == "criterion"]
    cautions = [c.id for c in rules.criteria if c.kind == "caution"]
    assert criteria == [
        "integrated",
        "senior_staff",
        "knowledge_to_practice",
        "follow_up",
        "codesign",
        "quality_assurance",
    ]
    assert cautions == [
        "one_off_training",
        "course_length",
        "evaluation_from_start",
        "measured_six_months",
        "comparison_group",
        "referral_routes",
        "screening_not_triage",
    ]
    for c in rules.criteria:
        assert c.title["en"] and c.title["cy"] and c.seed_section["en"] and c.advice["cy"]


def test_every_seed_section_named_exists_in_the_seed() -> None:
    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
    files = list(seed.glob("*.txt")) if seed.exists() else []
    if not files:
        pytest.skip("the source document is not beside this checkout")
    headings = {line.strip() for line in files[0].read_text(encoding="utf-8").splitlines()}
    for c in load_rules().criteria:
        for section in c.seed_section["en"].split("; "):
            assert section in headings, (c.id, section)


def _rules_file(tmp_path: Path, change: object) -> Path:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "readiness.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_test_on_an_undeclared_fact_is_refused_naming_it(tmp_path: Path) -> None:
    def change(data: dict) -> None:  # type: ignore[type-arg]
        data["criteria"][1]["tests"][0]["fact"] = "senior_staf_included"

    with pytest.raises(RulesError, match=r"criteria 2 \(senior_staff\).*senior_staf_included"):
        load_rules(_rules_file(tmp_path, change))


def test_a_schema_error_names_the_entry_and_field(tmp_path: Path) -> None:
    def change(data: dict) -> None:  # type: ignore[type-arg]
        del data["criteria"][0]["advice"]["cy"]

    with pytest.raises(RulesError, match=r"criteria 1 \(integrated\), advice: 'cy'"):
        load_rules(_rules_file(tmp_path, change))


def test_a_yes_no_fact_cannot_be_tested_with_at_least(tmp_path: Path) -> None:
    def change(data: dict) -> None:  # type: ignore[type-arg]
        data["criteria"][3]["tests"] = [{"fact": "follow_up_planned", "at_least": 1}]

    with pytest.raises(RulesError, match=r"follow_up_planned.*is a yes or no fact"):
        load_rules(_rules_file(tmp_path, change))


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    def change(data: dict) -> None:  # type: ignore[type-arg]
        data["questions"][1]["id"] = data["questions"][0]["id"]

    with pytest.raises(RulesError, match="used by an earlier"):
        load_rules(_rules_file(tmp_path, change))


# The programme's facts and the extension point --------------------------------------------------


def statuses(programme: Programme) -> dict[str, Status]:
    return {f.id: f.status for f in readiness.readiness_report(programme).findings}


@pytest.mark.django_db
def test_a_new_programme_is_unknown_on_everything(programme: Programme) -> None:
    assert set(statuses(programme).values()) == {Status.UNKNOWN}


@pytest.mark.django_db
def test_facts_come_from_the_programmes_records(programme: Programme, world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    services.programme_update(
        programme=programme,
        name=programme.name,
        aims="",
        target_sectors=[],
        target_groups=["frontline"],
        by=lead,
    )
    services.codesign_create(
        programme=programme,
        who_took_part=["practitioners"],
        who_else="",
        how="Workshop",
        held_on=datetime.date(2026, 3, 1),
        what_changed="Shorter sessions",
        by=lead,
    )
    services.element_create(
        programme=programme,
        kind="outcome",
        title="Better referrals",
        level="organisations",
        horizon="medium",
        by=lead,
    )
    result = statuses(programme)
    assert result["senior_staff"] is Status.NOT_MET  # senior leaders are not a target group
    assert result["codesign"] is Status.NOT_MET  # no young people took part
    assert result["one_off_training"] is Status.UNKNOWN  # follow-up not answered yet
    readiness_answers_set(
        programme=programme, answers={"follow_up_planned": {"answer": "yes"}}, by=lead
    )
    assert statuses(programme)["one_off_training"] is Status.MET


@pytest.fixture
def extra_provider() -> Iterator[list[Fact]]:
    given: list[Fact] = []

    def provider(programme: Programme) -> list[Fact]:
        return list(given)

    readiness.register_fact_provider(provider)
    try:
        yield given
    finally:
        readiness._PROVIDERS.remove(provider)


@pytest.mark.django_db
def test_a_later_app_contributes_facts_that_outrank_planning_answers(
    programme: Programme, world_a: World, extra_provider: list[Fact]
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    readiness_answers_set(programme=programme, answers={"course_hours": {"answer": 7}}, by=lead)
    assert statuses(programme)["course_length"] is Status.MET
    extra_provider.append(
        Fact("course_hours", 3.0, "The shortest course is 3 hours.", "Courses", weight=RECORDED)
    )
    report = readiness.readiness_report(programme)
    finding = next(f for f in report.findings if f.id == "course_length")
    assert finding.status is Status.NOT_MET
    assert [f.source for f in finding.evidence] == ["Courses", "Planning answers"]


@pytest.mark.django_db
def test_a_provider_giving_an_undeclared_fact_is_a_programming_error(
    programme: Programme, extra_provider: list[Fact]
) -> None:
    extra_provider.append(Fact("course_hour", 3.0, "", ""))
    with pytest.raises(ValueError, match="course_hour"):
        readiness.readiness_report(programme)


def test_programmes_does_not_import_later_apps() -> None:
    root = Path(readiness.__file__).resolve().parent
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for later in ("tip.training", "tip.evaluation"):
            assert later not in source, f"{path.name} imports {later}"


# Saving planning answers -----------------------------------------------------------------------


@pytest.mark.django_db
def test_answers_are_checked_all_at_once_and_nothing_is_half_saved(
    programme: Programme, world_a: World
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    with pytest.raises(ValidationError) as caught:
        readiness_answers_set(
            programme=programme,
            answers={
                "follow_up_planned": {"answer": "yes"},
                "course_hours": {"answer": 500},
                "latest_follow_up_months": {"answer": 6.5},
                "wider_tip_integration": {"answer": "maybe"},
                "made_up": {"answer": "yes"},
            },
            by=lead,
        )
    errors = caught.value.message_dict
    assert "between 0.5 and 200 hours" in errors["course_hours"][0]
    assert "whole number" in errors["latest_follow_up_months"][0]
    assert "answer yes, no" in errors["wider_tip_integration"][0]
    assert "made_up" in errors["__all__"][0]
    assert not ReadinessAnswers.objects.exists()


@pytest.mark.django_db
def test_saving_answers_is_audited_with_the_questions_changed(
    programme: Programme, world_a: World
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    readiness_answers_set(
        programme=programme, answers={"follow_up_planned": {"answer": "yes"}}, by=lead
    )
    readiness_answers_set(
        programme=programme,
        answers={"follow_up_planned": {"answer": "yes"}, "course_hours": {"answer": 6}},
        by=lead,
    )
    entries = AuditEntry.objects.filter(object_type__icontains="readiness").order_by("pk")
    assert [(e.action, e.changed_fields) for e in entries] == [
        ("create", ["follow_up_planned"]),
        ("update", ["course_hours"]),
    ]
    # Saving the same answers again changes nothing and records nothing.
    readiness_answers_set(programme=programme, answers={"course_hours": {"answer": 6}}, by=lead)
    assert entries.count() == 2


# The pages -------------------------------------------------------------------------------------


def url(name: str, programme: Programme) -> str:
    return reverse(f"programmes:{name}", kwargs={"programme_id": programme.pk})


@pytest.mark.django_db
def test_the_report_says_met_not_met_and_unknown_with_evidence_advice_and_section(
    programme: Programme, world_a: World
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    readiness_answers_set(
        programme=programme,
        answers={
            "course_hours": {"answer": 3},
            "screening_for_triage": {"answer": "no", "details": "We use full assessments."},
        },
        by=lead,
    )
    page = html.unescape(signed_in_client(lead).get(url("readiness", programme)).content.decode())
    assert "1 met, 1 not met, 11 unknown" in page
    assert "Courses are at least a day long" in page
    assert "Answered: 3 hours." in page  # the evidence
    assert "Plan at least a day, or split the content over several sessions." in page  # advice
    assert "From the guidance, section: Training content and length" in page
    assert "We use full assessments." in page


@pytest.mark.django_db
def test_the_planning_form_saves_answers_and_reports_bad_numbers(
    programme: Programme, world_a: World
) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    response = client.post(
        url("readiness-plan", programme),
        {"course_hours": "a day", "follow_up_planned": "yes"},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "enter a number, for example 6 or 7.5" in page
    assert not ReadinessAnswers.objects.exists()

    response = client.post(
        url("readiness-plan", programme),
        {
            "course_hours": "7,5",
            "follow_up_planned": "yes",
            "follow_up_planned__details": "Termly reflective sessions",
            "baseline_planned": "not_decided",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("readiness", programme)
    answers = ReadinessAnswers.objects.get(programme=programme).answers
    assert answers == {
        "course_hours": {"answer": 7.5},
        "follow_up_planned": {"answer": "yes", "details": "Termly reflective sessions"},
    }
    # The form shows what was saved.
    page = client.get(url("readiness-plan", programme)).content.decode()
    assert 'value="7.5"' in page
    assert "Termly reflective sessions" in page


@pytest.mark.django_db
def test_the_report_is_in_welsh(programme: Programme, world_a: World) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    page = html.unescape(
        client.get(url("readiness", programme), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    )
    assert "Mae cyrsiau o leiaf diwrnod o hyd" in page


@pytest.mark.django_db
def test_the_demo_programme_has_a_readiness_report_with_a_mix_of_findings() -> None:
    import io

    from django.core.management import call_command

    from tip.programmes.demo import NAME

    call_command("seed_demo", stdout=io.StringIO())
    programme = Programme.objects.get(name=NAME)
    found = statuses(programme)
    assert set(found.values()) == {Status.MET, Status.NOT_MET, Status.UNKNOWN}
    assert found["senior_staff"] is Status.NOT_MET
    assert found["codesign"] is Status.MET
    # The demo's evaluation plan measures twelve months after: recorded, it outranks the
    # planning answer (three months), which stays as evidence.
    assert found["measured_six_months"] is Status.MET
    assert found["screening_not_triage"] is Status.UNKNOWN
    before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert AuditEntry.objects.count() == before
    assert "Readiness answers already there." in out.getvalue()


def test_a_broken_rules_file_fails_the_system_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from tip.programmes import readiness_rules, system_checks

    assert system_checks.data_files() == []

    def broken() -> None:
        raise RulesError("readiness.yaml: criteria 2 (senior_staff): broken.")

    monkeypatch.setattr(readiness_rules, "load_rules", broken)
    [error] = system_checks.data_files()
    assert error.id == "programmes.E003" and "senior_staff" in error.msg
