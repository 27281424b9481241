"""Writes to programmes. Each runs in one transaction and records itself in the audit log.

The rules of a Theory of Change are checked here, so the pages and the API refuse the same
things with the same messages: an outcome needs a level and a horizon; a link joins two elements
of the same programme, once, never from an outcome back to an activity, and never into a loop.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Membership, Organisation, Partnership, Sector, User
from tip.programmes import analysis
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
    outcome_code: str = "",
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
        outcome_code=outcome_code,
        position=(last or 0) + 1,
    )
    element.full_clean()
    element.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=element,
        partnership=programme.partnership,
        changed_fields=["kind", "title", "description", "level", "horizon", "outcome_code"],
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


# --- About the programme: who it is for, its phases, governance and co-design --------------------


def _check_choices(values: list[str], allowed: list[str], field: str, message: str) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError({field: message})
    return [v for v in allowed if v in values]  # in the list's order, once each


def _check_organisation(programme: Programme, organisation: Organisation | None) -> None:
    if organisation is not None and organisation.partnership_id != programme.partnership_id:
        raise ValidationError(
            {"organisation": _("Choose an organisation from this partnership's list")}
        )


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    name: str,
    aims: str,
    target_sectors: list[str],
    target_groups: list[str],
    by: User,
    via: str = "web",
) -> Programme:
    """Change the programme's name, aims and who it is for."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the programme's name")})
    taken = (
        Programme.objects.filter(partnership_id=programme.partnership_id, name__iexact=name)
        .exclude(pk=programme.pk)
        .exists()
    )
    if taken:
        raise ValidationError({"name": _("A programme with this name already exists")})
    values: dict[str, object] = {
        "name": name,
        "aims": aims.strip(),
        "target_sectors": _check_choices(
            target_sectors, list(Sector.values), "target_sectors", _("Choose sectors from the list")
        ),
        "target_groups": _check_choices(
            target_groups,
            list(WorkforceGroup.values),
            "target_groups",
            _("Choose groups of staff from the list"),
        ),
    }
    changed = _changed(programme, values)
    for key, value in values.items():
        setattr(programme, key, value)
    programme.full_clean()
    if changed:
        programme.save()
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=programme,
            partnership=programme.partnership,
            changed_fields=changed,
            via=via,
        )
    return programme


def check_phases(dates: dict[str, tuple[date | None, date | None]]) -> None:
    """Each phase ends on or after its start, and learn, implement and review run in order.
    A phase is either left out (no dates) or has both dates."""
    errors: dict[str, str] = {}
    for kind in PHASE_ORDER:
        starts, ends = dates.get(kind, (None, None))
        label = PhaseKind(kind).label
        if (starts is None) != (ends is None):
            missing = "ends_on" if ends is None else "starts_on"
            errors[f"{kind}_{missing}"] = (
                _("Enter the date the %(phase)s phase ends")
                if ends is None
                else _("Enter the date the %(phase)s phase starts")
            ) % {"phase": str(label).lower()}
        elif starts is not None and ends is not None and ends < starts:
            errors[f"{kind}_ends_on"] = _(
                "The %(phase)s phase must end on or after the day it starts"
            ) % {"phase": str(label).lower()}
    if errors:
        raise ValidationError(errors)
    previous: tuple[str, date] | None = None
    for kind in PHASE_ORDER:
        starts, ends = dates.get(kind, (None, None))
        if starts is None or ends is None:
            continue
        if previous is not None and starts < previous[1]:
            raise ValidationError(
                {
                    f"{kind}_starts_on": _(
                        "The %(phase)s phase must start on or after the day the %(before)s "
                        "phase ends"
                    )
                    % {
                        "phase": str(PhaseKind(kind).label).lower(),
                        "before": str(PhaseKind(previous[0]).label).lower(),
                    }
                }
            )
        previous = (kind, ends)


@transaction.atomic
def phases_set(
    *,
    programme: Programme,
    dates: dict[str, tuple[date | None, date | None]],
    by: User,
    via: str = "web",
) -> list[Phase]:
    """Set the dates of the learn, implement and review phases; a phase with no dates is
    removed. Nothing is saved if any date is out of order."""
    unknown = set(dates) - set(PhaseKind.values)
    if unknown:
        raise ValidationError(_("Unknown phases: %(phases)s") % {"phases": ", ".join(unknown)})
    check_phases(dates)
    existing = {p.kind: p for p in Phase.objects.filter(programme=programme)}
    kept: list[Phase] = []
    for kind in PHASE_ORDER:
        starts, ends = dates.get(kind, (None, None))
        phase = existing.get(kind)
        if starts is None or ends is None:
            if phase is not None:
                audit_change(
                    actor=by,
                    action=AuditAction.DELETE,
                    obj=phase,
                    partnership=programme.partnership,
                    via=via,
                )
                phase.delete()
            continue
        if phase is None:
            phase = Phase(
                partnership_id=programme.partnership_id,
                programme=programme,
                kind=kind,
                starts_on=starts,
                ends_on=ends,
            )
            phase.full_clean()
            phase.save()
            audit_change(
                actor=by,
                action=AuditAction.CREATE,
                obj=phase,
                partnership=programme.partnership,
                changed_fields=["kind", "starts_on", "ends_on"],
                via=via,
            )
        else:
            changed = _changed(phase, {"starts_on": starts, "ends_on": ends})
            if changed:
                phase.starts_on, phase.ends_on = starts, ends
                phase.full_clean()
                phase.save()
                audit_change(
                    actor=by,
                    action=AuditAction.UPDATE,
                    obj=phase,
                    partnership=programme.partnership,
                    changed_fields=changed,
                    via=via,
                )
        kept.append(phase)
    return kept


