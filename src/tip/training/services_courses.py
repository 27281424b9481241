"""Writes to courses. Each runs in one transaction and records itself in the audit log.

The rules live here, so the pages and the API refuse the same things with the same messages:
topics come from the guidance's list (or are the course's own), the audience from the known
sectors and groups of staff; a course's content changes only in its latest version, and only
while that version is not in use (``course_version_is_locked``); a new version says what changed;
materials are checked by their content, not only their name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tip.core.audit import audit_change, audit_view
from tip.core.models import AuditAction, Partnership, Sector, User
from tip.programmes.models import Programme, WorkforceGroup
from tip.training import files_courses
from tip.training.models_courses import (
    Course,
    CourseFollowUp,
    CourseMaterial,
    CourseModule,
    CourseVersion,
    FollowUpKind,
    OffsetUnit,
)
from tip.training.selectors_courses import course_version_is_locked, latest_version
from tip.training.topic_library import load_topics

# Written to the audit log in English whatever the reader's language (see tip.core.purposes).
MATERIAL_DOWNLOAD = gettext_noop("Training: downloading a course material")

MAX_OWN_TOPICS = 20
COURSE_FIELDS = (
    "name",
    "summary",
    "programme",
    "topics",
    "own_topics",
    "audience_sectors",
    "audience_groups",
    "hours",
    "slides_sent",
    "train_the_trainer",
)


def _changed(obj: object, values: dict[str, Any]) -> list[str]:
    return [name for name, value in values.items() if getattr(obj, name) != value]


def _audit(
    action: str, obj: Any, partnership: Partnership, by: User, fields: Iterable[str], via: str
) -> None:
    audit_change(
        actor=by,
        action=action,
        obj=obj,
        partnership=partnership,
        changed_fields=fields,
        via=via,
    )


# --- Courses -------------------------------------------------------------------------------------


def _clean_course(partnership: Partnership, values: dict[str, Any], course: Course | None) -> None:
    """Check and tidy a course's values in place; raise ValidationError naming the fields."""
    errors: dict[str, str] = {}
    if "name" in values:
        values["name"] = str(values["name"]).strip()
        clash = Course.objects.for_partnership(partnership).filter(name__iexact=values["name"])
        if course is not None:
            clash = clash.exclude(pk=course.pk)
        if not values["name"]:
            errors["name"] = _("Enter the course's name")
        elif clash.exists():
            errors["name"] = _(
                "A course called “%(name)s” already exists. Choose another name."
            ) % {"name": values["name"]}
    if "summary" in values:
        values["summary"] = str(values["summary"] or "").strip()
    programme = values.get("programme")
    if programme is not None and (
        not isinstance(programme, Programme) or programme.partnership_id != partnership.pk
    ):
        errors["programme"] = _("Choose one of the partnership's programmes")
    if "topics" in values:
        known = {t.code for t in load_topics()}
        topics = list(dict.fromkeys(values["topics"] or []))
        if set(topics) - known:
            errors["topics"] = _("Choose topics from the list")
        values["topics"] = [t.code for t in load_topics() if t.code in topics]
    if "own_topics" in values:
        own = [" ".join(str(t).split()) for t in values["own_topics"] or []]
        own = list(dict.fromkeys(t for t in own if t))
        if len(own) > MAX_OWN_TOPICS:
            errors["own_topics"] = _("Name %(max)d other topics or fewer") % {"max": MAX_OWN_TOPICS}
        elif any(len(t) > 200 for t in own):
            errors["own_topics"] = _("Each topic must be 200 characters or fewer")
        values["own_topics"] = own
    for name, choices, message in (
        ("audience_sectors", Sector.values, _("Choose sectors from the list")),
        ("audience_groups", WorkforceGroup.values, _("Choose groups of staff from the list")),
    ):
        if name in values:
            chosen = list(dict.fromkeys(values[name] or []))
            if set(chosen) - set(choices):
                errors[name] = message
            values[name] = [c for c in choices if c in chosen]
    if "hours" in values:
        try:
            hours = Decimal(str(values["hours"]))
        except ArithmeticError:
            hours = Decimal(-1)
        if not hours.is_finite() or not Decimal("0.5") <= hours <= Decimal(200):
            errors["hours"] = _("The length must be between 0.5 and 200 hours")
        elif hours != hours.quantize(Decimal("0.1")):
            errors["hours"] = _("Give the length to one decimal place at most, such as 3.5")
        values["hours"] = hours
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def course_create(
    *,
    partnership: Partnership,
    name: str,
    hours: Decimal | float | int | str,
    summary: str = "",
    programme: Programme | None = None,
    topics: Iterable[str] = (),
    own_topics: Iterable[str] = (),
    audience_sectors: Iterable[str] = (),
    audience_groups: Iterable[str] = (),
    slides_sent: bool = False,
    train_the_trainer: bool = False,
    by: User,
    via: str = "web",
) -> Course:
    """A new course, with its first version (number 1) ready for modules and materials."""
    values: dict[str, Any] = {
        "name": name,
        "summary": summary,
        "programme": programme,
        "topics": list(topics),
        "own_topics": list(own_topics),
        "audience_sectors": list(audience_sectors),
        "audience_groups": list(audience_groups),
        "hours": hours,
        "slides_sent": bool(slides_sent),
        "train_the_trainer": bool(train_the_trainer),
    }
    _clean_course(partnership, values, None)
    course = Course(partnership=partnership, created_by=by, **values)
    course.full_clean()
    course.save()
    _audit(AuditAction.CREATE, course, partnership, by, COURSE_FIELDS, via)
    version = CourseVersion.objects.create(
        partnership=partnership, course=course, number=1, created_by=by
    )
    _audit(AuditAction.CREATE, version, partnership, by, ["number"], via)
    return course


