"""The evaluation report's short-lived cache (reports.report_to_show): the PDF downloaded after
the page reuses the page's figures; a report is kept per partnership, scope and language, for
TIP_REPORT_CACHE_SECONDS and no longer; what is kept holds nothing about one person; the page
and the PDF say when the figures were worked out and how long they are kept."""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language

from tests.conftest import World, signed_in_client
from tests.evaluation.report_helpers import Seeded, seed_evaluation
from tip.core.roles import Role
from tip.evaluation import reports
from tip.evaluation.analysis_data import Scope
from tip.evaluation.models import Response


@pytest.fixture
def seeded(world_a: World) -> Seeded:
    return seed_evaluation(world_a, trained=24, comparison=16)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The languages each report was worked out in, one entry per build."""
    cache.clear()
    made: list[str] = []
    real = reports.build_report

    def counting(**kwargs: Any) -> reports.Report:
        report = real(**kwargs)
        made.append(report.language)
        return report

    monkeypatch.setattr(reports, "build_report", counting)
    yield made
    cache.clear()


def _scope(world: World, seeded: Seeded) -> Scope:
    return Scope("programme", world.partnership.pk, seeded.planned.programme.pk)


def _show(world: World, seeded: Seeded, subject: str = "Schools") -> reports.Report:
    return reports.report_to_show(
        scope=_scope(world, seeded), partnership=world.partnership, subject=subject
    )


def _flow(report: reports.Report) -> tuple[tuple[str, ...], ...]:
    (part,) = report.plans
    chart = part.attrition[0].chart
    assert chart is not None
    return chart.table.rows


def test_the_pdf_after_the_page_reuses_the_figures_per_language(
    world_a: World, seeded: Seeded, builds: list[str], settings: Any
) -> None:
    settings.TIP_REPORT_CACHE_SECONDS = 300
    programme = seeded.planned.programme.pk
    page = reverse("evaluation:report-programme", kwargs={"programme_id": programme})
    pdf = reverse("evaluation:report-programme-pdf", kwargs={"programme_id": programme})
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    html = client.get(page).content.decode()
    assert "kept for up to 5 minutes" in " ".join(html.split())
    assert client.get(pdf).status_code == 200
    assert client.get(page).status_code == 200
    assert builds == ["en"]
    # Welsh is worked out (and kept) apart.
    assert client.get(page, HTTP_ACCEPT_LANGUAGE="cy").status_code == 200
    assert client.get(pdf, HTTP_ACCEPT_LANGUAGE="cy").status_code == 200
    assert builds == ["en", "cy"]
    assert reports.report_cache_key(_scope(world_a, seeded), "cy") != reports.report_cache_key(
        _scope(world_a, seeded), "en"
    )


def test_kept_figures_miss_new_answers_until_they_expire(
    world_a: World, seeded: Seeded, builds: list[str], settings: Any
) -> None:
    settings.TIP_REPORT_CACHE_SECONDS = 1
    first = _show(world_a, seeded)
    # The six-month answers are withdrawn: not seen while the figures are kept...
    Response.objects.filter(plan=seeded.plan, wave__offset_days=182).update(submitted_at=None)
    kept = _show(world_a, seeded, subject="Schools, renamed")
    assert len(builds) == 1
    assert kept.generated_at == first.generated_at
    assert _flow(kept) == _flow(first)
    # ...though names are always the current ones.
    assert kept.subject == "Schools, renamed" and "Schools, renamed" in kept.title
    # Once they expire, the figures are worked out again and show the change.
    time.sleep(1.1)
    fresh = _show(world_a, seeded)
    assert len(builds) == 2
    assert fresh.generated_at > first.generated_at
    assert _flow(fresh) != _flow(first)


def test_a_new_cache_version_or_another_scope_is_worked_out_afresh(
    world_a: World, seeded: Seeded, builds: list[str], settings: Any, monkeypatch: Any
) -> None:
    settings.TIP_REPORT_CACHE_SECONDS = 300
    _show(world_a, seeded)
    _show(world_a, seeded)
    assert len(builds) == 1
    monkeypatch.setattr(reports, "REPORT_CACHE_VERSION", reports.REPORT_CACHE_VERSION + 1)
    _show(world_a, seeded)
    assert len(builds) == 2
    whole = Scope("partnership", world_a.partnership.pk, world_a.partnership.pk)
    reports.report_to_show(scope=whole, partnership=world_a.partnership, subject="All")
    assert len(builds) == 3


def test_without_a_cache_time_every_request_works_the_figures_out(
    world_a: World, seeded: Seeded, builds: list[str], settings: Any
) -> None:
    settings.TIP_REPORT_CACHE_SECONDS = 0
    _show(world_a, seeded)
    _show(world_a, seeded)
    assert len(builds) == 2
    url = reverse(
        "evaluation:report-programme", kwargs={"programme_id": seeded.planned.programme.pk}
    )
    html = signed_in_client(world_a.user(Role.EVALUATOR)).get(url).content.decode()
    assert "Worked out from the answers submitted up to" in html
    assert "kept for up to" not in html


def test_what_is_kept_holds_nothing_about_one_person(
    world_a: World, seeded: Seeded, builds: list[str], settings: Any
) -> None:
    settings.TIP_REPORT_CACHE_SECONDS = 300
    built = reports.build_report(
        scope=_scope(world_a, seeded), partnership=world_a.partnership, subject="Schools"
    )
    # The analyses' own results hold people: each person's reliable change, matching weights.
    assert "PersonChange" in pickle.dumps(built).decode("latin-1")
    shown = _show(world_a, seeded)
    kept = cache.get(reports.report_cache_key(_scope(world_a, seeded), get_language()))
    assert isinstance(kept, reports.Report)
    stored = pickle.dumps(kept).decode("latin-1")
    for name in ("PersonChange", "MatchResult", "DataFrame", "ndarray"):
        assert name not in stored, name
    # The findings the page shows are all there.
    assert [f.id for p in shown.plans for m in p.measures for f in m.findings] == [
        f.id for p in built.plans for m in p.measures for f in m.findings
    ]
    assert [f.summary for p in shown.plans for m in p.measures for f in m.findings] == [
        f.summary for p in built.plans for m in p.measures for f in m.findings
    ]
