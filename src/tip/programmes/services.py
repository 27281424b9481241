"""Writes to programmes. Each runs in one transaction and records itself in the audit log.

The rules of a Theory of Change are checked here, so the pages and the API refuse the same
things with the same messages: an outcome needs a level and a horizon; a link joins two elements
of the same programme, once, never from an outcome back to an activity, and never into a loop.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.programmes import analysis
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


def _changed(obj: object, values: dict[str, object]) -> list[str]:
    return [name for name, value in values.items() if getattr(obj, name) != value]


@transaction.atomic
def programme_create(
    *, partnership: Partnership, name: str, aims: str, by: User, via: str = "web"
) -> Programme:
    programme = Programme(
        partnership=partnership, name=name.strip(), aims=aims.strip(), created_by=by
    )
    programme.full_clean()
    programme.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=programme,
        partnership=partnership,
        changed_fields=["name", "aims"],
        via=via,
    )
    return programme


# --- Elements ------------------------------------------------------------------------------------


def _check_element(kind: str, level: str, horizon: str) -> None:
    errors: dict[str, str] = {}
    if kind not in ElementKind.values:
        errors["kind"] = _("Choose activity, output or outcome")
    if kind in ElementKind.values and kind != ElementKind.OUTCOME and (level or horizon):
        errors["level" if level else "horizon"] = _(
            "Only outcomes have a level and a time frame: leave them out for an %(kind)s"
        ) % {"kind": ElementKind(kind).label.lower()}
    if kind == ElementKind.OUTCOME:
        if level not in Level.values:
            errors["level"] = _("Choose who the outcome is for")
        if horizon not in Horizon.values:
            errors["horizon"] = _("Choose when you expect the outcome")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def element_create(
    *,
    programme: Programme,
    kind: str,
    title: str,
    description: str = "",
    level: str = "",
    horizon: str = "",
    library_code: str = "",
    by: User,
    via: str = "web",
) -> Element:
    _check_element(kind, level, horizon)
    last = programme.elements.filter(kind=kind).aggregate(last=Max("position"))["last"]
    element = Element(
        partnership_id=programme.partnership_id,
        programme=programme,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        level=level,
        horizon=horizon,
        library_code=library_code,
        position=(last or 0) + 1,
    )
    element.full_clean()
    element.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=element,
        partnership=programme.partnership,
        changed_fields=["kind", "title", "description", "level", "horizon", "library_code"],
        via=via,
    )
    return element


@transaction.atomic
def element_update(*, element: Element, by: User, via: str = "web", **values: str) -> Element:
    """Change an element's title, description, level or horizon. Its kind stays as it is."""
    allowed = {"title", "description", "level", "horizon"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    for name in ("title", "description"):
        if name in values:
            values[name] = values[name].strip()
    _check_element(
        element.kind,
        values.get("level", element.level),
        values.get("horizon", element.horizon),
    )
    changed = _changed(element, dict(values))
    for name, value in values.items():
        setattr(element, name, value)
    element.full_clean()
    if changed:
        element.save()
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=element,
            partnership=element.partnership,
            changed_fields=changed,
            via=via,
        )
    return element


@transaction.atomic
def element_delete(*, element: Element, by: User, via: str = "web") -> None:
    """Remove an element, with its links, notes and indicators."""
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=element,
        partnership=element.partnership,
        via=via,
    )
    element.delete()


# --- Links ---------------------------------------------------------------------------------------


_KIND_ORDER: dict[str, int] = {
    ElementKind.ACTIVITY: 0,
    ElementKind.OUTPUT: 1,
    ElementKind.OUTCOME: 2,
}


def check_link(*, programme: Programme, source: Element | None, target: Element | None) -> None:
    """Refuse a link the Theory of Change cannot hold, naming the elements concerned."""
    if source is None or source.programme_id != programme.pk:
        raise ValidationError({"source": _("Choose an element from the list")})
    if target is None or target.programme_id != programme.pk:
        raise ValidationError({"target": _("Choose an element from the list")})
    if source.pk == target.pk:
        raise ValidationError(
            {"target": _("Choose a different element: one cannot lead to itself")}
        )
    if _KIND_ORDER[source.kind] > _KIND_ORDER[target.kind]:
        raise ValidationError(
            {
                "target": _(
                    "'%(source)s' is an %(source_kind)s and '%(target)s' is an %(target_kind)s: "
                    "links run from activities to outputs and outcomes, and from outputs to "
                    "outcomes. Link them the other way round."
                )
                % {
                    "source": source.title,
                    "target": target.title,
                    "source_kind": source.get_kind_display().lower(),
                    "target_kind": target.get_kind_display().lower(),
                }
            }
        )
    if Link.objects.filter(source=source, target=target).exists():
        raise ValidationError(
            {
                "target": _("'%(source)s' already leads to '%(target)s'")
                % {"source": source.title, "target": target.title}
            }
        )
    from tip.programmes.selectors import toc_graph  # selectors import services' callers

    graph = toc_graph(programme=programme)
    edge = analysis.Edge(source=source.pk, target=target.pk, evidence="", rationale="")
    cycle = analysis.find_cycle(
        analysis.TocGraph(
            nodes=graph.nodes, edges=[*graph.edges, edge], indicator_counts=graph.indicator_counts
        )
    )
    if cycle:
        titles = {n.id: n.title for n in graph.nodes}
        names = " → ".join(f"'{titles.get(i, i)}'" for i in [*cycle, cycle[0]])
        raise ValidationError(
            {
                "target": _(
                    "This link would make a loop: %(loop)s. A Theory of Change reads one way, "
                    "from activities to outcomes, so choose another element or remove a link "
                    "in the loop first."
                )
                % {"loop": names}
            }
        )


