"""Export a programme's Theory of Change (JSON, CSV) and import one from JSON.

The JSON format and its checks live in `interchange` (pure Python). Here the database is read and
written: an export is a handful of queries whatever the programme's size, and an import creates
the programme and everything in it in one transaction, each object with its audit entry, or
nothing at all.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.programmes import interchange
from tip.programmes.models import (
    Element,
    EvaluationQuestion,
    Indicator,
    Link,
    Note,
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


def programme_document(*, programme: Programme) -> interchange.Document:
    """The programme as an interchange document: elements by kind (activities, outputs,
    outcomes), then in their order on the page; everything else in the order it was added."""
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
    return interchange.Document(
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
                text=q.text, status=q.status, proposal_key=q.proposal_key
            )
            for q in questions
        ),
    )


def programme_export(*, programme: Programme) -> dict[str, Any]:
    """The programme in the JSON interchange format; `programme_import` reads it back."""
    return programme_document(programme=programme).to_dict()


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
        partnership=partnership, name=name, aims=document.aims.strip(), created_by=by
    )
    programme.full_clean()
    programme.save()
    record(programme, ["name", "aims"])

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
            proposal_key=qn.proposal_key,
        )
        _checked(question, _("Evaluation question %(number)s") % {"number": number})
        question.save()
        record(question, ["text", "status", "proposal_key"])

    return programme
