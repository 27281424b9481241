"""Organisational self-assessment: the components file, recording a whole assessment, the
heatmap, the progress chart and the CSV export."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tip.core.models import AuditEntry
from tip.core.roles import Role, roles_with
from tip.programmes import services_assessment as services
from tip.programmes.assessment_chart import Bar, render_svg
from tip.programmes.components import ComponentsError, load_components
from tip.programmes.models_assessment import ComponentRating, SelfAssessment
from tip.programmes.roles import ASSESS_ORGANISATIONS
from tip.programmes.services_assessment import RatingInput

# Table 1 of the guidance, in its three groups, then the three YEF elements.
TABLE_1 = {
    "workforce": 5,
    "services": 3,
    "environment": 6,
}


def ratings(level: str = "developing", **overrides: str) -> dict[str, RatingInput]:
    found = {c.code: RatingInput(level=level) for c in load_components()}
    for code, value in overrides.items():
        found[code.replace("__", ".")] = RatingInput(level=value, evidence="=SUM(A1)", owner="@x")
    return found


def form_body(level: str = "developing", on: str = "1/3/2026") -> dict[str, str]:
    body = {"assessed_on": on}
    for c in load_components():
        prefix = c.code.replace(".", "-")
        body |= {f"{prefix}-level": level, f"{prefix}-evidence": "", f"{prefix}-owner": ""}
    return body


def test_the_components_are_table_1_in_three_groups_and_the_yef_elements() -> None:
    components = load_components()
    groups = [c.group for c in components]
    assert {g: groups.count(g) for g in TABLE_1} == TABLE_1
    assert groups.count("yef") == 3
    assert len(components) == sum(TABLE_1.values()) + 3
    assert len({c.code for c in components}) == len(components)
    assert all(c.title_en and c.title_cy for c in components)
    assert components[0].title("cy-gb") == components[0].title_cy
    assert components[0].title("en") == components[0].title_en


def test_screening_carries_the_caution_and_nothing_else_does() -> None:
    cautioned = [c for c in load_components() if c.caution_en]
    assert [c.code for c in cautioned] == ["services.screening"]
    caution = cautioned[0].caution("en")
    assert "ACE-Q" in caution and "triage" in caution
    assert cautioned[0].caution("cy")


def test_a_faulty_file_is_refused_by_name(tmp_path: Path) -> None:
    bad = tmp_path / "components.yaml"
    bad.write_text(
        "components:\n  - code: workforce.x\n    group: yef\n    title: {en: A, cy: B}\n"
    )
    with pytest.raises(ComponentsError, match="must start with its group"):
        load_components(bad)
    bad.write_text("components:\n  - code: Nope\n    group: yef\n    title: {en: A}\n")
    with pytest.raises(ComponentsError, match=r"components\.0"):
        load_components(bad)


def test_evaluators_and_champions_may_assess() -> None:
    assert set(roles_with(ASSESS_ORGANISATIONS)) == {
        Role.PARTNERSHIP_ADMIN,
        Role.PROGRAMME_LEAD,
        Role.CHAMPION,
        Role.EVALUATOR,
    }


def test_recording_saves_every_component_and_audits(world_a: World) -> None:
    org = world_a.organisations[0]
    assessment = services.assessment_record(
        partnership=world_a.partnership,
        organisation=org,
        assessed_on=datetime.date(2026, 3, 1),
        ratings=ratings(),
        by=world_a.user(Role.CHAMPION),
    )
    assert assessment.ratings.count() == len(load_components())
    assert AuditEntry.objects.filter(
        object_type="programmes.SelfAssessment", object_id=str(assessment.pk)
    ).exists()


def test_recording_is_all_or_nothing(world_a: World) -> None:
    partial = ratings()
    partial.pop("yef.processes")
    with pytest.raises(ValidationError):
        services.assessment_record(
            partnership=world_a.partnership,
            organisation=world_a.organisations[0],
            assessed_on=datetime.date(2026, 3, 1),
            ratings=partial,
            by=world_a.user(Role.CHAMPION),
        )
    wrong = ratings()
    wrong["yef.processes"] = RatingInput(level="brilliant")
    with pytest.raises(ValidationError):
        services.assessment_record(
            partnership=world_a.partnership,
            organisation=world_a.organisations[0],
            assessed_on=datetime.date(2026, 3, 1),
            ratings=wrong,
            by=world_a.user(Role.CHAMPION),
        )
    assert not SelfAssessment.objects.exists() and not ComponentRating.objects.exists()


def test_another_partnerships_organisation_is_refused(world_a: World, world_b: World) -> None:
    with pytest.raises(ValidationError):
        services.assessment_record(
            partnership=world_a.partnership,
            organisation=world_b.organisations[0],
            assessed_on=datetime.date(2026, 3, 1),
            ratings=ratings(),
            by=world_a.user(Role.CHAMPION),
        )
    client = signed_in_client(world_a.user(Role.CHAMPION))
    url = reverse(
        "programmes:assessment-record", kwargs={"organisation_id": world_b.organisations[0].pk}
    )
    assert client.post(url, form_body()).status_code == 404
    assert not SelfAssessment.objects.exists()


def test_a_future_date_is_refused(world_a: World) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.assessment_record(
            partnership=world_a.partnership,
            organisation=world_a.organisations[0],
            assessed_on=tomorrow,
            ratings=ratings(),
            by=world_a.user(Role.CHAMPION),
        )
    client = signed_in_client(world_a.user(Role.CHAMPION))
    url = reverse(
        "programmes:assessment-record", kwargs={"organisation_id": world_a.organisations[0].pk}
    )
    page = client.post(url, form_body(on=tomorrow.strftime("%d/%m/%Y")))
    assert page.status_code == 200
    assert "cannot be in the future" in page.content.decode()
    assert not SelfAssessment.objects.exists()


def test_record_page_saves_through_the_form(world_a: World) -> None:
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    org = world_a.organisations[0]
    url = reverse("programmes:assessment-record", kwargs={"organisation_id": org.pk})
    page = client.get(url).content.decode()
    assert "ACE-Q" in page and page.count('type="radio"') == 4 * len(load_components())
    body = form_body()
    body.pop("yef-processes-level")
    again = client.post(url, body)
    assert again.status_code == 200 and not SelfAssessment.objects.exists()
    done = client.post(url, form_body())
    assert done.status_code == 302
    assert SelfAssessment.objects.get().organisation == org


def test_heatmap_shows_each_organisations_latest_level(world_a: World) -> None:
    org = world_a.organisations[0]
    by = world_a.user(Role.CHAMPION)
    for on, level in [(datetime.date(2025, 9, 1), "planning"), (datetime.date(2026, 3, 1), "")]:
        services.assessment_record(
            partnership=world_a.partnership,
            organisation=org,
            assessed_on=on,
            ratings=ratings("planning") if level else ratings("embedded"),
            by=by,
        )
    client = signed_in_client(world_a.user(Role.AUDITOR))
    page = client.get(reverse("programmes:assessment-overview")).content.decode()
    heatmap = page.split('class="govuk-table tip-heatmap"')[1].split("</table>")[0]
    assert heatmap.count("Embedded") == len(load_components())
    assert "govuk-tag--green" in heatmap and "Planning" not in heatmap
    assert "Not assessed" in heatmap  # the second organisation
    assert "<svg" in page and "1 March 2026" in page


def test_the_chart_is_well_formed_and_described() -> None:
    svg = render_svg(
        [Bar("Police <&>, 1 March 2026", {"not_started": 2, "embedded": 15})],
        levels={"not_started": "Not started", "embedded": "Embedded"},
        title="Progress",
        description="Counts",
        empty="Nothing yet",
    )
    root = ET.fromstring(svg)  # noqa: S314 (our own output, under test)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Police <&>, 1 March 2026" in texts and "15" in texts
    empty = render_svg([], levels={}, title="t", description="d", empty="e")
    ET.fromstring(empty)  # noqa: S314 (our own output, under test)


def test_csv_has_every_rating_and_neutralises_formulas(world_a: World) -> None:
    services.assessment_record(
        partnership=world_a.partnership,
        organisation=world_a.organisations[0],
        assessed_on=datetime.date(2026, 3, 1),
        ratings=ratings(yef__learning="embedded"),
        by=world_a.user(Role.CHAMPION),
    )
    client = signed_in_client(world_a.user(Role.AUDITOR))
    response = client.get(reverse("programmes:assessment-export"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert len(lines) == 1 + len(load_components())
    assert lines[0].startswith("organisation,assessed_on,group,component_code")
    learning = next(line for line in lines if ",yef.learning," in line)
    assert "'=SUM(A1)" in learning and "'@x" in learning and ",embedded," in learning


def test_history_page_and_permissions(world_a: World) -> None:
    org = world_a.organisations[1]
    services.assessment_record(
        partnership=world_a.partnership,
        organisation=org,
        assessed_on=datetime.date(2026, 3, 1),
        ratings=ratings(),
        by=world_a.user(Role.CHAMPION),
    )
    auditor = signed_in_client(world_a.user(Role.AUDITOR))
    url = reverse("programmes:assessment-history", kwargs={"organisation_id": org.pk})
    page = auditor.get(url)
    assert page.status_code == 200 and "Developing" in page.content.decode()
    record = reverse("programmes:assessment-record", kwargs={"organisation_id": org.pk})
    assert auditor.get(record).status_code == 403


@pytest.mark.django_db
def test_the_demo_has_two_rounds_for_each_organisation_showing_progress() -> None:
    import io

    from django.core.management import call_command

    from tip.core.models import Organisation, Partnership
    from tip.programmes.selectors_assessment import rounds

    call_command("seed_demo", stdout=io.StringIO())
    partnership = Partnership.objects.get(name="Northshire Violence Reduction Partnership")
    organisations = Organisation.objects.filter(partnership=partnership).count()
    assert organisations
    found = rounds(partnership=partnership)
    assert len(found) == 2 * organisations
    for org_id in {r.assessment.organisation_id for r in found}:
        first, second = [r for r in found if r.assessment.organisation_id == org_id]
        gap = (second.assessment.assessed_on - first.assessment.assessed_on).days
        assert 150 <= gap <= 200
        ahead = second.count("developing") + second.count("embedded")
        assert ahead > first.count("developing") + first.count("embedded")
    count = SelfAssessment.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert SelfAssessment.objects.count() == count
    assert "Sample self-assessments already there" in out.getvalue()
