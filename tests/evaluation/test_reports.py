"""Evaluation reports: the figures a report shows are the analyses' own on the same frames; each
scope covers what it should; another partnership's ids answer 404; every opening and download is
audited; the queries do not grow with the people; the PDF is a PDF with the report's text; the
page renders in Welsh; small subgroups are withheld; every chart is followed by its table."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from scipy import stats

from tests.conftest import World, signed_in_client
from tests.evaluation.plan_helpers import Planned
from tests.evaluation.report_helpers import Seeded, seed_evaluation
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.evaluation import analysis_data, reports, reports_findings
from tip.evaluation.analysis import matching, mixed, prepost, reliability, subgroups
from tip.evaluation.analysis_data import Scope
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.views_reports import PURPOSE_REPORT, PURPOSE_REPORT_PDF
from tip.training import services_courses
from tip.training.models_sessions import Session

CONFIDENCE = "subscale:confidence"


def _scope(world: World, seeded: Seeded) -> Scope:
    return Scope("programme", world.partnership.pk, seeded.planned.programme.pk)


def _build(world: World, seeded: Seeded, scope: Scope | None = None) -> reports.Report:
    return reports.build_report(
        scope=scope or _scope(world, seeded), partnership=world.partnership, subject="Schools"
    )


def _measure(report: reports.Report, column: str = CONFIDENCE) -> reports.MeasureReport:
    (part,) = report.plans
    return next(m for m in part.measures if m.measure == column)


def _finding(measure: reports.MeasureReport, suffix: str) -> reports.Finding:
    return next(f for f in measure.findings if f.id.endswith(suffix))


@pytest.fixture
def seeded(world_a: World) -> Seeded:
    return seed_evaluation(world_a, trained=40, comparison=30)


# --- The figures are the analyses' own -----------------------------------------------------------


def test_change_and_reliability_equal_the_analyses_on_the_same_frames(
    world_a: World, seeded: Seeded
) -> None:
    report = _build(world_a, seeded)
    found = _measure(report)
    frame = analysis_data.scores_frame(seeded.plan, "tip-kac", scope=_scope(world_a, seeded))
    base, post = seeded.waves[-7], seeded.waves[0]
    trained = frame[frame["group"] == "trained"]
    pre = trained[trained["wave_id"] == base.pk].set_index("person")[CONFIDENCE]
    after = trained[trained["wave_id"] == post.pk].set_index("person")[CONFIDENCE]
    both = pd.concat([pre.rename("pre"), after.rename("post")], axis=1, join="inner").dropna()
    expected = prepost.paired_change(both["pre"], both["post"])
    got = found.prepost[(post.name, "trained")]
    assert got.n == expected.n == len(both)
    assert got.mean_difference.value == pytest.approx(expected.mean_difference.value, rel=1e-12)
    assert got.d_z.value == pytest.approx(expected.d_z.value, rel=1e-12)
    assert got.g_av.value == pytest.approx(expected.g_av.value, rel=1e-12)
    assert got.g_av.ci_low == pytest.approx(expected.g_av.ci_low, rel=1e-12)
    # And an independent reference for the mean change: SciPy's paired t-test.
    t = stats.ttest_rel(both["post"], both["pre"])
    assert got.t_test.statistic == pytest.approx(float(t.statistic), rel=1e-4)
    assert got.mean_difference.value == pytest.approx(float((both["post"] - both["pre"]).mean()))

    items = analysis_data.items_frame(seeded.plan, "tip-kac", wave_id=base.pk)
    alpha = reliability.reliability_of(shipped_instrument("tip-kac"), items)
    confidence = next(s for s in alpha.subscales if s.label == "confidence")
    assert found.reliability is not None
    shown = next(s for s in found.reliability.subscales if s.label == "confidence")
    assert shown.alpha.value == pytest.approx(confidence.alpha.value, rel=1e-12)
    # The reliable change index uses that alpha, as the report says.
    rci = found.reliable_change[(post.name, "trained")]
    assert rci.reliability == pytest.approx(confidence.alpha.value, rel=1e-12)
    assert confidence.alpha.value is not None
    rci_expected = prepost.reliable_change(
        both["pre"], both["post"], reliability=confidence.alpha.value
    )
    assert (rci.improved, rci.unchanged, rci.worse) == (
        rci_expected.improved,
        rci_expected.unchanged,
        rci_expected.worse,
    )
    assert f"{confidence.alpha.value:.2f}" in _finding(found, "-rci").summary

    # What the page shows is those figures, rounded.
    table = _finding(found, "-prepost").table
    assert table is not None
    row = next(r for r in table.rows if r[0] == post.name and r[1] == "Trained")
    assert row[2] == str(expected.n)
    assert row[5].startswith(f"{expected.mean_difference.value:.2f} (")


def test_mixed_model_subgroups_and_matching_equal_the_analyses(
    world_a: World, seeded: Seeded
) -> None:
    report = _build(world_a, seeded)
    found = _measure(report)
    frame = analysis_data.scores_frame(seeded.plan, "tip-kac", scope=_scope(world_a, seeded))
    base, post, later = seeded.waves[-7], seeded.waves[0], seeded.waves[182]
    # The comparison cohort was not asked straight after: that wave is left out of the model,
    # which compares the groups wave by wave, and the report says so.
    both = frame[frame["wave_id"].isin([base.pk, later.pk])]
    model = mixed.mixed_model(both, outcome=CONFIDENCE)
    assert found.mixed is not None and found.mixed.coefficients
    assert found.mixed.n_observations == model.n_observations
    assert [c.estimate.value for c in found.mixed.coefficients] == pytest.approx(
        [c.estimate.value for c in model.coefficients], rel=1e-9
    )
    mixed_notes = " ".join(_finding(found, "-mixed").notes)
    assert "Waves only one group answered are left out" in mixed_notes
    assert post.name in mixed_notes

    trained = frame[(frame["group"] == "trained") & frame[CONFIDENCE].notna()]
    by_sector = subgroups.subgroup_changes(
        trained, outcome=CONFIDENCE, pre=base.name, post=post.name
    )
    sector = next(r for r in by_sector if r.by == "sector")
    shown = found.subgroups["sector"]
    assert [(lv.level, lv.n) for lv in shown.levels] == [(lv.level, lv.n) for lv in sector.levels]

    # Matching: trained against comparison at baseline, once for the instrument (on each of
    # its baseline scores), the effect on the later wave's score.
    assert found.matching is not None and found.matched_effect is not None
    scores = [f"subscale:{s}" for s in ("knowledge", "attitudes", "confidence")]
    at_base = frame[frame["wave_id"] == base.pk]
    data = at_base.drop_duplicates("person", keep="last").set_index("person").sort_index()
    design = pd.DataFrame(
        {
            "treated": (data["group"] == "trained").astype(int),
            "sector": data["sector"].astype(str),
            "years_in_role": data["years_in_role"],
            "prior_training": data["prior_training"].astype(str),
            **{f"baseline:{c}": data[c] for c in scores},
        }
    ).dropna(subset=[f"baseline:{c}" for c in scores])
    expected = matching.match(
        design,
        treatment="treated",
        covariates=["sector", "years_in_role", "prior_training"]
        + [f"baseline:{c}" for c in scores],
        method="nearest",
        replace=True,  # fewer comparison people than trained
        caliper=0.2,
        distance="logit",
    )
    after = frame[(frame["wave_id"] == later.pk) & frame[CONFIDENCE].notna()]
    outcome = after.set_index("person")[CONFIDENCE].reindex(design.index)
    effect = matching.effect_on_treated(expected, outcome)
    assert (found.baseline_wave, found.comparison_wave) == (base.name, later.name)
    assert found.matching.n_treated_matched == expected.n_treated_matched
    assert found.matched_effect.att == pytest.approx(effect.att, rel=1e-9)
    assert found.did is not None and found.did.n_clusters is not None
    # The first score shows the balance and the Love plot; the others say where it is.
    knowledge = _measure(report, "subscale:knowledge")
    love = _finding(knowledge, "-matched").chart
    assert love is not None and "Love plot" in love.caption
    assert "Baseline: " in " ".join(row[0] for row in love.table.rows)
    matched = _finding(found, "-matched")
    assert matched.chart is None and any("same matched groups" in n for n in matched.notes)


def test_the_mean_at_each_wave_has_a_t_interval() -> None:
    """The report's own statistic, against SciPy (and the edge cases)."""
    values = pd.Series([3.2, 4.1, 2.8, 3.9, 4.4, 3.0, np.nan])
    mean, low, high = reports_findings.mean_ci(values)
    clean = values.dropna()
    ref = stats.t.interval(0.95, len(clean) - 1, loc=clean.mean(), scale=stats.sem(clean))
    assert mean == pytest.approx(clean.mean(), rel=1e-6)
    assert (low, high) == pytest.approx(ref, rel=1e-6)
    assert reports_findings.mean_ci(pd.Series([2.0])) == (2.0, None, None)
    assert reports_findings.mean_ci(pd.Series([np.nan, np.nan])) == (None, None, None)
    assert reports_findings.mean_ci(pd.Series([3.0, 3.0, 3.0])) == (3.0, 3.0, 3.0)