@transaction.atomic
def link_create(
    *,
    programme: Programme,
    source: Element | None,
    target: Element | None,
    evidence: str,
    rationale: str = "",
    evidence_source: str = "",
    by: User,
    via: str = "web",
) -> Link:
    # Lock the programme so two links made at once cannot close a loop between them.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    check_link(programme=programme, source=source, target=target)
    if evidence not in EvidenceRating.values:
        raise ValidationError({"evidence": _("Choose how strong the evidence is")})
    link = Link(
        partnership_id=programme.partnership_id,
        programme=programme,
        source=source,
        target=target,
        evidence=evidence,
        rationale=rationale.strip(),
        evidence_source=evidence_source.strip(),
    )
    link.full_clean()
    link.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=link,
        partnership=programme.partnership,
        changed_fields=["source", "target", "evidence", "rationale", "evidence_source"],
        via=via,
    )
    return link


@transaction.atomic
def link_delete(*, link: Link, by: User, via: str = "web") -> None:
    audit_change(
        actor=by, action=AuditAction.DELETE, obj=link, partnership=link.partnership, via=via
    )
    link.delete()


# --- Notes and indicators ------------------------------------------------------------------------


@transaction.atomic
def note_create(
    *,
    programme: Programme,
    kind: str,
    text: str,
    element: Element | None = None,
    link: Link | None = None,
    by: User,
    via: str = "web",
) -> Note:
    if (element is None) == (link is None):
        raise ValidationError(_("A note is about one element or one link."))
    about = element or link
    assert about is not None
    if about.programme_id != programme.pk:
        raise ValidationError(_("Choose an element or link of this programme."))
    if kind not in NoteKind.values:
        raise ValidationError({"kind": _("Choose assumption, barrier or enabler")})
    note = Note(
        partnership_id=programme.partnership_id,
        programme=programme,
        kind=kind,
        text=text.strip(),
        element=element,
        link=link,
    )
    note.full_clean()
    note.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=note,
        partnership=programme.partnership,
        changed_fields=["kind", "text", "element" if element else "link"],
        via=via,
    )
    return note


@transaction.atomic
def note_delete(*, note: Note, by: User, via: str = "web") -> None:
    audit_change(
        actor=by, action=AuditAction.DELETE, obj=note, partnership=note.partnership, via=via
    )
    note.delete()


@transaction.atomic
def indicator_create(
    *, outcome: Element, what: str, how: str, from_whom: str, when: str, by: User, via: str = "web"
) -> Indicator:
    if outcome.kind != ElementKind.OUTCOME:
        raise ValidationError(_("Only outcomes have indicators."))
    indicator = Indicator(
        partnership_id=outcome.partnership_id,
        outcome=outcome,
        what=what.strip(),
        how=how.strip(),
        from_whom=from_whom.strip(),
        when=when.strip(),
    )
    indicator.full_clean()
    indicator.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=indicator,
        partnership=outcome.partnership,
        changed_fields=["what", "how", "from_whom", "when"],
        via=via,
    )
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: User, via: str = "web") -> None:
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=indicator,
        partnership=indicator.partnership,
        via=via,
    )
    indicator.delete()


# --- Evaluation questions ------------------------------------------------------------------------


def _decide(
    *, programme: Programme, proposal_key: str, text: str, status: str, by: User, via: str
) -> EvaluationQuestion:
    if proposal_key and programme.evaluation_questions.filter(proposal_key=proposal_key).exists():
        raise ValidationError(_("Someone has already decided on this question."))
    question = EvaluationQuestion(
        partnership_id=programme.partnership_id,
        programme=programme,
        proposal_key=proposal_key,
        text=text.strip(),
        status=status,
    )
    question.full_clean()
    question.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=question,
        partnership=programme.partnership,
        changed_fields=["text", "status", "proposal_key"],
        via=via,
    )
    return question


@transaction.atomic
def question_accept(
    *, programme: Programme, proposal_key: str, text: str, by: User, via: str = "web"
) -> EvaluationQuestion:
    """Accept a proposed question, as proposed or as the person rewrote it."""
    if not text.strip():
        raise ValidationError({"text": _("Enter the question")})
    return _decide(
        programme=programme,
        proposal_key=proposal_key,
        text=text,
        status=QuestionStatus.ACCEPTED,
        by=by,
        via=via,
    )


@transaction.atomic
def question_dismiss(
    *, programme: Programme, proposal_key: str, text: str, by: User, via: str = "web"
) -> EvaluationQuestion:
    """Dismiss a proposal, remembering it so it is not proposed again."""
    return _decide(
        programme=programme,
        proposal_key=proposal_key,
        text=text or proposal_key,
        status=QuestionStatus.DISMISSED,
        by=by,
        via=via,
    )
