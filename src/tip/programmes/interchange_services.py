"""Export a programme's Theory of Change (JSON, CSV) and import one from JSON.

The JSON format and its checks live in `interchange` (pure Python). Here the database is read and
written: an export is a handful of queries whatever the programme's size, and an import creates
the programme and everything in it in one transaction, each object with its audit entry, or
nothing at all.

Organisations travel by name: an import matches each name to one of the importing partnership's
organisations (the same name, or else the one name that differs only in case or spaces at the
ends) and refuses the whole file if a name matches none. The senior responsible owner travels as
a name and a role: a member of one partnership cannot be one of another's.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Organisation, Partnership, User
from tip.programmes import interchange
from tip.programmes.models import (
    PHASE_ORDER,
    CoDesignActivity,
    DeliveryBoardMember,
    Element,
    EvaluationQuestion,
    Indicator,
    Link,
    Note,
    OrganisationLead,
    Phase,
    Programme,
)

# The CSV export: one row per element, link and indicator, told apart by the `record` column.
# Each record fills its own columns and leaves the others blank:
#   element:   ref, kind, title, description, level, horizon, outcome_code
#   link:      source, target (element refs), rationale, evidence, evidence_source
#   indicator: outcome (an element ref), what, how, from_whom, when
# Refs are those of the JSON export ("e1", "e2", ...), so rows can be joined in a spreadsheet.
CSV_COLUMNS = (
    "record",
    "ref",
    "kind",
    "title",
    "description",
    "level",
    "horizon",
    "outcome_code",
    "source",
    "target",
    "rationale",
    "evidence",
    "evidence_source",
    "outcome",
    "what",
    "how",
    "from_whom",
    "when",
)


def _key_to_refs(key: str, refs: dict[int, str], link_refs: dict[int, tuple[str, str]]) -> str:
    """A proposal's key as the file writes it: with the file's element refs, not database ids
    (``link:e1>e2``, ``indicator:e3``), so the copy knows which proposals are decided."""
    kind, _sep, ident = key.partition(":")
    if not ident.isdigit():
        return key
    if kind == "link" and int(ident) in link_refs:
        source, target = link_refs[int(ident)]
        return f"link:{source}>{target}"
    if kind == "indicator" and int(ident) in refs:
        return f"indicator:{refs[int(ident)]}"
    return ""


def _key_from_refs(
    key: str, elements: dict[str, Element], links: dict[tuple[str, str], Link]
) -> str:
    """A proposal's key from the file, with the imported records' ids; blank when a link or
    indicator key names nothing in the file (the proposal will then be made again, to be
    decided again)."""
    kind, _sep, ident = key.partition(":")
    if kind == "link" and ">" in ident:
        source, _gt, target = ident.partition(">")
        link = links.get((source, target))
        return f"link:{link.pk}" if link is not None else ""
    if kind == "indicator" and ident in elements:
        return f"indicator:{elements[ident].pk}"
    if kind in ("link", "indicator"):
        return ""
    return key  # not one of TIP's own kinds of proposal: kept as written


def programme_document(*, programme: Programme, details: bool = False) -> interchange.Document:
    """The programme as an interchange document: elements by kind (activities, outputs,
    outcomes), then in their order on the page; everything else in the order it was added.

    With `details`, also who the programme is for, its phases, governance and co-design, read
    in one more query (none if `programme` came from `programme_for_export`)."""
    partnership = programme.partnership_id
    # Activities, then outputs, then outcomes: the order a Theory of Change is read in.
    kind_order = models.Case(
        *(
            models.When(kind=kind, then=models.Value(number))
            for number, kind in enumerate(interchange.ELEMENT_KINDS)
        ),
        output_field=models.IntegerField(),
    )
    elements = list(
        Element.objects.filter(partnership=partnership, programme=programme).order_by(
            kind_order, "position", "pk"
        )
    )
    refs = {e.pk: f"e{number}" for number, e in enumerate(elements, start=1)}
    links = list(Link.objects.filter(partnership=partnership, programme=programme).order_by("pk"))
    link_refs = {link.pk: (refs[link.source_id], refs[link.target_id]) for link in links}
    notes = Note.objects.filter(partnership=partnership, programme=programme).order_by("kind", "pk")
    indicators = Indicator.objects.filter(
        partnership=partnership, outcome__programme=programme
    ).order_by("pk")
    questions = EvaluationQuestion.objects.filter(
        partnership=partnership, programme=programme
    ).order_by("pk")
    document = interchange.Document(
        name=programme.name,
        aims=programme.aims,
        elements=tuple(
            interchange.Element(
                ref=refs[e.pk],
                kind=e.kind,
                title=e.title,
                description=e.description,
                level=e.level,
                horizon=e.horizon,
                outcome_code=e.outcome_code,
            )
            for e in elements
        ),
        links=tuple(
            interchange.Link(
                source=refs[link.source_id],
                target=refs[link.target_id],
                evidence=link.evidence,
                rationale=link.rationale,
                evidence_source=link.evidence_source,
            )
            for link in links
        ),
        notes=tuple(
            interchange.Note(
                kind=n.kind,
                text=n.text,
                element=refs[n.element_id] if n.element_id is not None else None,
                link=link_refs[n.link_id] if n.link_id is not None else None,
            )
            for n in notes
        ),
        indicators=tuple(
            interchange.Indicator(
                outcome=refs[i.outcome_id],
                what=i.what,
                how=i.how,
                from_whom=i.from_whom,
                when=i.when,
            )
            for i in indicators
        ),
        evaluation_questions=tuple(
            interchange.EvaluationQuestion(
                text=q.text,
                status=q.status,
                proposal_key=_key_to_refs(q.proposal_key, refs, link_refs),
            )
            for q in questions
        ),
    )
    if details:
        document = dataclasses.replace(document, **_details(programme))
    return document


class _JSONList(models.Aggregate):
    """The rows' values as one JSON list: JSON_GROUP_ARRAY in SQLite, JSONB_AGG in PostgreSQL."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra)