@transaction.atomic
def course_update(*, course: Course, by: User, via: str = "web", **values: Any) -> Course:
    """Change any of the course's details (COURSE_FIELDS); its versions stay as they are."""
    unknown = set(values) - set(COURSE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _clean_course(course.partnership, values, course)
    changed = _changed(course, values)
    if not changed:
        return course
    for name, value in values.items():
        setattr(course, name, value)
    course.full_clean()
    course.save()
    _audit(AuditAction.UPDATE, course, course.partnership, by, changed, via)
    return course


# --- Versions ------------------------------------------------------------------------------------


def _check_editable(version: CourseVersion) -> None:
    """Only the latest version changes, and only while it is not in use."""
    latest = latest_version(course=version.course)
    if latest.pk != version.pk:
        raise ValidationError(
            _(
                "Version %(number)d has been replaced by version %(latest)d, so it stays as it "
                "was. Change version %(latest)d instead."
            )
            % {"number": version.number, "latest": latest.number}
        )
    if course_version_is_locked(version):
        raise ValidationError(
            _(
                "Version %(number)d has been taught, so it stays as it was taught. Start a new "
                "version to change the content."
            )
            % {"number": version.number}
        )


VersionListener = Callable[[CourseVersion, User, str], object]
_VERSION_LISTENERS: list[VersionListener] = []


def register_version_listener(listener: VersionListener) -> None:
    """Extension point: ``listener(version, by, via)`` runs when a new version is created, in
    its transaction (the cascade tells the trainers certified on earlier versions). Idempotent."""
    if listener not in _VERSION_LISTENERS:
        _VERSION_LISTENERS.append(listener)


@transaction.atomic
def course_version_create(
    *, course: Course, changes: str, by: User, via: str = "web"
) -> CourseVersion:
    """Version n + 1: a copy of the latest version's modules and materials, with what changed."""
    # Lock the course row so two people starting a version at once do not both take n + 1.
    Course.objects.select_for_update().filter(pk=course.pk).first()
    changes = (changes or "").strip()
    if not changes:
        raise ValidationError({"changes": _("Say what changes in this version")})
    previous = latest_version(course=course)
    version = CourseVersion.objects.create(
        partnership_id=course.partnership_id,
        course=course,
        number=previous.number + 1,
        changes=changes,
        created_by=by,
    )
    modules = CourseModule.objects.filter(version=previous).order_by("order", "pk")
    CourseModule.objects.bulk_create(
        CourseModule(
            partnership_id=course.partnership_id,
            version=version,
            title=m.title,
            summary=m.summary,
            duration_minutes=m.duration_minutes,
            order=m.order,
            content_warnings=m.content_warnings,
        )
        for m in modules
    )
    materials = CourseMaterial.objects.filter(version=previous).order_by("pk")
    CourseMaterial.objects.bulk_create(
        CourseMaterial(
            partnership_id=course.partnership_id,
            version=version,
            title=m.title,
            file=m.file.name,  # the same stored file: removing one copy keeps the other's
            original_name=m.original_name,
            kind=m.kind,
            content_type=m.content_type,
            size=m.size,
            uploaded_by=m.uploaded_by,
        )
        for m in materials
    )
    _audit(AuditAction.CREATE, version, course.partnership, by, ["number", "changes"], via)
    for listener in _VERSION_LISTENERS:  # in the same transaction: all or nothing
        listener(version, by, via)
    return version


# --- Modules -------------------------------------------------------------------------------------

MODULE_FIELDS = ("title", "summary", "duration_minutes", "order", "content_warnings")


def _renumber(
    version: CourseVersion, *, moved: CourseModule | None, to: int, by: User, via: str
) -> None:
    """Number the version's modules 1, 2, 3... in order, with ``moved`` (if any) at position
    ``to`` and the ones from there on moved down. Each module whose position changes is audited."""
    others = list(
        CourseModule.objects.filter(version=version)
        .exclude(pk=moved.pk if moved else None)
        .order_by("order", "pk")
    )
    if moved is not None:
        others.insert(max(0, min(to, len(others) + 1) - 1), moved)
    shifted = []
    for position, module in enumerate(others, start=1):
        if module.order != position:
            module.order = position
            shifted.append(module)
    if not shifted:
        return
    CourseModule.objects.bulk_update(shifted, ["order"])
    partnership = version.course.partnership
    for module in shifted:
        if module is not moved:
            _audit(AuditAction.UPDATE, module, partnership, by, ["order"], via)


def _clean_module(values: dict[str, Any]) -> None:
    for name in ("title", "summary", "content_warnings"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    if "title" in values and not values["title"]:
        raise ValidationError({"title": _("Enter the module's title")})


@transaction.atomic
def module_create(
    *,
    version: CourseVersion,
    title: str,
    duration_minutes: int,
    summary: str = "",
    content_warnings: str = "",
    order: int | None = None,
    by: User,
    via: str = "web",
) -> CourseModule:
    """A module at the end of the version, or at position ``order`` with the modules from there
    on moved down one."""
    _check_editable(version)
    values: dict[str, Any] = {
        "title": title,
        "summary": summary,
        "content_warnings": content_warnings,
    }
    _clean_module(values)
    count = CourseModule.objects.filter(version=version).count()
    position = count + 1 if order is None else max(1, min(order, count + 1))
    module = CourseModule(
        partnership_id=version.partnership_id,
        version=version,
        duration_minutes=duration_minutes,
        order=position,
        **values,
    )
    module.full_clean()
    module.save()
    _renumber(version, moved=module, to=position, by=by, via=via)
    _audit(AuditAction.CREATE, module, version.course.partnership, by, MODULE_FIELDS, via)
    return module


@transaction.atomic
def module_update(
    *, module: CourseModule, by: User, via: str = "web", **values: Any
) -> CourseModule:
    unknown = set(values) - set(MODULE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _check_editable(module.version)
    _clean_module(values)
    changed = _changed(module, values)
    if not changed:
        return module
    for name, value in values.items():
        setattr(module, name, value)
    module.full_clean()
    module.save()
    if "order" in changed:
        _renumber(module.version, moved=module, to=module.order, by=by, via=via)
    _audit(AuditAction.UPDATE, module, module.version.course.partnership, by, changed, via)
    return module


@transaction.atomic
def module_delete(*, module: CourseModule, by: User, via: str = "web") -> None:
    _check_editable(module.version)
    partnership = module.version.course.partnership
    _audit(AuditAction.DELETE, module, partnership, by, [], via)
    version = module.version
    module.delete()
    _renumber(version, moved=None, to=0, by=by, via=via)


# --- Materials -----------------------------------------------------------------------------------


def _kind_names() -> dict[str, str]:
    return {
        "pdf": _("a PDF"),
        "docx": _("a Word document"),
        "pptx": _("a PowerPoint presentation"),
        "xlsx": _("an Excel spreadsheet"),
        "png": _("a PNG image"),
        "jpeg": _("a JPEG image"),
        "gif": _("a GIF image"),
        "webp": _("a WebP image"),
        "text": _("plain text"),
    }


def _allowed_types() -> str:
    return _(
        "Upload a PDF, a Word, PowerPoint or Excel file (.docx, .pptx or .xlsx), an image "
        "(PNG, JPEG, GIF or WebP) or a plain text file (.txt, .csv or .md)."
    )


def check_material(*, name: str, size: int, stream: IO[bytes]) -> str:
    """The kind of file (a key of files_courses.KINDS), or ValidationError saying what is wrong
    with it, naming the file, and what to do."""
    shown = {"name": name}
    if size <= 0:
        raise ValidationError(
            _("“%(name)s” is empty. Choose the file again, or a file that has content in it.")
            % shown
        )
    if size > files_courses.MAX_BYTES:
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s, larger than the limit of %(limit)s. Make it smaller, "
                "for example by compressing its pictures, or split it into parts."
            )
            % {
                **shown,
                "size": filesizeformat(size),
                "limit": filesizeformat(files_courses.MAX_BYTES),
            }
        )
    extension = files_courses.extension_of(name)
    expected = next((k for k in files_courses.KINDS.values() if extension in k.extensions), None)
    if expected is None:
        raise ValidationError(
            _("“%(name)s” is not a type of file TIP accepts.") % shown + " " + _allowed_types()
        )
    found = files_courses.sniff(stream)
    if found == expected.code:
        return found
    if found == files_courses.LEGACY_OFFICE:
        message = (
            _(
                "“%(name)s” is in an older Office format. Save it as .docx, .pptx or .xlsx, or as "
                "a PDF, and upload that."
            )
            % shown
        )
    elif found == files_courses.MACROS:
        message = (
            _(
                "“%(name)s” contains macros, which could run on the computers of the people who "
                "open it. Save it without macros (as .docx, .pptx or .xlsx) and upload that."
            )
            % shown
        )
    elif found in files_courses.KINDS:
        message = _(
            "“%(name)s” is named as %(named)s but its content is %(actual)s. Check you chose "
            "the right file, or give it the right extension."
        ) % {**shown, "named": _kind_names()[expected.code], "actual": _kind_names()[found]}
    else:
        message = _(
            "“%(name)s” is named as %(named)s but its content is not, or the file is damaged. "
            "Open it to check it, save it again and upload that copy."
        ) % {**shown, "named": _kind_names()[expected.code]}
    raise ValidationError(message)


@transaction.atomic
def material_add(
    *,
    version: CourseVersion,
    title: str,
    upload: File[Any],
    by: User,
    via: str = "web",
) -> CourseMaterial:
    """Store an uploaded file as a material of the version, after checking what it is."""
    _check_editable(version)
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] if upload.name else ""
    kind = check_material(name=name, size=int(upload.size or 0), stream=upload)
    title = (title or "").strip() or name
    material = CourseMaterial(
        partnership_id=version.partnership_id,
        version=version,
        title=title[:200],
        original_name=name[:255],
        kind=kind,
        content_type=files_courses.KINDS[kind].content_type,
        size=int(upload.size or 0),
        uploaded_by=by,
    )
    material.file.save(name, upload, save=False)
    stored = str(material.file.name)
    try:
        material.full_clean()
        material.save()
        fields = ["title", "file", "original_name", "kind", "size"]
        _audit(AuditAction.CREATE, material, version.course.partnership, by, fields, via)
    except Exception:
        # Nothing was recorded, so do not keep the file either.
        material.file.storage.delete(stored)
        raise
    return material