def test_the_theory_of_change_shows_each_outcome_with_its_measured_change(
    world_a: World, seeded: Seeded
) -> None:
    report = _build(world_a, seeded)
    (part,) = report.plans
    rows = [
        o
        for o in part.outcomes
        if o.measure.endswith("(mean, 1 to 5)") and "Confidence" in o.measure
    ]
    assert rows, part.outcomes
    row = next(o for o in rows if o.wave == seeded.waves[0].name)
    change = _measure(report).prepost[(seeded.waves[0].name, "trained")]
    assert (row.outcome, row.indicator) == ("Staff recognise trauma", "Confidence")
    assert row.n == change.n
    assert row.mean_change.startswith(f"{change.mean_difference.value:.2f}")
    assert row.effect_size.startswith(f"{change.g_av.value:.2f}")


def test_small_subgroups_are_withheld(world_a: World) -> None:
    seeded = seed_evaluation(world_a, trained=12, comparison=0)
    report = _build(world_a, seeded)
    finding = _finding(_measure(report), "-subgroups")
    assert finding.chart is not None
    table = finding.chart.table
    sector_rows = [r for r in table.rows if r[0].startswith("Sector: ")]
    assert sector_rows
    for row in sector_rows:
        if "differ" in row[0]:
            continue
        assert row[1] == "fewer than 5"
        assert all(cell == "–" for cell in row[2:])