def _rows(model: type[models.Model], **fields: Any) -> Subquery:
    """The programme's rows of `model` as a list of JSON objects with `fields`, in no order."""
    return Subquery(
        model._default_manager.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(rows=_JSONList(JSONObject(pk="pk", **fields)))
        .values("rows")[:1],
        output_field=models.JSONField(),
    )


def _with_details(queryset: models.QuerySet[Programme]) -> models.QuerySet[Programme]:
    """Programmes with their details read in the same query (one query whatever their number)."""
    return queryset.select_related("partnership", "sro_member__user", "readiness_answers").annotate(
        export_phases=_rows(Phase, kind="kind", starts_on="starts_on", ends_on="ends_on"),
        export_board=_rows(
            DeliveryBoardMember, name="name", role="role", organisation="organisation__name"
        ),
        export_leads=_rows(
            OrganisationLead, organisation="organisation__name", name="name", role="role"
        ),
        export_codesign=_rows(
            CoDesignActivity,
            who_took_part="who_took_part",
            who_else="who_else",
            how="how",
            held_on="held_on",
            what_changed="what_changed",
        ),
    )


def programme_for_export(*, partnership: Partnership, programme_id: int) -> Programme:
    """The partnership's programme (404 for any other) with its details, in one query."""
    programme: Programme = get_object_or_404(
        _with_details(Programme.objects.for_partnership(partnership)), pk=programme_id
    )
    return programme


def _listed(value: Any) -> list[Any]:
    """A JSON list as the database gives it: PostgreSQL has none for no rows, and SQLite gives
    a JSON field within an object as text."""
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return list(value)


