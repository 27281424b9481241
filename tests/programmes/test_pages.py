"""The Theory of Change pages: building one from the library, refusals shown on the form, other
partnerships' ids, evaluation questions and the diagram."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.conftest import World, signed_in_client
from tip.core.roles import Role
from tip.programmes import services
from tip.programmes.models import Element, EvaluationQuestion, Link, Programme
from tip.programmes.outcome_library import load_outcomes


def lead_client(world: World) -> Client:
    return signed_in_client(world.user(Role.PROGRAMME_LEAD))


def url(name: str, programme: Programme, **kw: object) -> str:
    return reverse(f"programmes:{name}", kwargs={"programme_id": programme.pk, **kw})


def test_build_a_theory_of_change_from_the_library(world_a: World, programme: Programme) -> None:
    client = lead_client(world_a)
    page = client.get(url("outcome-library", programme))
    assert page.status_code == 200
    assert b"EIF: plausible" in page.content
    library = load_outcomes()
    chosen = [library[0].code, library[1].code]
    response = client.post(url("outcome-library", programme), {"outcomes": chosen})
    assert response.status_code == 302
    assert set(Element.objects.values_list("outcome_code", flat=True)) == set(chosen)
    again = client.get(url("outcome-library", programme)).content.decode()
    assert f'value="{chosen[0]}"' not in again and f'value="{library[2].code}"' in again

    response = client.post(
        url("element-create", programme), {"kind": "activity", "title": "Staff training"}
    )
    assert response.status_code == 302
    activity = Element.objects.get(kind="activity")
    outcome = Element.objects.get(outcome_code=chosen[0])
    response = client.post(
        url("link-create", programme),
        {"source": activity.pk, "target": outcome.pk, "evidence": "emerging", "rationale": "Why"},
    )
    assert response.status_code == 302
    response = client.post(
        url("element-note-create", programme, element_id=activity.pk),
        {"kind": "assumption", "text": "Schools release staff"},
    )
    assert response.status_code == 302
    response = client.post(
        url("indicator-create", programme, element_id=outcome.pk),
        {"what": "Knowledge", "how": "Quiz", "from_whom": "Staff", "when": "After training"},
    )
    assert response.status_code == 302

    page = client.get(url("programme-detail", programme)).content.decode()
    assert '<ol class="govuk-list govuk-list--number">' in page
    assert "Staff training" in page and "Schools release staff" in page and "Quiz" in page
    assert page.index("govuk-list--number") < page.index("<svg")
    assert 'role="img"' in page


def test_the_diagram_and_library_speak_welsh(world_a: World, programme: Programme) -> None:
    client = lead_client(world_a)
    client.cookies["django_language"] = "cy"
    library = load_outcomes()
    page = client.get(url("outcome-library", programme), HTTP_ACCEPT_LANGUAGE="cy")
    assert escape(library[0].title("cy")) in page.content.decode()
    page = client.get(url("programme-detail", programme), HTTP_ACCEPT_LANGUAGE="cy")
    assert page.status_code == 200


def test_an_outcome_without_level_or_horizon_is_refused(
    world_a: World, programme: Programme
) -> None:
    response = lead_client(world_a).post(
        url("element-create", programme), {"kind": "outcome", "title": "Safer"}
    )
    assert response.status_code == 400
    assert b"Choose who the outcome is for" in response.content
    assert b"Choose when you expect the outcome" in response.content
    assert not Element.objects.exists()


def _two(world: World, programme: Programme) -> tuple[Element, Element]:
    lead = world.user(Role.PROGRAMME_LEAD)
    a = services.element_create(programme=programme, kind="activity", title="Training", by=lead)
    x = services.element_create(
        programme=programme,
        kind="outcome",
        title="Staff recognise trauma",
        level="practitioners",
        horizon="short",
        by=lead,
    )
    return a, x


def test_bad_links_are_refused_on_the_form(
    world_a: World, world_b: World, programme: Programme, other_programme: Programme
) -> None:
    a, x = _two(world_a, programme)
    foreign, _ = _two(world_b, other_programme)
    client = lead_client(world_a)
    cases = [
        ({"source": a.pk, "target": foreign.pk}, "Choose an element from the list"),
        ({"source": x.pk, "target": a.pk}, "other way round"),
    ]
    for ends, message in cases:
        response = client.post(url("link-create", programme), {**ends, "evidence": "none"})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert b"There is a problem" in response.content
    client.post(url("link-create", programme), {"source": a.pk, "target": x.pk, "evidence": "none"})
    response = client.post(
        url("link-create", programme), {"source": a.pk, "target": x.pk, "evidence": "none"}
    )
    assert "already leads to" in response.content.decode()
    assert Link.objects.count() == 1


def test_a_loop_is_refused_on_the_form(world_a: World, programme: Programme) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    _a, x = _two(world_a, programme)
    y = services.element_create(
        programme=programme,
        kind="outcome",
        title="Pupils feel safe",
        level="beneficiaries",
        horizon="medium",
        by=lead,
    )
    services.link_create(programme=programme, source=x, target=y, evidence="none", by=lead)
    response = lead_client(world_a).post(
        url("link-create", programme), {"source": y.pk, "target": x.pk, "evidence": "none"}
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "loop" in text and "Pupils feel safe" in text and "Staff recognise trauma" in text
    assert Link.objects.count() == 1


def test_another_partnerships_ids_are_not_found(
    world_a: World, world_b: World, programme: Programme, other_programme: Programme
) -> None:
    foreign, _ = _two(world_b, other_programme)
    client = lead_client(world_a)
    # B's element inside A's programme, and B's programme itself.
    for path in (
        url("element-edit", programme, element_id=foreign.pk),
        url("element-delete", programme, element_id=foreign.pk),
        url("programme-detail", other_programme),
        url("question-list", other_programme),
    ):
        assert client.get(path).status_code == 404
        assert client.post(path, {"title": "x"}).status_code == 404
    assert Element.objects.get(pk=foreign.pk).title == "Training"


def test_questions_are_proposed_accepted_edited_and_dismissed(
    world_a: World, programme: Programme
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    a, x = _two(world_a, programme)
    y = services.element_create(
        programme=programme,
        kind="outcome",
        title="Pupils feel safe",
        level="beneficiaries",
        horizon="long",
        by=lead,
    )
    link = services.link_create(programme=programme, source=a, target=x, evidence="none", by=lead)
    client = lead_client(world_a)
    page = client.get(url("question-list", programme)).content.decode()
    assert "Does “Training” lead to “Staff recognise trauma”?" in page
    assert "govuk-warning-text" in page  # a long-term outcome with no shorter one before it
    keys = [f"link:{link.pk}", f"indicator:{x.pk}", f"indicator:{y.pk}"]
    for key in keys:
        assert url("question-decide", programme, proposal_key=key) in page

    client.post(url("question-decide", programme, proposal_key=keys[0]), {"decision": "accept"})
    edit = url("question-decide", programme, proposal_key=keys[1])
    assert "Staff recognise trauma" in client.get(edit).content.decode()
    client.post(edit, {"decision": "accept", "text": "Do staff recognise trauma after a year?"})
    client.post(url("question-decide", programme, proposal_key=keys[2]), {"decision": "dismiss"})

    questions = {q.proposal_key: (q.status, q.text) for q in EvaluationQuestion.objects.all()}
    assert questions[keys[0]][0] == "accepted"
    assert questions[keys[1]] == ("accepted", "Do staff recognise trauma after a year?")
    assert questions[keys[2]][0] == "dismissed"
    page = client.get(url("question-list", programme)).content.decode()
    assert not re.search(r"questions/(link|indicator):", page)  # nothing left to propose
    assert "Do staff recognise trauma after a year?" in page
    # A decided proposal is no longer open.
    assert client.get(edit).status_code == 404


def test_a_practitioner_sees_but_cannot_change(world_a: World, programme: Programme) -> None:
    a, _x = _two(world_a, programme)
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    page = client.get(url("programme-detail", programme))
    assert page.status_code == 200
    assert url("element-edit", programme, element_id=a.pk).encode() not in page.content
    assert client.get(url("element-edit", programme, element_id=a.pk)).status_code == 403


def test_a_level_chosen_before_the_kind_changed_is_ignored(
    world_a: World, programme: Programme
) -> None:
    """Without scripts a radio cannot be cleared: an activity sent with a level is still saved."""
    body = {"kind": "activity", "title": "Training", "level": "sector", "horizon": "long"}
    response = lead_client(world_a).post(url("element-create", programme), body)
    assert response.status_code == 302
    assert Element.objects.values_list("kind", "level", "horizon").get() == ("activity", "", "")
