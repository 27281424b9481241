"""Download a programme's Theory of Change as a PDF, its diagram as a PNG, or a spreadsheet.

They need the same capability as the JSON export. Unlike the JSON file, they name no one (not
the senior responsible owner, the board or the organisations' leads), so, as the JSON export
when it names no one, they write no audit entry.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from tip.core.models import Partnership
from tip.core.tenancy import TipRequest, requires
from tip.programmes import exports, selectors
from tip.programmes.models import Programme
from tip.programmes.roles import VIEW_PROGRAMMES
from tip.programmes.views import diagram_labels

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme(request: HttpRequest, programme_id: int) -> tuple[Partnership, Programme]:
    partnership = cast(TipRequest, request).partnership
    assert partnership is not None
    return partnership, selectors.programme_get(partnership=partnership, programme_id=programme_id)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(VIEW_PROGRAMMES)
@require_GET
def programme_export_pdf(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, programme = _programme(request, programme_id)
    content = exports.programme_pdf(
        programme=programme, diagram_labels=diagram_labels(), partnership_name=partnership.name
    )
    return _download(content, "application/pdf", exports.filename(programme.name, "pdf"))


@requires(VIEW_PROGRAMMES)
@require_GET
def programme_export_png(request: HttpRequest, programme_id: int) -> HttpResponse:
    _partnership, programme = _programme(request, programme_id)
    content = exports.programme_png(programme=programme, diagram_labels=diagram_labels())
    name = exports.filename(programme.name, "png", suffix="theory-of-change-diagram")
    return _download(content, "image/png", name)


@requires(VIEW_PROGRAMMES)
@require_GET
def programme_export_xlsx(request: HttpRequest, programme_id: int) -> HttpResponse:
    _partnership, programme = _programme(request, programme_id)
    content = exports.programme_xlsx(programme=programme)
    return _download(content, XLSX_TYPE, exports.filename(programme.name, "xlsx"))
