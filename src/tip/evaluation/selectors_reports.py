"""What an evaluation report is about, found from a kind and an id within one partnership: the
report pages and the JSON API both need it, and both must refuse another partnership's ids in
the same way (404, as for an id that does not exist)."""

from __future__ import annotations

from django.db.models import Model
from django.shortcuts import get_object_or_404

from tip.core.models import Partnership
from tip.evaluation.analysis_data import SCOPE_KINDS, Scope
from tip.programmes.selectors import programme_get
from tip.training.models_courses import Course
from tip.training.models_sessions import Session

__all__ = ["report_subject"]


def report_subject(
    *, partnership: Partnership, kind: str, pk: int | None = None
) -> tuple[Scope, Model, str]:
    """The scope of a report on the partnership's programme, course or session ``pk`` (or on
    the whole partnership, ``kind`` "partnership", without ``pk``), the record it is about (for
    the audit log) and its name. Raises Http404 for an id that is not the partnership's."""
    if kind not in SCOPE_KINDS:
        raise ValueError(f"A report covers one of {', '.join(SCOPE_KINDS)}, not {kind!r}.")
    if kind == "partnership":
        return Scope("partnership", partnership.pk, partnership.pk), partnership, partnership.name
    if pk is None:
        raise ValueError(f"A report on a {kind} needs its id.")
    if kind == "programme":
        programme = programme_get(partnership=partnership, programme_id=pk)
        return Scope("programme", partnership.pk, programme.pk), programme, programme.name
    if kind == "course":
        course = get_object_or_404(Course.objects.for_partnership(partnership), pk=pk)
        return Scope("course", partnership.pk, course.pk), course, course.name
    session = get_object_or_404(
        Session.objects.for_partnership(partnership).select_related("course"), pk=pk
    )
    return Scope("session", partnership.pk, session.pk), session, str(session)