# --- Scopes ------------------------------------------------------------------------------------


def test_scopes(world_a: World, seeded: Seeded) -> None:
    other = seed_evaluation(world_a, trained=8, comparison=6, name="Youth services")
    lead = world_a.user(Role.PROGRAMME_LEAD)
    course = services_courses.course_create(
        partnership=world_a.partnership,
        programme=seeded.planned.programme,
        name="Foundation day",
        hours=6,
        by=lead,
    )
    whole = reports.build_report(
        scope=Scope("partnership", world_a.partnership.pk, world_a.partnership.pk),
        partnership=world_a.partnership,
        subject=world_a.partnership.name,
    )
    assert [p.plan_id for p in whole.plans] == sorted(
        [seeded.plan.pk, other.plan.pk],
        key=lambda pk: "Trauma-informed schools" if pk == seeded.plan.pk else "Youth services",
    )
    one = _build(world_a, seeded)
    assert [p.plan_id for p in one.plans] == [seeded.plan.pk]
    # A course covers its programme's plan, but only its own sessions' trained people: none
    # booked here, so only the comparison group is left.
    by_course = _build(world_a, seeded, Scope("course", world_a.partnership.pk, course.pk))
    assert [p.plan_id for p in by_course.plans] == [seeded.plan.pk]
    measure = _measure(by_course)
    assert all(group == "comparison" for _wave, group in measure.prepost)
    # Another partnership's id covers nothing.
    assert not _build(world_a, seeded, Scope("programme", world_a.partnership.pk, 10**9)).plans


def _urls(seeded: Seeded, course_id: int, session_id: int) -> dict[str, str]:
    programme = seeded.planned.programme.pk
    return {
        "evaluation:report-programme": reverse(
            "evaluation:report-programme", kwargs={"programme_id": programme}
        ),
        "evaluation:report-programme-pdf": reverse(
            "evaluation:report-programme-pdf", kwargs={"programme_id": programme}
        ),
        "evaluation:report-course": reverse(
            "evaluation:report-course", kwargs={"course_id": course_id}
        ),
        "evaluation:report-course-pdf": reverse(
            "evaluation:report-course-pdf", kwargs={"course_id": course_id}
        ),
        "evaluation:report-session": reverse(
            "evaluation:report-session", kwargs={"session_id": session_id}
        ),
        "evaluation:report-session-pdf": reverse(
            "evaluation:report-session-pdf", kwargs={"session_id": session_id}
        ),
    }