def _details(programme: Programme) -> dict[str, Any]:
    """The Document fields of the programme's details, in a fixed order: phases as they run,
    board members by name, leads by organisation, co-design activities by date (ties in the
    order they were added)."""
    row = programme
    if not hasattr(row, "export_phases"):
        row = _with_details(Programme.objects.filter(pk=programme.pk)).get()
    attrs = cast(Any, row)
    phase_order = {kind: number for number, kind in enumerate(PHASE_ORDER)}
    phases = sorted(_listed(attrs.export_phases), key=lambda ph: phase_order[ph["kind"]])
    board = sorted(_listed(attrs.export_board), key=lambda m: (m["name"], m["pk"]))
    leads = sorted(_listed(attrs.export_leads), key=lambda lead: (lead["organisation"], lead["pk"]))
    codesign = sorted(_listed(attrs.export_codesign), key=lambda a: (str(a["held_on"]), a["pk"]))
    # The senior responsible owner as the pages show them: the member's name if one is chosen.
    member = row.sro_member
    stored = getattr(row, "readiness_answers", None)
    answers = stored.answers if stored is not None else {}
    return {
        "target_sectors": tuple(row.target_sectors),
        "target_groups": tuple(row.target_groups),
        "phases": tuple(
            interchange.Phase(
                kind=ph["kind"],
                starts_on=date.fromisoformat(str(ph["starts_on"])),
                ends_on=date.fromisoformat(str(ph["ends_on"])),
            )
            for ph in phases
        ),
        "sro_name": str(member.user.full_name) if member is not None else row.sro_name,
        "sro_role": row.sro_role,
        "delivery_board": tuple(
            interchange.BoardMember(
                name=m["name"], role=m["role"], organisation=m["organisation"] or ""
            )
            for m in board
        ),
        "organisation_leads": tuple(
            interchange.OrganisationLead(
                organisation=lead["organisation"], name=lead["name"], role=lead["role"]
            )
            for lead in leads
        ),
        "codesign_activities": tuple(
            interchange.CoDesignActivity(
                who_took_part=tuple(_listed(a["who_took_part"])),
                how=a["how"],
                held_on=date.fromisoformat(str(a["held_on"])),
                what_changed=a["what_changed"],
                who_else=a["who_else"],
            )
            for a in codesign
        ),
        "readiness_answers": tuple(
            interchange.ReadinessAnswer(
                question=question,
                answer=given.get("answer"),
                details=str(given.get("details", "")),
            )
            for question, given in sorted(answers.items())
            if isinstance(given, dict)
        ),
    }


def programme_export(*, programme: Programme) -> dict[str, Any]:
    """The programme in the JSON interchange format, details and all; `programme_import` reads
    it back."""
    return programme_document(programme=programme, details=True).to_dict()


