"""The evaluation plan's pages: who may see them, another partnership's ids answering 404, the
forms (errors shown, nothing saved), instrument titles in the reader's language, and the
programme page listing how each outcome will be measured (programmes' extension point)."""

from __future__ import annotations

import html
import re
from typing import Any

from django.urls import reverse

from tests.conftest import World, signed_in_client
from tests.evaluation.plan_helpers import Planned
from tip.core.roles import Role
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models import EvaluationPlan, PlannedMeasure, Wave
from tip.programmes.outcome_measures import outcome_measures, register_outcome_measures


def text(response: Any) -> str:
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", words))


def test_the_list_shows_each_programme_with_its_plan_status(world_a: World) -> None:
    d = Planned(world_a)
    Planned(world_a, name="Unplanned programme")
    d.measure(d.plan())
    page = signed_in_client(world_a.user(Role.EVALUATOR)).get(reverse("evaluation:index"))
    assert page.status_code == 200
    words = text(page)
    assert "Trauma-informed schools Planned 4 1" in words
    assert "Unplanned programme No plan yet" in words


def test_practitioners_and_trainers_cannot_see_plans(world_a: World) -> None:
    d = Planned(world_a)
    d.plan()
    for role in (Role.PRACTITIONER, Role.TRAINER, Role.CHAMPION):
        client = signed_in_client(world_a.user(role))
        assert client.get(reverse("evaluation:index")).status_code == 403
        url = reverse("evaluation:plan", kwargs={"programme_id": d.programme.pk})
        assert client.get(url).status_code == 403