def _course_and_session(world: World, seeded: Seeded) -> tuple[int, int]:
    course = services_courses.course_create(
        partnership=world.partnership,
        programme=seeded.planned.programme,
        name="Foundation day",
        hours=6,
        by=world.user(Role.PROGRAMME_LEAD),
    )
    session = Session.objects.create(
        partnership=world.partnership,
        course=course,
        course_version=course.versions.get(),
        title="Foundation day, March",
        format="in_person",
        capacity=20,
        status="published",
    )
    return course.pk, session.pk


def test_another_partnerships_reports_answer_404(world_a: World, world_b: World) -> None:
    seeded = seed_evaluation(world_a, trained=6, comparison=0)
    course, session = _course_and_session(world_a, seeded)
    client = signed_in_client(world_b.user(Role.EVALUATOR))
    for name, url in _urls(seeded, course, session).items():
        assert client.get(url).status_code == 404, name
    assert not AuditEntry.objects.filter(purpose__in=[PURPOSE_REPORT, PURPOSE_REPORT_PDF])


def test_who_may_see_reports(world_a: World) -> None:
    seeded = seed_evaluation(world_a, trained=6, comparison=0)
    url = reverse(
        "evaluation:report-programme", kwargs={"programme_id": seeded.planned.programme.pk}
    )
    allowed = {Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR, Role.AUDITOR}
    for role in Role:
        got = signed_in_client(world_a.user(role)).get(url).status_code
        assert got == (200 if role in allowed else 403), role


# --- Pages, audit, PDF, Welsh --------------------------------------------------------------------


def test_opening_and_downloading_are_audited(world_a: World, seeded: Seeded) -> None:
    course, session = _course_and_session(world_a, seeded)
    user = world_a.user(Role.EVALUATOR)
    client = signed_in_client(user)
    for name, url in _urls(seeded, course, session).items():
        before = AuditEntry.objects.count()
        response = client.get(url)
        assert response.status_code == 200, name
        entry = AuditEntry.objects.order_by("-pk").first()
        assert entry is not None and AuditEntry.objects.count() == before + 1
        assert entry.actor_id == user.pk and entry.partnership_id == world_a.partnership.pk
        if name.endswith("-pdf"):
            assert (entry.action, entry.purpose) == (AuditAction.EXPORT, PURPOSE_REPORT_PDF)
        else:
            assert (entry.action, entry.purpose) == (AuditAction.VIEW, PURPOSE_REPORT)
    whole = client.get(reverse("evaluation:report-partnership"))
    assert whole.status_code == 200
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry is not None and entry.purpose == PURPOSE_REPORT


def test_the_page_shows_charts_each_followed_by_its_table(world_a: World, seeded: Seeded) -> None:
    url = reverse(
        "evaluation:report-programme", kwargs={"programme_id": seeded.planned.programme.pk}
    )
    html = signed_in_client(world_a.user(Role.EVALUATOR)).get(url).content.decode()
    figures = [m.end() for m in re.finditer(r"</figure>", html)]
    assert len(figures) >= 10
    for end in figures:
        following = html[end : end + 400]
        assert "<table" in following, following
    charts = [svg for svg in re.findall(r"<svg\b[^>]*>", html) if "tip-chart" in svg]
    assert len(charts) == len(figures)
    for svg in charts:
        assert 'role="img"' in svg and "aria-labelledby" in svg
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for text in (
        "Cronbach",
        "Hedges",
        "Results on the Theory of Change",
        "Staff recognise trauma",
        "still developing",
        "Attrition flow",
        "Matched comparison",
        "Difference-in-differences",
        "How this was worked out",
    ):
        assert text in html, text
    main = html.split("<main")[1].split("</main>")[0]
    # No scripts and no inline styles (the Content Security Policy would refuse them).
    assert "<script" not in main and " style=" not in main


def test_the_plan_page_links_to_the_report(world_a: World, seeded: Seeded) -> None:
    programme = seeded.planned.programme.pk
    html = (
        signed_in_client(world_a.user(Role.EVALUATOR))
        .get(reverse("evaluation:plan", kwargs={"programme_id": programme}))
        .content.decode()
    )
    assert reverse("evaluation:report-programme", kwargs={"programme_id": programme}) in html


