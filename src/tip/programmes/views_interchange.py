"""Download a programme's Theory of Change (JSON or CSV), and import one from a JSON file."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.models import AuditAction, Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.programmes import interchange, interchange_services, selectors
from tip.programmes.roles import MANAGE_PROGRAMMES, VIEW_PROGRAMMES

MAX_IMPORT_BYTES = 2 * 1024 * 1024
# Why a JSON export with people's names in it is in the audit log (stored in English).
EXPORT_PURPOSE = gettext_noop(
    "Programme export: the names of its senior responsible owner, board and organisation leads"
)


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _problem_text(problem: str) -> str:
    """A problem in the reader's language."""
    if isinstance(problem, interchange.Problem):
        return problem.translated(_)
    return problem


class ProgrammeImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Upload a Theory of Change file"),
        help_text=gettext_lazy("A JSON file exported from TIP, smaller than 2 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        error_messages={
            "required": gettext_lazy("Select a Theory of Change file"),
            "empty": gettext_lazy("The selected file is empty"),
            "invalid": gettext_lazy("The selected file could not be read. Try uploading it again"),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Name for the imported programme (optional)"),
        help_text=gettext_lazy("Leave this blank to use the name in the file"),
        max_length=200,
        required=False,
        error_messages={"max_length": gettext_lazy("The name must be 200 characters or fewer")},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.partnership = partnership
        self.document: interchange.Document | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The selected file must be smaller than 2 MB"))
        try:
            self.document = interchange.parse(upload.read())
        except interchange.InterchangeError as exc:
            raise forms.ValidationError([_problem_text(p) for p in exc.problems]) from None
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.document is not None:
            name = (cleaned.get("name") or self.document.name).strip()
            if interchange_services.name_taken(partnership=self.partnership, name=name):
                self.add_error(
                    "name",
                    _(
                        "There is already a programme called “%(name)s”. Enter a different name "
                        "for the imported programme"
                    )
                    % {"name": name},
                )
            _found, problems = interchange_services.match_organisations(
                partnership=self.partnership, document=self.document
            )
            for problem in problems:
                self.add_error("file", problem)
        return cleaned


@requires(MANAGE_PROGRAMMES)
def programme_import(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    posted = request.method == "POST"
    form = ProgrammeImportForm(
        request.POST if posted else None, request.FILES if posted else None, partnership=partnership
    )
    if posted and form.is_valid():
        assert form.document is not None
        try:
            programme = interchange_services.programme_import(
                partnership=partnership,
                document=form.document,
                by=user,
                name=form.cleaned_data.get("name") or None,
            )
        except ValidationError as exc:
            # What changed since the form was checked (a programme of the same name created
            # meanwhile), or what only the database refuses. Nothing was imported.
            form.add_error("file", exc.messages)
        else:
            messages.success(request, _("%(name)s imported") % {"name": programme.name})
            return redirect("programmes:programme-detail", programme_id=programme.pk)
    return render(request, "programmes/programme_import.html", {"form": form})


def _filename(name: str, extension: str) -> str:
    return f"{slugify(name) or 'programme'}-theory-of-change.{extension}"


@requires(VIEW_PROGRAMMES, personal_data="programme_export")
@require_GET
def programme_export_json(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The programme as a JSON file. When it names people (the senior responsible owner, board
    members, organisation leads), the export is recorded in the audit log."""
    partnership, user = _ctx(request)
    programme = interchange_services.programme_for_export(
        partnership=partnership, programme_id=programme_id
    )
    document = interchange_services.programme_document(programme=programme, details=True)
    if document.names_people:
        audit_view(
            actor=user,
            obj=programme,
            partnership=partnership,
            purpose=EXPORT_PURPOSE,
            action=AuditAction.EXPORT,
        )
    text = interchange.dumps(document)
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme.name, "json")}"'
    return response


@requires(VIEW_PROGRAMMES)
@require_GET
def programme_export_csv(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    programme = selectors.programme_get(partnership=partnership, programme_id=programme_id)
    content = interchange_services.programme_export_csv(programme=programme)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme.name, "csv")}"'
    return response
