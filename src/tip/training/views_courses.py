"""Course pages: thin views over the course selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.forms import show_refusal
from tip.core.models import Partnership, Sector, User
from tip.core.tenancy import TipRequest, requires
from tip.programmes.models import WorkforceGroup
from tip.training import selectors_courses as selectors
from tip.training import services_courses as services
from tip.training.forms_courses import (
    CourseForm,
    FollowUpForm,
    MaterialForm,
    ModuleForm,
    VersionForm,
)
from tip.training.models_courses import SHORT_COURSE_HOURS, Course
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINING
from tip.training.topic_library import topic_titles


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _can_manage(request: HttpRequest) -> bool:
    return MANAGE_TRAINING in cast(TipRequest, request).capabilities


def _course(request: HttpRequest, course_id: int) -> tuple[Course, User]:
    partnership, user = _ctx(request)
    return selectors.course_get(partnership=partnership, course_id=course_id), user


def _to_course(course: Course, anchor: str = "") -> HttpResponse:
    url = reverse("training:course-detail", kwargs={"course_id": course.pk})
    return HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))


_refused = show_refusal


def _render_form(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    caption: str,
    back: str,
    button: str = "",
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "training/course_form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back": back,
            "intro": intro,
            "button": button or _("Save"),
            "multipart": form.is_multipart(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _remove_page(
    request: HttpRequest,
    course: Course,
    *,
    title: str,
    warning: str,
    button: str,
    on_confirm: Callable[[], None],
    done: str,
    anchor: str,
) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            on_confirm()
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, done)
            return _to_course(course, anchor)
    return render(
        request,
        "training/course_remove.html",
        {"course": course, "title": title, "warning": warning, "button": button, "error": error},
        status=400 if error else 200,
    )


def _labels(codes: list[str], choices: list[tuple[str, Any]]) -> list[str]:
    names = dict(choices)
    return [str(names[c]) for c in codes if c in names]


def _course_context(course: Course) -> dict[str, Any]:
    """What the course page and a version's page both show about the course."""
    titles = topic_titles(get_language() or "en")
    return {
        "course": course,
        "topics": [titles[c] for c in course.topics if c in titles],
        "sectors": _labels(course.audience_sectors, Sector.choices),
        "groups": _labels(course.audience_groups, WorkforceGroup.choices),
        "short_course_hours": SHORT_COURSE_HOURS,
        "kinds": {
            "pdf": "PDF",
            "docx": "Word",
            "pptx": "PowerPoint",
            "xlsx": "Excel",
            "png": _("PNG image"),
            "jpeg": _("JPEG image"),
            "gif": _("GIF image"),
            "webp": _("WebP image"),
            "text": _("Plain text"),
        },
    }


# --- Courses -------------------------------------------------------------------------------------


@requires(VIEW_TRAINING)
def course_list(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    return render(
        request,
        "training/course_list.html",
        {
            "courses": selectors.course_list(partnership=partnership),
            "can_manage": _can_manage(request),
        },
    )


@requires(MANAGE_TRAINING)
def course_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = CourseForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(partnership=partnership, by=user, **form.values())
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(name)s added") % {"name": course.name})
            return _to_course(course)
    return _render_form(
        request,
        form,
        title=_("Add a course"),
        caption=_("Courses"),
        back=reverse("training:course-list"),
        button=_("Add course"),
    )


@requires(VIEW_TRAINING)
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course, _user = _course(request, course_id)
    versions = selectors.version_list(course=course)
    latest = versions[-1]
    return render(
        request,
        "training/course_detail.html",
        {
            **_course_context(course),
            "versions": versions,
            "content": selectors.version_content(version=latest),
            "is_latest": True,
            "locked": selectors.course_version_is_locked(latest),
            "follow_ups": selectors.follow_up_list(course=course),
            "can_manage": _can_manage(request),
        },
    )


@requires(MANAGE_TRAINING)
def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    form = CourseForm(
        request.POST or None,
        partnership=course.partnership,
        initial=CourseForm.initial_for(course),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, by=user, **form.values())
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return _to_course(course)
    return _render_form(
        request,
        form,
        title=_("Change the course's details"),
        caption=course.name,
        back=reverse("training:course-detail", kwargs={"course_id": course.pk}),
    )


# --- Versions ------------------------------------------------------------------------------------


@requires(VIEW_TRAINING)
def version_detail(request: HttpRequest, course_id: int, course_version_id: int) -> HttpResponse:
    course, _user = _course(request, course_id)
    version = selectors.version_get(course=course, version_id=course_version_id)
    latest = selectors.latest_version(course=course)
    is_latest = latest.pk == version.pk
    return render(
        request,
        "training/course_version.html",
        {
            **_course_context(course),
            "version": version,
            "latest": latest,
            "content": selectors.version_content(version=version),
            "is_latest": is_latest,
            "locked": is_latest and selectors.course_version_is_locked(version),
            "can_manage": _can_manage(request),
        },
    )


@requires(MANAGE_TRAINING)
def version_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    latest = selectors.latest_version(course=course)
    form = VersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.course_version_create(
                course=course, changes=form.cleaned_data["changes"], by=user
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)d started: change its modules and materials below")
                % {"number": version.number},
            )
            return _to_course(course, "content")
    return _render_form(
        request,
        form,
        title=_("Start version %(number)d") % {"number": latest.number + 1},
        caption=course.name,
        back=reverse("training:course-detail", kwargs={"course_id": course.pk}),
        button=_("Start new version"),
        intro=_(
            "The new version starts as a copy of version %(number)d: its modules and materials. "
            "Version %(number)d stays as it is, as a record of what was taught."
        )
        % {"number": latest.number},
    )