def csv_safe(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def programme_export_csv(*, programme: Programme) -> bytes:
    """Elements, links and indicators as one CSV (columns: CSV_COLUMNS), in UTF-8 with a byte
    order mark so spreadsheets read Welsh and other non-ASCII text correctly."""
    document = programme_document(programme=programme)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    rows: list[dict[str, str]] = []
    for e in document.elements:
        rows.append(
            {
                "record": "element",
                "ref": e.ref,
                "kind": e.kind,
                "title": e.title,
                "description": e.description,
                "level": e.level,
                "horizon": e.horizon,
                "outcome_code": e.outcome_code,
            }
        )
    for link in document.links:
        rows.append(
            {
                "record": "link",
                "source": link.source,
                "target": link.target,
                "rationale": link.rationale,
                "evidence": link.evidence,
                "evidence_source": link.evidence_source,
            }
        )
    for i in document.indicators:
        rows.append(
            {
                "record": "indicator",
                "outcome": i.outcome,
                "what": i.what,
                "how": i.how,
                "from_whom": i.from_whom,
                "when": i.when,
            }
        )
    for row in rows:
        writer.writerow({key: csv_safe(value) for key, value in row.items()})
    return out.getvalue().encode("utf-8-sig")


def name_taken(*, partnership: Partnership, name: str) -> bool:
    return Programme.objects.for_partnership(partnership).filter(name__iexact=name.strip()).exists()


def match_organisations(
    *, partnership: Partnership, document: interchange.Document
) -> tuple[dict[str, Organisation], list[str]]:
    """The partnership's organisation for each organisation name in the document, and a message
    for each name that matches none, naming it and where the file uses it."""
    used: dict[str, list[str]] = {}
    for number, member in enumerate(document.delivery_board, start=1):
        if member.organisation.strip():
            where = interchange.item_name("delivery_board", number).translated(_)
            used.setdefault(member.organisation, []).append(where)
    for number, lead in enumerate(document.organisation_leads, start=1):
        where = interchange.item_name("organisation_leads", number).translated(_)
        used.setdefault(lead.organisation, []).append(where)
    if not used:
        return {}, []
    organisations = list(Organisation.objects.for_partnership(partnership))
    exact = {o.name: o for o in organisations}
    loose: dict[str, list[Organisation]] = {}
    for o in organisations:
        loose.setdefault(interchange.organisation_key(o.name), []).append(o)
    found: dict[str, Organisation] = {}
    problems: list[str] = []
    for name, places in used.items():
        candidates = loose.get(interchange.organisation_key(name), [])
        match = exact.get(name) or (candidates[0] if len(candidates) == 1 else None)
        if match is not None:
            found[name] = match
        else:
            problems.append(
                _(
                    "The file names the organisation “%(name)s” (%(places)s), but this "
                    "partnership has no organisation called that. Add the organisation to the "
                    "partnership, or change the name in the file to one of its organisations."
                )
                % {"name": name, "places": ", ".join(places)}
            )
    return found, problems


def _checked(obj: models.Model, what: str) -> None:
    """Check an object's own fields (lengths, choices) before saving. The file was checked
    against the format already; this keeps the database's rules in charge all the same."""
    relations = {f.name for f in obj._meta.fields if f.is_relation}
    try:
        obj.clean_fields(exclude=relations)
    except ValidationError as exc:
        details = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in exc.message_dict.items())
        raise ValidationError(
            _("%(what)s could not be imported: %(details)s") % {"what": what, "details": details}
        ) from exc


@transaction.atomic
def programme_import(
    *,
    partnership: Partnership,
    document: interchange.Document,
    by: User,
    name: str | None = None,
    via: str = "web",
) -> Programme:
    """Create a programme from an interchange document: all of it, or (on any error) nothing.

    `name` replaces the document's programme name, e.g. to import a copy next to the original.
    Each object created has its own audit entry.
    """
    name = (name or document.name).strip()
    if name_taken(partnership=partnership, name=name):
        raise ValidationError(
            _(
                "There is already a programme called “%(name)s”. Choose a different name for "
                "the imported programme."
            )
            % {"name": name}
        )
    organisations, problems = match_organisations(partnership=partnership, document=document)
    if problems:
        raise ValidationError(problems)

    def record(obj: models.Model, fields: list[str]) -> None:
        audit_change(
            actor=by,
            action=AuditAction.CREATE,
            obj=obj,
            partnership=partnership,
            changed_fields=fields,
            via=via,
        )

    programme = Programme(
        partnership=partnership,
        name=name,
        aims=document.aims.strip(),
        target_sectors=list(document.target_sectors),
        target_groups=list(document.target_groups),
        sro_name=document.sro_name,
        sro_role=document.sro_role,
        created_by=by,
    )
    programme.full_clean()
    programme.save()
    record(programme, ["name", "aims", "target_sectors", "target_groups", "sro_name", "sro_role"])

    elements: dict[str, Element] = {}
    positions: dict[str, int] = {}
    for el in document.elements:
        position = positions.get(el.kind, 0)
        positions[el.kind] = position + 1
        element = Element(
            partnership=partnership,
            programme=programme,
            kind=el.kind,
            title=el.title,
            description=el.description,
            level=el.level,
            horizon=el.horizon,
            outcome_code=el.outcome_code,
            position=position,
        )
        _checked(element, _("Element %(ref)s “%(title)s”") % {"ref": el.ref, "title": el.title})
        element.save()
        record(element, ["kind", "title", "description", "level", "horizon", "outcome_code"])
        elements[el.ref] = element

    links: dict[tuple[str, str], Link] = {}
    for ln in document.links:
        link = Link(
            partnership=partnership,
            programme=programme,
            source=elements[ln.source],
            target=elements[ln.target],
            rationale=ln.rationale,
            evidence=ln.evidence,
            evidence_source=ln.evidence_source,
        )
        _checked(
            link,
            _("The link from %(source)s to %(target)s")
            % {"source": ln.source, "target": ln.target},
        )
        link.save()
        record(link, ["source", "target", "rationale", "evidence", "evidence_source"])
        links[ln.source, ln.target] = link

    for number, nt in enumerate(document.notes, start=1):
        note = Note(
            partnership=partnership,
            programme=programme,
            kind=nt.kind,
            text=nt.text,
            element=elements[nt.element] if nt.element is not None else None,
            link=links[nt.link] if nt.link is not None else None,
        )
        _checked(note, _("Note %(number)s") % {"number": number})
        note.save()
        record(note, ["kind", "text", "element" if nt.element is not None else "link"])

    for number, ind in enumerate(document.indicators, start=1):
        indicator = Indicator(
            partnership=partnership,
            outcome=elements[ind.outcome],
            what=ind.what,
            how=ind.how,
            from_whom=ind.from_whom,
            when=ind.when,
        )
        _checked(indicator, _("Indicator %(number)s") % {"number": number})
        indicator.save()
        record(indicator, ["outcome", "what", "how", "from_whom", "when"])

    for number, qn in enumerate(document.evaluation_questions, start=1):
        question = EvaluationQuestion(
            partnership=partnership,
            programme=programme,
            text=qn.text,
            status=qn.status,
            proposal_key=_key_from_refs(qn.proposal_key, elements, links),
        )
        _checked(question, _("Evaluation question %(number)s") % {"number": number})
        question.save()
        record(question, ["text", "status", "proposal_key"])

    _import_details(
        programme=programme, document=document, organisations=organisations, record=record
    )
    if document.readiness_answers:
        from tip.programmes.services_readiness import readiness_answers_set

        readiness_answers_set(
            programme=programme,
            answers={
                a.question: {"answer": a.answer, "details": a.details}
                for a in document.readiness_answers
            },
            by=by,
            via=via,
        )
    return programme