def test_another_partnerships_plan_waves_and_measures_answer_404(
    world_a: World, world_b: World
) -> None:
    theirs = Planned(world_b)
    plan = theirs.plan()
    measure = theirs.measure(plan)
    wave = theirs.waves(plan)[0]
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    urls = [
        reverse("evaluation:plan", kwargs={"programme_id": theirs.programme.pk}),
        reverse("evaluation:plan-edit", kwargs={"programme_id": theirs.programme.pk}),
        reverse("evaluation:wave-create", kwargs={"programme_id": theirs.programme.pk}),
        reverse("evaluation:measure-create", kwargs={"programme_id": theirs.programme.pk}),
        reverse("evaluation:wave-edit", kwargs={"wave_id": wave.pk}),
        reverse("evaluation:wave-remove", kwargs={"wave_id": wave.pk}),
        reverse("evaluation:measure-edit", kwargs={"measure_id": measure.pk}),
        reverse("evaluation:measure-remove", kwargs={"measure_id": measure.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        if "/programmes/" in url and url.count("/") == 4:
            continue  # the plan's page only answers GET
        assert client.post(url, {}).status_code == 404, url
    assert Wave.objects.filter(plan=plan).count() == 4
    assert PlannedMeasure.objects.filter(plan=plan).count() == 1


def test_creating_a_plan_and_its_page(world_a: World) -> None:
    d = Planned(world_a)
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    plan_url = reverse("evaluation:plan", kwargs={"programme_id": d.programme.pk})
    assert "has no evaluation plan yet" in text(client.get(plan_url))
    edit = reverse("evaluation:plan-edit", kwargs={"programme_id": d.programme.pk})
    surveys = {
        "anonymous": "booking",
        "link_mismatches": "1",
        "days_open": "14",
        "reminder_days": "3",
        "retention_days": "730",
    }
    refused = client.post(edit, {"comparison_group": "yes", **surveys})
    assert refused.status_code == 400
    assert "Say briefly who the comparison group will be" in text(refused)
    assert not EvaluationPlan.objects.exists()
    done = client.post(edit, {"comparison_group": "no", "notes": "Surveys by email", **surveys})
    assert done.status_code == 302 and done["Location"] == plan_url
    page = text(client.get(plan_url))
    assert "Baseline Baseline (before the session) 7 days before the session" in page
    assert "Six months after Follow-up (later) About 6 months after the session (182 days)" in page
    assert "The programme has no evaluation plan yet." not in page
    assert "The evaluation plan has no instruments at any wave yet." in page


def test_adding_a_wave_shows_the_services_message(world_a: World) -> None:
    d = Planned(world_a)
    d.plan()
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = reverse("evaluation:wave-create", kwargs={"programme_id": d.programme.pk})
    refused = client.post(url, {"name": "Before", "kind": "baseline", "offset_days": "5"})
    assert refused.status_code == 400
    assert "A baseline is before the session or on its day" in text(refused)
    assert (
        client.post(url, {"name": "Before", "kind": "baseline", "offset_days": "-30"}).status_code
        == 302
    )
    assert Wave.objects.filter(name="Before", offset_days=-30).exists()


def test_removing_a_measures_only_wave_is_refused_on_the_page(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    d.measure(plan, offsets=(-7,))
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = reverse("evaluation:wave-remove", kwargs={"wave_id": d.waves(plan)[-7].pk})
    refused = client.post(url)
    assert refused.status_code == 400
    assert "is the only wave of" in text(refused)
    assert Wave.objects.filter(plan=plan).count() == 4


def test_instruments_are_named_in_the_readers_language(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    d.measure(plan, offsets=(-7, 182))
    kac = shipped_instrument("tip-kac")
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = reverse("evaluation:plan", kwargs={"programme_id": d.programme.pk})
    assert kac.title.en in text(client.get(url))
    client.cookies["django_language"] = "cy"
    welsh = text(client.get(url, HTTP_ACCEPT_LANGUAGE="cy"))
    assert kac.title.cy in welsh and kac.title.en not in welsh
    form = text(
        client.get(
            reverse("evaluation:measure-create", kwargs={"programme_id": d.programme.pk}),
            HTTP_ACCEPT_LANGUAGE="cy",
        )
    )
    assert shipped_instrument("tip-feedback").title.cy in form


def test_adding_and_changing_a_measure_through_the_forms(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    waves = d.waves(plan)
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = reverse("evaluation:measure-create", kwargs={"programme_id": d.programme.pk})
    refused = client.post(url, {"instrument": "tip-kac"})
    assert refused.status_code == 400
    assert "Choose at least one wave" in text(refused)
    made = client.post(
        url,
        {
            "instrument": "tip-kac",
            "waves": [waves[-7].pk, waves[365].pk],
            "outcomes": [d.outcome.pk],
            "indicators": [d.indicator.pk],
        },
    )
    assert made.status_code == 302
    measure = PlannedMeasure.objects.get()
    assert {w.offset_days for w in measure.waves.all()} == {-7, 365}
    edit = reverse("evaluation:measure-edit", kwargs={"measure_id": measure.pk})
    assert client.post(edit, {"instrument": "tip-kac", "waves": [waves[0].pk]}).status_code == 302
    assert [w.offset_days for w in measure.waves.all()] == [0]
    assert not measure.outcomes.exists()
    remove = reverse("evaluation:measure-remove", kwargs={"measure_id": measure.pk})
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not PlannedMeasure.objects.exists()


def test_an_outcome_shows_how_it_will_be_measured(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    d.measure(plan, offsets=(-7, 182))
    lines = outcome_measures(d.programme)
    expected = f"{shipped_instrument('tip-kac').title.en}: Baseline, Six months after"
    assert lines == {d.outcome.pk: [expected]}
    page = signed_in_client(world_a.user(Role.PRACTITIONER)).get(
        reverse("programmes:programme-detail", kwargs={"programme_id": d.programme.pk})
    )
    assert f"Staff recognise trauma Measured by: {expected}" in text(page)


def test_the_extension_point_gathers_every_provider(world_a: World) -> None:
    d = Planned(world_a)

    def another(programme: Any) -> dict[int, list[str]]:
        return {d.outcome.pk: ["Interviews at twelve months"]} if programme == d.programme else {}

    register_outcome_measures(another)
    register_outcome_measures(another)  # idempotent
    try:
        assert outcome_measures(d.programme) == {d.outcome.pk: ["Interviews at twelve months"]}
    finally:
        from tip.programmes import outcome_measures as module

        module._PROVIDERS.remove(another)
