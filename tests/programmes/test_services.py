"""The Theory of Change services: what they refuse, that nothing is half-saved, and the audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.programmes import analysis, selectors, services
from tip.programmes.models import Element, EvaluationQuestion, Link, Programme
from tip.programmes.outcome_library import load_outcomes


def _chain(programme: Programme, by: object) -> tuple[Element, Element, Element]:
    a = services.element_create(programme=programme, kind="activity", title="Training", by=by)
    o = services.element_create(programme=programme, kind="output", title="Staff trained", by=by)
    x = services.element_create(
        programme=programme,
        kind="outcome",
        title="Staff recognise trauma",
        level="practitioners",
        horizon="short",
        by=by,
    )
    services.link_create(programme=programme, source=a, target=o, evidence="strong", by=by)
    services.link_create(programme=programme, source=o, target=x, evidence="emerging", by=by)
    return a, o, x


def test_a_small_theory_of_change_from_the_library(world_a: World, programme: Programme) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    library = {o.code: o for o in load_outcomes()}
    chosen = [o for o in library.values() if o.level == "practitioners"][:2]
    activity = services.element_create(
        programme=programme, kind="activity", title="Training", by=lead
    )
    outcomes = [
        services.element_create(
            programme=programme,
            kind="outcome",
            title=o.title("en"),
            level=o.level,
            horizon=o.horizon,
            outcome_code=o.code,
            by=lead,
        )
        for o in chosen
    ]
    services.link_create(
        programme=programme, source=activity, target=outcomes[0], evidence="moderate", by=lead
    )
    graph = selectors.toc_graph(programme=programme)
    assert [n.title for n in graph.nodes] == ["Training", *(o.title("en") for o in chosen)]
    assert len(graph.edges) == 1
    assert analysis.validate(graph) == []
    entries = AuditEntry.objects.filter(partnership=world_a.partnership, actor=lead)
    assert entries.filter(action=AuditAction.CREATE, object_type="programmes.Link").count() == 1
    assert entries.filter(object_type="programmes.Element").count() == 3


def test_a_loop_is_refused_naming_the_elements(world_a: World, programme: Programme) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    _a, _o, x = _chain(programme, lead)
    y = services.element_create(
        programme=programme,
        kind="outcome",
        title="Pupils feel safe",
        level="beneficiaries",
        horizon="medium",
        by=lead,
    )
    z = services.element_create(
        programme=programme,
        kind="outcome",
        title="Fewer exclusions",
        level="sector",
        horizon="long",
        by=lead,
    )
    services.link_create(programme=programme, source=x, target=y, evidence="none", by=lead)
    services.link_create(programme=programme, source=y, target=z, evidence="none", by=lead)
    before = (Link.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.link_create(programme=programme, source=z, target=x, evidence="none", by=lead)
    message = caught.value.message_dict["target"][0]
    for title in ("Staff recognise trauma", "Pupils feel safe", "Fewer exclusions"):
        assert title in message
    assert "loop" in message
    assert (Link.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("source", "target", "field", "words"),
    [
        ("outcome", "activity", "target", "other way round"),
        ("output", "output", "target", "itself"),
        ("activity", "output", "target", "already leads"),
    ],
)
def test_bad_links_are_refused(
    world_a: World, programme: Programme, source: str, target: str, field: str, words: str
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    a, o, x = _chain(programme, lead)
    ends = {"activity": a, "output": o, "outcome": x}
    count = Link.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.link_create(
            programme=programme,
            source=ends[source],
            target=ends[target],
            evidence="none",
            by=lead,
        )
    assert words in caught.value.message_dict[field][0]
    assert Link.objects.count() == count


def test_an_element_of_another_programme_is_refused(
    world_a: World, programme: Programme, other_programme: Programme, world_b: World
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    a, _o, _x = _chain(programme, lead)
    foreign = services.element_create(
        programme=other_programme, kind="output", title="B's", by=world_b.user(Role.PROGRAMME_LEAD)
    )
    with pytest.raises(ValidationError) as caught:
        services.link_create(
            programme=programme, source=a, target=foreign, evidence="none", by=lead
        )
    assert caught.value.message_dict["target"] == ["Choose an element from the list"]


def test_an_outcome_needs_a_level_and_a_horizon(world_a: World, programme: Programme) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    with pytest.raises(ValidationError) as caught:
        services.element_create(programme=programme, kind="outcome", title="Safer", by=lead)
    assert set(caught.value.message_dict) == {"level", "horizon"}
    assert not Element.objects.exists()
    assert not AuditEntry.objects.filter(object_type="programmes.Element").exists()


def test_update_delete_notes_and_indicators_are_audited(
    world_a: World, programme: Programme
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    a, _o, x = _chain(programme, lead)
    services.element_update(element=x, title="Staff notice trauma", horizon="medium", by=lead)
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert entry.changed_fields == ["horizon", "title"]
    with pytest.raises(ValidationError):
        services.element_update(element=x, level="", by=lead)
    note = services.note_create(
        programme=programme, kind="barrier", text="Cover", element=a, by=lead
    )
    indicator = services.indicator_create(
        outcome=x, what="Confidence", how="Survey", from_whom="Staff", when="Termly", by=lead
    )
    with pytest.raises(ValidationError):
        services.indicator_create(outcome=a, what="w", how="h", from_whom="f", when="w", by=lead)
    services.note_delete(note=note, by=lead)
    services.indicator_delete(indicator=indicator, by=lead)
    a_id = a.pk
    services.element_delete(element=a, by=lead)
    deleted = AuditEntry.objects.filter(action=AuditAction.DELETE).values_list(
        "object_type", flat=True
    )
    assert set(deleted) == {"programmes.Note", "programmes.Indicator", "programmes.Element"}
    assert not Link.objects.filter(source_id=a_id).exists()


def test_questions_are_proposed_accepted_and_dismissed(
    world_a: World, programme: Programme
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    _a, _o, x = _chain(programme, lead)
    proposals = selectors.open_proposals(programme=programme)
    keys = [p.key for p in proposals]
    weak = Link.objects.get(evidence="emerging")
    assert keys == [f"link:{weak.pk}", f"indicator:{x.pk}"]
    services.question_accept(
        programme=programme, proposal_key=keys[0], text="Does training work?", by=lead
    )
    services.question_dismiss(
        programme=programme, proposal_key=keys[1], text=proposals[1].text, by=lead
    )
    assert selectors.open_proposals(programme=programme) == []
    assert [q.text for q in selectors.question_list(programme=programme)] == ["Does training work?"]
    with pytest.raises(ValidationError):
        services.question_dismiss(programme=programme, proposal_key=keys[0], text="", by=lead)
    assert EvaluationQuestion.objects.count() == 2