# --- Modules -------------------------------------------------------------------------------------


@requires(MANAGE_TRAINING)
def module_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    version = selectors.latest_version(course=course)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_create(version=version, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(title)s added") % {"title": module.title})
            return _to_course(course, "content")
    return _render_form(
        request,
        form,
        title=_("Add a module to version %(number)d") % {"number": version.number},
        caption=course.name,
        back=reverse("training:course-detail", kwargs={"course_id": course.pk}),
        button=_("Add module"),
    )


@requires(MANAGE_TRAINING)
def module_edit(request: HttpRequest, course_id: int, course_module_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    module = selectors.module_get(course=course, module_id=course_module_id)
    form = ModuleForm(request.POST or None, module=module, initial=ModuleForm.initial_for(module))
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if values.get("order") is None:
            values["order"] = module.order
        try:
            services.module_update(module=module, by=user, **values)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return _to_course(course, "content")
    return _render_form(
        request,
        form,
        title=_("Change the module “%(title)s”") % {"title": module.title},
        caption=course.name,
        back=reverse("training:course-detail", kwargs={"course_id": course.pk}),
    )


@requires(MANAGE_TRAINING)
def module_delete(request: HttpRequest, course_id: int, course_module_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    module = selectors.module_get(course=course, module_id=course_module_id)
    return _remove_page(
        request,
        course,
        title=_("Remove the module “%(title)s”?") % {"title": module.title},
        warning=_(
            "It is removed from version %(number)d only. Earlier versions keep it. The audit log "
            "keeps a record that you removed it."
        )
        % {"number": module.version.number},
        button=_("Remove module"),
        on_confirm=lambda: services.module_delete(module=module, by=user),
        done=_("Module removed"),
        anchor="content",
    )


# --- Materials -----------------------------------------------------------------------------------


@requires(MANAGE_TRAINING)
def material_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    version = selectors.latest_version(course=course)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_add(
                version=version,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=user,
            )
        except ValidationError as exc:
            # A message about the file belongs next to the file box.
            if hasattr(exc, "error_dict"):
                _refused(form, exc)
            else:
                form.add_error("file", exc.messages)
        else:
            messages.success(request, _("%(title)s uploaded") % {"title": material.title})
            return _to_course(course, "materials")
    return _render_form(
        request,
        form,
        title=_("Upload a material to version %(number)d") % {"number": version.number},
        caption=course.name,
        back=reverse("training:course-detail", kwargs={"course_id": course.pk}),
        button=_("Upload"),
        intro=_(
            "Materials are private to the partnership: only people signed in to it can "
            "download them, and every download is recorded in the audit log."
        ),
    )


@requires(VIEW_TRAINING)
@require_GET
def material_download(
    request: HttpRequest, course_id: int, course_material_id: int
) -> FileResponse:
    course, user = _course(request, course_id)
    material = selectors.material_get(course=course, material_id=course_material_id)
    handle = services.material_open(material=material, by=user, partnership=course.partnership)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires(MANAGE_TRAINING)
def material_delete(request: HttpRequest, course_id: int, course_material_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    material = selectors.material_get(course=course, material_id=course_material_id)
    return _remove_page(
        request,
        course,
        title=_("Remove the material “%(title)s”?") % {"title": material.title},
        warning=_(
            "It is removed from version %(number)d only. Earlier versions keep it. The audit log "
            "keeps a record that you removed it."
        )
        % {"number": material.version.number},
        button=_("Remove material"),
        on_confirm=lambda: services.material_delete(material=material, by=user),
        done=_("Material removed"),
        anchor="materials",
    )


# --- Follow-up activities ------------------------------------------------------------------------


@requires(MANAGE_TRAINING)
def follow_up_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = services.follow_up_create(course=course, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(name)s added") % {"name": follow_up.name})
            return _to_course(course, "follow-ups")
    return _render_form(
        request,
        form,
        title=_("Add a follow-up activity"),
        caption=course.name,
        back=reverse("training:course-detail", kwargs={"course_id": course.pk}),
        button=_("Add activity"),
        intro=_(
            "Something that follows the course, counted from the day someone attends it: for "
            "example a reflective practice session 6 weeks after, or a refresher 12 months "
            "after."
        ),
    )


@requires(MANAGE_TRAINING)
def follow_up_delete(request: HttpRequest, course_id: int, follow_up_id: int) -> HttpResponse:
    course, user = _course(request, course_id)
    follow_up = selectors.follow_up_get(course=course, follow_up_id=follow_up_id)
    return _remove_page(
        request,
        course,
        title=_("Remove the activity “%(name)s”?") % {"name": follow_up.name},
        warning=_("The audit log keeps a record that you removed it."),
        button=_("Remove activity"),
        on_confirm=lambda: services.follow_up_delete(follow_up=follow_up, by=user),
        done=_("Activity removed"),
        anchor="follow-ups",
    )