@transaction.atomic
def material_delete(*, material: CourseMaterial, by: User, via: str = "web") -> None:
    _check_editable(material.version)
    partnership = material.version.course.partnership
    name = str(material.file.name)
    storage = material.file.storage
    _audit(AuditAction.DELETE, material, partnership, by, [], via)
    material.delete()
    # Earlier versions keep their copy of the material, which is the same stored file.
    if not CourseMaterial.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))


def material_open(
    *, material: CourseMaterial, by: User, partnership: Partnership, via: str = "web"
) -> IO[bytes]:
    """The stored file, opened for reading; the download is recorded in the audit log."""
    handle = material.file.storage.open(str(material.file.name), "rb")
    audit_view(
        actor=by,
        obj=material,
        partnership=partnership,
        purpose=MATERIAL_DOWNLOAD,
        action=AuditAction.EXPORT,
        via=via,
    )
    return handle


# --- Follow-up activities ------------------------------------------------------------------------


@transaction.atomic
def follow_up_create(
    *,
    course: Course,
    name: str,
    kind: str,
    offset: int,
    offset_unit: str,
    by: User,
    via: str = "web",
) -> CourseFollowUp:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter the name of the activity")
    if kind not in FollowUpKind.values:
        errors["kind"] = _("Choose follow-up activity or refresher training")
    if offset_unit not in OffsetUnit.values:
        errors["offset_unit"] = _("Choose weeks or months")
    if errors:
        raise ValidationError(errors)
    follow_up = CourseFollowUp(
        partnership_id=course.partnership_id,
        course=course,
        name=name,
        kind=kind,
        offset=offset,
        offset_unit=offset_unit,
    )
    follow_up.full_clean()
    follow_up.save()
    fields = ["name", "kind", "offset", "offset_unit"]
    _audit(AuditAction.CREATE, follow_up, course.partnership, by, fields, via)
    return follow_up


@transaction.atomic
def follow_up_delete(*, follow_up: CourseFollowUp, by: User, via: str = "web") -> None:
    _audit(AuditAction.DELETE, follow_up, follow_up.course.partnership, by, [], via)
    follow_up.delete()