def _import_details(
    *,
    programme: Programme,
    document: interchange.Document,
    organisations: dict[str, Organisation],
    record: Callable[[models.Model, list[str]], None],
) -> None:
    """Phases, the delivery board, organisation leads and co-design activities."""
    partnership = programme.partnership_id

    for number, ph in enumerate(document.phases, start=1):
        phase = Phase(
            partnership_id=partnership,
            programme=programme,
            kind=ph.kind,
            starts_on=ph.starts_on,
            ends_on=ph.ends_on,
        )
        _checked(phase, _("Phase %(number)s") % {"number": number})
        phase.save()
        record(phase, ["kind", "starts_on", "ends_on"])

    for number, bm in enumerate(document.delivery_board, start=1):
        member = DeliveryBoardMember(
            partnership_id=partnership,
            programme=programme,
            name=bm.name,
            role=bm.role,
            organisation=organisations[bm.organisation] if bm.organisation.strip() else None,
        )
        _checked(member, _("Delivery board member %(number)s") % {"number": number})
        member.save()
        record(member, ["name", "role", "organisation"])

    for number, ld in enumerate(document.organisation_leads, start=1):
        lead = OrganisationLead(
            partnership_id=partnership,
            programme=programme,
            organisation=organisations[ld.organisation],
            name=ld.name,
            role=ld.role,
        )
        _checked(lead, _("Organisation lead %(number)s") % {"number": number})
        lead.save()
        record(lead, ["organisation", "name", "role"])

    for number, act in enumerate(document.codesign_activities, start=1):
        activity = CoDesignActivity(
            partnership_id=partnership,
            programme=programme,
            who_took_part=list(act.who_took_part),
            who_else=act.who_else,
            how=act.how,
            held_on=act.held_on,
            what_changed=act.what_changed,
        )
        _checked(activity, _("Co-design activity %(number)s") % {"number": number})
        activity.save()
        record(activity, ["who_took_part", "who_else", "how", "held_on", "what_changed"])