def test_a_programme_without_answers_or_plan_still_has_a_page(world_a: World) -> None:
    planned = Planned(world_a, name="Not started")
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = reverse("evaluation:report-programme", kwargs={"programme_id": planned.programme.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "nothing to report" in page.content.decode()
    plan = planned.plan()
    planned.measure(plan)
    page = client.get(url)
    assert page.status_code == 200
    assert "no scores yet" in page.content.decode()


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() or "" for page in reader.pages)


def test_the_pdf_is_a_pdf_with_the_reports_text(world_a: World, seeded: Seeded) -> None:
    url = reverse(
        "evaluation:report-programme-pdf", kwargs={"programme_id": seeded.planned.programme.pk}
    )
    response = signed_in_client(world_a.user(Role.AUDITOR)).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="trauma-informed-schools-evaluation-report.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = " ".join(_pdf_text(response.content).split())
    for expected in (
        "Evaluation report: Trauma-informed schools",
        "Results on the Theory of Change",
        "Staff recognise trauma",
        "Cronbach's alpha",
        "Reliable change",
        "still developing",
        "Caveats",
    ):
        assert expected in text, expected


def test_the_report_renders_in_welsh(world_a: World, seeded: Seeded) -> None:
    url = reverse(
        "evaluation:report-programme", kwargs={"programme_id": seeded.planned.programme.pk}
    )
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="cy"' in html
    # The instrument's own Welsh names its scores.
    assert "Hyder wrth ddefnyddio ymarfer" in html
    pdf = client.get(
        reverse(
            "evaluation:report-programme-pdf",
            kwargs={"programme_id": seeded.planned.programme.pk},
        ),
        HTTP_ACCEPT_LANGUAGE="cy",
    )
    assert "Hyder wrth ddefnyddio" in " ".join(_pdf_text(pdf.content).split())


# --- Queries -------------------------------------------------------------------------------------


def _queries(run: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def test_the_report_reads_a_bounded_number_of_queries(world_a: World) -> None:
    small = seed_evaluation(world_a, trained=6, comparison=4, seed=1)
    few = _queries(lambda: _build(world_a, small))
    big = seed_evaluation(world_a, trained=60, comparison=40, seed=2, name="Bigger")
    many = _queries(lambda: _build(world_a, big))
    assert many == few
    assert many <= 25


def test_the_page_reads_a_bounded_number_of_queries(
    world_a: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    seeded = seed_evaluation(world_a, trained=50, comparison=30)
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    url = reverse(
        "evaluation:report-programme", kwargs={"programme_id": seeded.planned.programme.pk}
    )
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_percentages_and_missing_figures_are_written_plainly() -> None:
    from tip.evaluation import reports_text as text

    assert text.num(None) == "–" and text.num(math.nan) == "–"
    assert text.percent(0.256) == "26%"
    assert text.p_value(0.0004) == "below 0.001"
    assert text.withheld_count(3) == "fewer than 5" and text.withheld_count(5) == "5"


def test_observation_forms_are_described(world_a: World) -> None:
    from tip.evaluation.analysis.scoring import score
    from tip.evaluation.models import Observation

    seeded = seed_evaluation(world_a, trained=6, comparison=0)
    seeded.planned.measure(seeded.plan, "tip-observation", offsets=(182,))
    items = (
        "safety",
        "trust",
        "choice",
        "collaboration",
        "empowerment",
        "cultural_consideration",
        "language",
        "avoiding_retraumatisation",
        "responding_to_distress",
    )
    ratings = [[1 + (i + j) % 4 for j in range(len(items))] for i in range(7)]
    for row in ratings:
        Observation.objects.create(
            partnership=world_a.partnership,
            plan=seeded.plan,
            observed_on="2025-03-01",
            instrument_id="tip-observation",
            instrument_version=1,
            answers=dict(zip(items, row, strict=True)),
        )
    report = _build(world_a, seeded)
    (part,) = report.plans
    (finding,) = part.observations
    assert finding.n == 7 and finding.table is not None
    instrument = shipped_instrument("tip-observation")
    totals = [
        float(score(instrument, dict(zip(items, r, strict=True))).values()["total"] or 0)
        for r in ratings
    ]
    total_row = finding.table.rows[0]
    assert total_row[1] == "7"
    assert total_row[2] == f"{np.mean(totals):.2f}"
    low, high = stats.t.interval(0.95, 6, loc=np.mean(totals), scale=stats.sem(totals))
    assert total_row[3] == f"{low:.2f} to {high:.2f}"
    assert not any("observation form" in s for s in part.skipped)


def test_an_instrument_used_at_one_wave_is_described_not_compared(world_a: World) -> None:
    from tests.evaluation.export_helpers import answered

    planned = Planned(world_a, name="Feedback only")
    plan = planned.plan()
    planned.measure(plan, "tip-feedback", offsets=(0,))
    items: tuple[str, ...] = ("engaged", "took_part", "felt_safe", "relevant_role")
    items += ("relevant_examples", "intend_to_use", "know_what_to_change")
    for i in range(8):
        answers = {item: 1 + (i + j) % 5 for j, item in enumerate(items)}
        answered(plan, planned.waves(plan)[0], answers={"tip-feedback": answers})
    report = reports.build_report(
        scope=Scope("programme", world_a.partnership.pk, planned.programme.pk),
        partnership=world_a.partnership,
        subject="Feedback only",
    )
    (part,) = report.plans
    (measure,) = part.measures
    assert measure.measure == "score" and not measure.prepost and not measure.reliable_change
    titles = [f.id.rsplit("-", 1)[-1] for f in measure.findings]
    assert "sample" in titles and "reliability" in titles
    assert "prepost" not in titles and "rci" not in titles and "mixed" not in titles
    assert "dropouts" not in titles
    # The outcome it measures is still shown on the Theory of Change, without a change.
    assert part.outcomes
    assert all(o.wave == "" and o.direction == "No change measured yet" for o in part.outcomes)


def test_an_analysis_that_fails_leaves_the_rest_of_the_report(
    world_a: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from tip.evaluation.analysis.results import AnalysisInputError

    seeded = seed_evaluation(world_a, trained=10, comparison=0)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AnalysisInputError("There is no column “score”.", column="score")

    monkeypatch.setattr(mixed, "mixed_model", refuse)
    report = _build(world_a, seeded)
    found = _measure(report)
    assert found.mixed is None and found.prepost
    assert not any(f.id.endswith("-mixed") for f in found.findings)
    assert "analysis failed" in caplog.text


def test_a_session_report_keeps_that_sessions_trained_people(world_a: World) -> None:
    from tests.evaluation.export_helpers import answered
    from tip.evaluation.models import Respondent
    from tip.training.models_bookings import Booking

    seeded = seed_evaluation(world_a, trained=20, comparison=10)
    _course, session_id = _course_and_session(world_a, seeded)
    base, post = seeded.waves[-7], seeded.waves[0]
    for n, member in enumerate(world_a.members.values()):
        booking = Booking.objects.create(
            partnership=world_a.partnership,
            session_id=session_id,
            membership=member,
            status="booked",
        )
        person = Respondent.objects.create(
            partnership=world_a.partnership,
            plan=seeded.plan,
            group="trained",
            booking=booking,
            anchor_date=base.plan.created_at.date(),
        )
        confidence = {f"c0{i}": 2 + (n + i) % 2 for i in range(1, 9)}
        answered(seeded.plan, base, respondent=person, answers={"tip-kac": confidence})
        later = {f"c0{i}": 4 + (n + i) % 2 for i in range(1, 9)}
        answered(seeded.plan, post, respondent=person, answers={"tip-kac": later})
    scope = Scope("session", world_a.partnership.pk, session_id)
    found = _measure(_build(world_a, seeded, scope))
    change = found.prepost[(post.name, "trained")]
    assert change.n == len(world_a.members)  # only the session's people, not the 20 others
    assert change.mean_difference.value == pytest.approx(2.0)
    everyone = _measure(_build(world_a, seeded)).prepost[(post.name, "trained")]
    assert everyone.n > change.n


def test_the_programme_report_links_to_its_course_and_session_reports(world_a: World) -> None:
    seeded = seed_evaluation(world_a, trained=6, comparison=0)
    course, session = _course_and_session(world_a, seeded)
    url = reverse(
        "evaluation:report-programme", kwargs={"programme_id": seeded.planned.programme.pk}
    )
    html = signed_in_client(world_a.user(Role.EVALUATOR)).get(url).content.decode()
    assert reverse("evaluation:report-course", kwargs={"course_id": course}) in html
    assert reverse("evaluation:report-session", kwargs={"session_id": session}) in html
    assert (
        reverse(
            "evaluation:report-programme-pdf", kwargs={"programme_id": seeded.planned.programme.pk}
        )
        in html
    )
