"""Qualitative coding: the texts to code (free text of submitted responses and observation notes,
within retention), the codebook, each coder's codings, the double-coding sample and agreement,
theme counts with small numbers hidden, the quotes export with identifying details removed, and
the pages (roles, partnership isolation, audit, bad input, query counts)."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from sklearn.metrics import cohen_kappa_score

from tests.conftest import World, signed_in_client
from tests.evaluation.export_helpers import answered, observed
from tests.evaluation.plan_helpers import Planned
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.evaluation import selectors_coding as selectors
from tip.evaluation import services_coding as services
from tip.evaluation.models import Code, Coding, EvaluationPlan, Response, SampledText


def words(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", body))


def feedback(text: str, *, anything: str = "") -> dict[str, Any]:
    answers: dict[str, Any] = {"engaged": 5, "most_useful": text}
    if anything:
        answers["anything_else"] = anything
    return {"tip-feedback": answers, "tip-kac": {"a01": 4}}


class Coded:
    """A plan with three submitted responses (free text at the post wave), one not submitted,
    and an observation with notes."""

    def __init__(self, world: World, name: str = "Trauma-informed schools") -> None:
        self.world = world
        self.d = Planned(world, name)
        self.plan: EvaluationPlan = self.d.plan()
        self.d.measure(self.plan, "tip-feedback", (0,))
        self.wave = self.d.waves(self.plan)[0]
        self.evaluator = world.user(Role.EVALUATOR)
        self.lead = world.user(Role.PROGRAMME_LEAD)
        self.responses = [
            answered(self.plan, self.wave, answers=feedback("The case studies")),
            answered(
                self.plan,
                self.wave,
                answers=feedback("Role play with Mr Jones", anything="Call me on 07700 900123"),
            ),
            answered(self.plan, self.wave, answers=feedback("  ")),
        ]
        draft = answered(self.plan, self.wave, answers=feedback("Not sent yet"))
        Response.objects.filter(pk=draft.pk).update(submitted_at=None)
        self.observation = observed(self.plan, notes="Calm room, staff at SW1A 1AA", by=self.lead)

    @property
    def programme_id(self) -> int:
        return self.plan.programme_id

    def texts(self) -> list[selectors.Text]:
        return selectors.texts(self.plan)

    def text(self, key: str) -> selectors.Text:
        return selectors.text_get(self.plan, key)

    def code(self, label: str, **values: Any) -> Code:
        return services.code_create(plan=self.plan, by=self.evaluator, label=label, **values)

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"evaluation:{name}", kwargs={"programme_id": self.programme_id, **kwargs})


@pytest.fixture
def c(world_a: World) -> Coded:
    return Coded(world_a)


# --- The texts -----------------------------------------------------------------------------------


def test_texts_are_free_text_of_submitted_responses_and_observation_notes(c: Coded) -> None:
    found = c.texts()
    r1, r2, _blank = c.responses
    assert [t.key for t in found] == [
        f"r{r1.pk}.tip-feedback.most_useful",
        f"r{r2.pk}.tip-feedback.most_useful",
        f"r{r2.pk}.tip-feedback.anything_else",
        f"o{c.observation.pk}",
    ]
    assert found[0].text == "The case studies"
    assert found[0].wave == c.wave.name and found[0].group == "trained"
    assert found[0].person == f"R{r1.respondent_id}"
    assert found[0].question.label  # the question's words
    assert found[-1].kind == selectors.OBSERVATION and found[-1].group == ""
    assert c.text(found[1].key).text == "Role play with Mr Jones"


def test_texts_past_retention_are_left_out(c: Coded) -> None:
    r1 = c.responses[0]
    # The first respondent's date has come: their text goes, even before the sweep.
    r1.respondent.anchor_date = datetime.date(2020, 1, 1)
    r1.respondent.save()
    keys = [t.key for t in c.texts()]
    assert f"r{r1.pk}.tip-feedback.most_useful" not in keys
    with pytest.raises(Http404):
        c.text(f"r{r1.pk}.tip-feedback.most_useful")
    # Once the plan as a whole is due, observation notes go too.
    c.plan.retention_days = 90
    c.plan.save()
    Response.objects.filter(plan=c.plan).update(
        submitted_at=timezone.now() - datetime.timedelta(days=400)
    )
    from tip.evaluation.models import Invitation

    Invitation.objects.filter(respondent__plan=c.plan).update(
        opens_at=timezone.now() - datetime.timedelta(days=420),
        closes_at=timezone.now() - datetime.timedelta(days=400),
    )
    assert not any(t.kind == selectors.OBSERVATION for t in c.texts())
    with pytest.raises(Http404):
        c.text(f"o{c.observation.pk}")


@pytest.mark.parametrize("key", ["x1", "r1", "r1.tip-feedback", "oabc", "r99999.tip-feedback.q"])
def test_a_bad_or_unknown_key_is_404(c: Coded, key: str) -> None:
    with pytest.raises(Http404):
        c.text(key)


def test_a_non_free_text_item_is_not_a_text(c: Coded) -> None:
    with pytest.raises(Http404):
        c.text(f"r{c.responses[0].pk}.tip-feedback.engaged")


# --- The codebook --------------------------------------------------------------------------------


def test_codes_are_added_in_order_checked_and_audited(c: Coded) -> None:
    theme = c.code("Safety", description="Feeling safe")
    child = c.code("Safer at work", parent=theme)
    assert (theme.position, child.position) == (0, 1)
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CREATE, object_type="evaluation.Code", actor=c.evaluator
        ).count()
        == 2
    )
    with pytest.raises(ValidationError) as refused:
        c.code("  safety ")
    assert "already has a code" in refused.value.message_dict["label"][0]
    with pytest.raises(ValidationError) as refused:
        c.code("", position="x")
    assert set(refused.value.message_dict) == {"label", "position"}
    # A code cannot sit under itself or one of its own codes.
    with pytest.raises(ValidationError) as refused:
        services.code_update(code=theme, by=c.evaluator, label="Safety", parent=child)
    assert "not this code" in refused.value.message_dict["parent"][0]
    services.code_update(code=child, by=c.evaluator, label="Safer at work", position=7)
    child.refresh_from_db()
    assert child.position == 7 and child.parent is None


def test_a_theme_of_another_plan_is_refused(c: Coded, world_b: World) -> None:
    other = Coded(world_b)
    foreign = other.code("Elsewhere")
    with pytest.raises(ValidationError) as refused:
        c.code("Here", parent=foreign)
    assert "this plan's codebook" in refused.value.message_dict["parent"][0]


def test_codes_in_use_are_retired_not_deleted(c: Coded) -> None:
    used, unused = c.code("Used"), c.code("Unused")
    text = c.texts()[0]
    services.coding_set(plan=c.plan, text=text, coder=c.evaluator, codes=[used])
    with pytest.raises(ValidationError, match="retire it instead"):
        services.code_delete(code=used, by=c.evaluator)
    services.code_retire(code=used, by=c.evaluator)
    used.refresh_from_db()
    assert used.retired and Coding.objects.get().codes.get() == used
    services.code_delete(code=unused, by=c.evaluator)
    assert not Code.objects.filter(pk=unused.pk).exists()
    services.code_restore(code=used, by=c.evaluator)
    used.refresh_from_db()
    assert not used.retired


# --- Coding --------------------------------------------------------------------------------------


def test_each_coder_codes_separately_tag_and_untag(c: Coded) -> None:
    a, b = c.code("A"), c.code("B")
    text = c.texts()[0]
    services.tag(plan=c.plan, text=text, coder=c.evaluator, code=a)
    services.tag(plan=c.plan, text=text, coder=c.evaluator, code=b)
    services.tag(plan=c.plan, text=text, coder=c.evaluator, code=b)  # already there
    services.coding_set(plan=c.plan, text=text, coder=c.lead, codes=[])
    found = selectors.codings(c.plan)
    assert found.by_text[text.key] == {c.evaluator.pk: {a.pk, b.pk}, c.lead.pk: frozenset()}
    services.untag(plan=c.plan, text=text, coder=c.evaluator, code=a)
    assert selectors.codings(c.plan).of(c.evaluator.pk) == {text.key: {b.pk}}
    assert services.coding_clear(plan=c.plan, text=text, coder=c.lead)
    assert c.lead.pk not in selectors.codings(c.plan).by_text[text.key]
    actions = list(
        AuditEntry.objects.filter(object_type="evaluation.Coding").values_list("action", flat=True)
    )
    assert actions.count(AuditAction.CREATE) == 2 and AuditAction.DELETE in actions


def test_retired_and_foreign_codes_cannot_be_added(c: Coded, world_b: World) -> None:
    kept, gone = c.code("Kept"), c.code("Gone")
    text = c.texts()[0]
    services.coding_set(plan=c.plan, text=text, coder=c.evaluator, codes=[gone])
    services.code_retire(code=gone, by=c.evaluator)
    # A retired code already applied may stay; it cannot be added anew.
    services.coding_set(plan=c.plan, text=text, coder=c.evaluator, codes=[kept, gone])
    with pytest.raises(ValidationError, match="retired"):
        services.coding_set(plan=c.plan, text=c.texts()[1], coder=c.evaluator, codes=[gone])
    foreign = Coded(world_b).code("Foreign")
    with pytest.raises(ValidationError, match="this plan's codebook"):
        services.coding_set(plan=c.plan, text=text, coder=c.evaluator, codes=[foreign])


# --- The sample and agreement --------------------------------------------------------------------


def test_a_random_sample_is_drawn_from_texts_not_yet_in_it(c: Coded) -> None:
    keys = [t.key for t in c.texts()]
    added = services.sample_random(plan=c.plan, keys=keys, share=20, by=c.evaluator, seed=1)
    assert len(added) == 1  # 20% of 4, rounded up
    again = services.sample_random(plan=c.plan, keys=keys, share=100, by=c.evaluator)
    assert len(again) == 3 and set(selectors.sample_keys(c.plan)) == set(keys)
    with pytest.raises(ValidationError, match="nothing left"):
        services.sample_random(plan=c.plan, keys=keys, share=20, by=c.evaluator)
    with pytest.raises(ValidationError, match="from 1 to 100"):
        services.sample_random(plan=c.plan, keys=keys, share=0, by=c.evaluator)
    assert services.sample_add(plan=c.plan, keys=keys[:1], by=c.evaluator) == []
    assert services.sample_remove(plan=c.plan, keys=keys[:2], by=c.evaluator) == 2
    assert services.sample_remove(plan=c.plan, by=c.evaluator) == 2
    assert not SampledText.objects.exists()
    assert AuditEntry.objects.filter(object_type="evaluation.SampledText").count() == 4


def test_random_sample_sizes() -> None:
    keys = [f"o{i}" for i in range(50)]
    assert len(selectors.random_sample(keys, 0.2, seed=3)) == 10
    assert len(selectors.random_sample(keys[:7], 0.2, seed=3)) == 2
    assert selectors.random_sample(keys, 0.2, seed=3) == selectors.random_sample(keys, 0.2, seed=3)
    assert selectors.random_sample([], 0.5) == []


def _many_texts(c: Coded, n: int) -> list[selectors.Text]:
    for i in range(n):
        answered(c.plan, c.wave, answers=feedback(f"Answer number {i}"))
    return c.texts()


def test_agreement_on_the_sample_matches_scikit_learn(c: Coded) -> None:
    a, b, retired = c.code("A"), c.code("B"), c.code("Never used, retired")
    services.code_retire(code=retired, by=c.evaluator)
    found = _many_texts(c, 8)
    sample = found[:10]
    services.sample_add(plan=c.plan, keys=[t.key for t in sample], by=c.evaluator)
    first = [[a], [a, b], [], [b], [a], [a], [], [b], [a, b], [a]]
    second = [[a], [a], [], [b], [b], [a], [a], [b], [a, b], []]
    for text, mine, theirs in zip(sample, first, second, strict=True):
        services.coding_set(plan=c.plan, text=text, coder=c.evaluator, codes=mine)
        services.coding_set(plan=c.plan, text=text, coder=c.lead, codes=theirs)
    # A text outside the sample does not count.
    services.coding_set(plan=c.plan, text=found[11], coder=c.evaluator, codes=[a])
    services.coding_set(plan=c.plan, text=found[11], coder=c.lead, codes=[b])
    codings = selectors.codings(c.plan)
    keys = selectors.sample_keys(c.plan)
    assert selectors.sample_coders(c.plan, codings, keys) == [c.evaluator, c.lead] or (
        selectors.sample_coders(c.plan, codings, keys) == [c.lead, c.evaluator]
    )
    view = selectors.agreement(
        c.plan,
        first=c.evaluator,
        second=c.lead,
        found=codings,
        sample=keys,
        current={t.key for t in found},
        codes=selectors.codebook(c.plan),
    )
    result = view.result
    assert result.n == 10
    assert [r.code for r in result.codes] == [a.pk, b.pk]  # the retired, unused code is left out
    for row, code in zip(result.codes, (a, b), strict=True):
        x = [int(code in m) for m in first]
        y = [int(code in t) for t in second]
        assert row.kappa.kappa == pytest.approx(cohen_kappa_score(x, y), rel=1e-9)


# --- Theme counts --------------------------------------------------------------------------------


def test_theme_counts_by_wave_and_group_with_themes_and_small_counts(c: Coded) -> None:
    theme = c.code("Safety")
    child = c.code("Safer at work", parent=theme)
    other = c.code("Other")
    found = _many_texts(c, 6)
    answers = [t for t in found if t.kind == selectors.ANSWER]
    for t in answers[:6]:
        services.coding_set(plan=c.plan, text=t, coder=c.evaluator, codes=[child])
    services.coding_set(plan=c.plan, text=answers[6], coder=c.lead, codes=[other])
    obs = next(t for t in found if t.kind == selectors.OBSERVATION)
    services.coding_set(plan=c.plan, text=obs, coder=c.evaluator, codes=[theme])
    counts = selectors.theme_counts(found, selectors.codings(c.plan), selectors.codebook(c.plan))
    assert [col.group for col in counts.columns] == ["Trained", "Observations"]
    rows = {r.code.label: r for r in counts.rows}
    # Six texts (from five people: the second response has two texts) have the code.
    assert (rows["Safer at work"].cells[0].texts, rows["Safer at work"].cells[0].people) == (6, 5)
    # The theme counts its codes' texts and its own.
    assert rows["Safety"].total.texts == 7
    assert rows["Other"].cells[0].texts == 1
    assert selectors.shown(1) == "fewer than 5" and selectors.shown(4) == "fewer than 5"
    assert selectors.shown(0) == "0" and selectors.shown(5) == "5"
    # One coder's codings only.
    mine = selectors.theme_counts(
        found, selectors.codings(c.plan), selectors.codebook(c.plan), coder_id=c.lead.pk
    )
    assert {r.code.label: r.total.texts for r in mine.rows} == {
        "Safety": 0,
        "Safer at work": 0,
        "Other": 1,
    }


# --- Quotes --------------------------------------------------------------------------------------


def test_quotes_are_redacted_and_safe_for_spreadsheets(c: Coded) -> None:
    code = c.code("Learning")
    member = c.world.user(Role.TRAINER)
    member.full_name = "Kerry Smith"
    member.save()
    answered(c.plan, c.wave, answers=feedback("=SUM(A1) Kerry Smith was brilliant"))
    for t in c.texts():
        services.coding_set(plan=c.plan, text=t, coder=c.evaluator, codes=[code])
    rows = list(
        selectors.quote_rows(
            c.texts(),
            selectors.codings(c.plan),
            selectors.codebook(c.plan),
            names=selectors.known_names(c.plan.partnership_id),
        )
    )
    assert rows[0] == list(selectors.QUOTE_HEADER)
    quotes = [r[5] for r in rows[1:]]
    assert "Role play with [name]" in quotes
    assert "Call me on [phone]" in quotes
    assert "Calm room, staff at [postcode]" in quotes
    assert "'=SUM(A1) [name] was brilliant" in quotes
    assert all(r[0] == "Learning" for r in rows[1:])


# --- Pages ---------------------------------------------------------------------------------------


def test_codebook_pages_add_change_and_retire(c: Coded) -> None:
    client = signed_in_client(c.evaluator)
    page = client.get(c.url("coding-codebook"))
    assert page.status_code == 200 and "The codebook has no codes yet" in words(page)
    response = client.post(
        c.url("coding-code-create"), {"label": "Calm", "description": "Feels calm"}
    )
    assert response.status_code == 302
    code = Code.objects.get(label="Calm")
    refused = client.post(c.url("coding-code-create"), {"label": "", "position": "x"})
    assert refused.status_code == 400
    text = words(refused)
    assert "There is a problem" in text and "Enter the code's label" in text
    assert "Enter the position as a whole number" in text
    duplicate = client.post(c.url("coding-code-create"), {"label": "calm"})
    assert duplicate.status_code == 400 and "already has a code" in words(duplicate)
    edit = reverse("evaluation:coding-code-edit", kwargs={"code_id": code.pk})
    assert client.post(edit, {"label": "Calmer", "description": ""}).status_code == 302
    retire = reverse("evaluation:coding-code-retire", kwargs={"code_id": code.pk})
    assert "will be removed" in words(client.get(retire))
    services.coding_set(plan=c.plan, text=c.texts()[0], coder=c.evaluator, codes=[code])
    assert "retired rather than removed" in words(client.get(retire))
    assert client.post(retire).status_code == 302
    code.refresh_from_db()
    assert code.retired and code.label == "Calmer"
    assert "Retired" in words(client.get(c.url("coding-codebook")))
    # A theme of other codes is retired too, not removed.
    theme = c.code("Theme")
    c.code("Under it", parent=theme)
    theme_retire = reverse("evaluation:coding-code-retire", kwargs={"code_id": theme.pk})
    assert "retired rather than removed" in words(client.get(theme_retire))
    assert client.post(theme_retire).status_code == 302
    assert Code.objects.get(pk=theme.pk).retired
    # A retired code is restored the same way.
    assert "offered for coding again" in words(client.get(retire))
    assert client.post(retire).status_code == 302
    code.refresh_from_db()
    assert not code.retired


def test_the_texts_page_filters_and_audits(c: Coded) -> None:
    code = c.code("Calm")
    services.coding_set(plan=c.plan, text=c.texts()[0], coder=c.evaluator, codes=[code])
    client = signed_in_client(c.evaluator)
    page = client.get(c.url("coding-texts"))
    assert page.status_code == 200
    text = words(page)
    assert "The case studies" in text and "Calm room" in text and "Not sent yet" not in text
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW, actor=c.evaluator).latest("id")
    assert entry.purpose and entry.object_type == "evaluation.EvaluationPlan"
    uncoded = words(client.get(c.url("coding-texts"), {"status": "uncoded"}))
    assert "The case studies" not in uncoded and "Role play" in uncoded
    notes = words(client.get(c.url("coding-texts"), {"group": "observations"}))
    assert "Calm room" in notes and "Role play" not in notes
    question = words(client.get(c.url("coding-texts"), {"question": "notes"}))
    assert "Calm room" in question and "Role play" not in question
    bad = client.get(c.url("coding-texts"), {"wave": "999999", "status": "maybe"})
    assert bad.status_code == 400
    assert "Choose one of the plan's waves" in words(bad)
    assert "Choose coded or not coded yet" in words(bad)


def test_coding_a_text_on_its_page(c: Coded) -> None:
    a, b = c.code("A"), c.code("B")
    retired = c.code("Old")
    services.code_retire(code=retired, by=c.evaluator)
    key = c.texts()[1].key
    client = signed_in_client(c.evaluator)
    url = c.url("coding-text", text_key=key)
    page = client.get(url)
    assert page.status_code == 200
    body = words(page)
    assert "Role play with Mr Jones" in body and "Old" not in body
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, actor=c.evaluator).exists()
    saved = client.post(url, {"codes": [a.pk, b.pk]})
    assert saved.status_code == 302
    assert selectors.codings(c.plan).of(c.evaluator.pk) == {key: {a.pk, b.pk}}
    # On to the next text not yet coded, within the list's filters.
    assert saved["Location"] == c.url("coding-text", text_key=c.texts()[2].key)
    notes_only = client.post(url + "?back=group%3Dobservations", {"codes": [a.pk]})
    assert notes_only["Location"] == (
        c.url("coding-text", text_key=f"o{c.observation.pk}") + "?back=group%3Dobservations"
    )
    refused = client.post(url, {"codes": [retired.pk]})
    assert refused.status_code == 400 and "Choose codes from this plan's codebook" in words(refused)
    assert client.post(url, {"action": "sample-add"}).status_code == 302
    assert selectors.sample_keys(c.plan) == [key]
    assert client.post(url, {"action": "clear"}).status_code == 302
    assert selectors.codings(c.plan).of(c.evaluator.pk) == {}
    assert client.get(c.url("coding-text", text_key="r0.x.y")).status_code == 404


def test_sample_agreement_and_theme_pages(c: Coded) -> None:
    a = c.code("A")
    found = _many_texts(c, 4)
    client = signed_in_client(c.evaluator)
    assert client.post(c.url("coding-sample"), {"share": "50"}).status_code == 302
    keys = selectors.sample_keys(c.plan)
    assert len(keys) == 4
    refused = client.post(c.url("coding-sample"), {"share": "500"})
    assert refused.status_code == 400 and "from 1 to 100" in words(refused)
    waiting = words(client.get(c.url("coding-agreement")))
    assert "Agreement needs two people" in waiting
    by_key = {t.key: t for t in found}
    for i, key in enumerate(keys):
        services.coding_set(plan=c.plan, text=by_key[key], coder=c.evaluator, codes=[a])
        services.coding_set(plan=c.plan, text=by_key[key], coder=c.lead, codes=[a] if i % 2 else [])
    page = client.get(c.url("coding-agreement"))
    assert page.status_code == 200
    text = words(page)
    assert (
        "Fleiss, Cohen and Everitt" in text and "4 texts of the sample were coded by both" in text
    )
    same = client.get(c.url("coding-agreement"), {"first": c.lead.pk, "second": c.lead.pk})
    assert same.status_code == 400 and "Choose two different coders" in words(same)
    themes = client.get(c.url("coding-themes"))
    assert themes.status_code == 200 and "fewer than 5" in words(themes)
    assert client.get(c.url("coding-themes"), {"coder": "0"}).status_code == 400


def test_the_quotes_download_is_audited_as_an_export(c: Coded) -> None:
    code = c.code("Learning")
    services.coding_set(plan=c.plan, text=c.texts()[1], coder=c.evaluator, codes=[code])
    response = signed_in_client(c.evaluator).get(c.url("coding-quotes"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == list(selectors.QUOTE_HEADER)
    assert rows[1][0] == "Learning" and rows[1][5] == "Role play with [name]"
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=c.evaluator).get()
    assert "quotes" in entry.purpose


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR])
def test_the_roles_that_code(c: Coded, role: str) -> None:
    assert signed_in_client(c.world.user(role)).get(c.url("coding-texts")).status_code == 200


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TRAINER])
def test_other_roles_cannot(c: Coded, role: str) -> None:
    client = signed_in_client(c.world.user(role))
    assert client.get(c.url("coding-texts")).status_code == 403
    assert client.get(c.url("coding-codebook")).status_code == 403


def test_another_partnerships_ids_are_404(c: Coded, world_b: World) -> None:
    code = c.code("A")
    key = c.texts()[0].key
    outsider = signed_in_client(world_b.user(Role.EVALUATOR))
    Coded(world_b)  # B has a plan of its own
    for url in (
        c.url("coding-codebook"),
        c.url("coding-texts"),
        c.url("coding-text", text_key=key),
        c.url("coding-sample"),
        c.url("coding-agreement"),
        c.url("coding-themes"),
        c.url("coding-quotes"),
        reverse("evaluation:coding-code-edit", kwargs={"code_id": code.pk}),
        reverse("evaluation:coding-code-retire", kwargs={"code_id": code.pk}),
    ):
        assert outsider.get(url).status_code == 404, url
        posted = outsider.post(url, {"label": "x", "codes": [code.pk]})
        assert posted.status_code in {404, 405}, url  # 405: a page that only reads
    assert not Coding.objects.exists()


def test_a_text_of_another_plan_of_the_same_partnership_is_404(c: Coded) -> None:
    other = Coded(c.world, "Another programme")
    key = other.texts()[0].key
    client = signed_in_client(c.evaluator)
    assert client.get(c.url("coding-text", text_key=key)).status_code == 404


def test_the_texts_page_runs_the_same_queries_however_many_texts(c: Coded) -> None:
    code = c.code("A")
    services.coding_set(plan=c.plan, text=c.texts()[0], coder=c.evaluator, codes=[code])
    client = signed_in_client(c.evaluator)
    url = c.url("coding-texts")
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for t in _many_texts(c, 25):
        services.coding_set(plan=c.plan, text=t, coder=c.evaluator, codes=[code])
    assert count() == few <= 20
    themes = c.url("coding-themes")
    with CaptureQueriesContext(connection) as queries:
        client.get(themes)
    assert len(queries) <= 20


def test_the_pages_open_in_welsh(c: Coded) -> None:
    code = c.code("A")
    texts = c.texts()
    services.sample_add(plan=c.plan, keys=[t.key for t in texts], by=c.evaluator)
    for i, t in enumerate(texts):
        services.coding_set(plan=c.plan, text=t, coder=c.evaluator, codes=[code])
        services.coding_set(plan=c.plan, text=t, coder=c.lead, codes=[code] if i % 2 else [])
    client = signed_in_client(c.evaluator)
    for url in (
        c.url("coding-codebook"),
        c.url("coding-code-create"),
        c.url("coding-texts"),
        c.url("coding-text", text_key=texts[0].key),
        c.url("coding-sample"),
        c.url("coding-agreement"),
        c.url("coding-themes"),
        reverse("evaluation:coding-code-edit", kwargs={"code_id": code.pk}),
        reverse("evaluation:coding-code-retire", kwargs={"code_id": code.pk}),
    ):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
        assert page.status_code == 200, url
        assert 'lang="cy"' in page.content.decode(), url