@transaction.atomic
def sro_set(
    *,
    programme: Programme,
    sro_name: str,
    sro_role: str,
    sro_member: Membership | None = None,
    by: User,
    via: str = "web",
) -> Programme:
    """Name the senior responsible owner: a member of the partnership, or a name and role."""
    if sro_member is not None and sro_member.partnership_id != programme.partnership_id:
        raise ValidationError({"sro_member": _("Choose a person from this partnership's list")})
    values: dict[str, object] = {
        "sro_member": sro_member,
        "sro_name": sro_name.strip(),
        "sro_role": sro_role.strip(),
    }
    changed = _changed(programme, values)
    for key, value in values.items():
        setattr(programme, key, value)
    programme.full_clean()
    if changed:
        programme.save()
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=programme,
            partnership=programme.partnership,
            changed_fields=changed,
            via=via,
        )
    return programme


@transaction.atomic
def board_member_create(
    *,
    programme: Programme,
    name: str,
    role: str = "",
    organisation: Organisation | None = None,
    by: User,
    via: str = "web",
) -> DeliveryBoardMember:
    _check_organisation(programme, organisation)
    member = DeliveryBoardMember(
        partnership_id=programme.partnership_id,
        programme=programme,
        name=name.strip(),
        role=role.strip(),
        organisation=organisation,
    )
    member.full_clean()
    member.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=member,
        partnership=programme.partnership,
        changed_fields=["name", "role", "organisation"],
        via=via,
    )
    return member


@transaction.atomic
def board_member_delete(*, member: DeliveryBoardMember, by: User, via: str = "web") -> None:
    audit_change(
        actor=by, action=AuditAction.DELETE, obj=member, partnership=member.partnership, via=via
    )
    member.delete()


@transaction.atomic
def organisation_lead_set(
    *,
    programme: Programme,
    organisation: Organisation | None,
    name: str,
    role: str = "",
    by: User,
    via: str = "web",
) -> OrganisationLead:
    """Name the programme's lead in one organisation, replacing any lead named before."""
    if organisation is None:
        raise ValidationError({"organisation": _("Choose an organisation")})
    _check_organisation(programme, organisation)
    lead = OrganisationLead.objects.filter(programme=programme, organisation=organisation).first()
    action = AuditAction.UPDATE if lead else AuditAction.CREATE
    if lead is None:
        lead = OrganisationLead(
            partnership_id=programme.partnership_id, programme=programme, organisation=organisation
        )
    values: dict[str, object] = {"name": name.strip(), "role": role.strip()}
    changed = ["organisation", *values] if action == AuditAction.CREATE else _changed(lead, values)
    for key, value in values.items():
        setattr(lead, key, value)
    lead.full_clean()
    if changed:
        lead.save()
        audit_change(
            actor=by,
            action=action,
            obj=lead,
            partnership=programme.partnership,
            changed_fields=changed,
            via=via,
        )
    return lead


@transaction.atomic
def organisation_lead_delete(*, lead: OrganisationLead, by: User, via: str = "web") -> None:
    audit_change(
        actor=by, action=AuditAction.DELETE, obj=lead, partnership=lead.partnership, via=via
    )
    lead.delete()


@transaction.atomic
def codesign_create(
    *,
    programme: Programme,
    who_took_part: list[str],
    how: str,
    held_on: date | None,
    what_changed: str,
    who_else: str = "",
    by: User,
    via: str = "web",
) -> CoDesignActivity:
    """Record a co-design activity: who took part, how, when, and what changed because of it."""
    errors: dict[str, str] = {}
    if not who_took_part:
        errors["who_took_part"] = _("Choose who took part")
    elif any(v not in Participant.values for v in who_took_part):
        errors["who_took_part"] = _("Choose who took part from the list")
    if Participant.OTHER in who_took_part and not who_else.strip():
        errors["who_else"] = _("Say who else took part")
    if not how.strip():
        errors["how"] = _("Describe how people took part")
    if held_on is None:
        errors["held_on"] = _("Enter the date it took place")
    if not what_changed.strip():
        errors["what_changed"] = _("Describe what changed because of it")
    if errors or held_on is None:
        raise ValidationError(errors)
    activity = CoDesignActivity(
        partnership_id=programme.partnership_id,
        programme=programme,
        who_took_part=[v for v in Participant.values if v in who_took_part],
        who_else=who_else.strip(),
        how=how.strip(),
        held_on=held_on,
        what_changed=what_changed.strip(),
    )
    activity.full_clean()
    activity.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=activity,
        partnership=programme.partnership,
        changed_fields=["who_took_part", "who_else", "how", "held_on", "what_changed"],
        via=via,
    )
    return activity


@transaction.atomic
def codesign_delete(*, activity: CoDesignActivity, by: User, via: str = "web") -> None:
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=activity,
        partnership=activity.partnership,
        via=via,
    )
    activity.delete()
