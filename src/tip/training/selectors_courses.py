"""Reads of courses, each scoped to the partnership (another partnership's ids answer 404).

Also the extension point that says whether a version's content may still change:
``course_version_is_locked``. A version that has been taught must stay as it was taught: a
version any session records is locked, and other parts may add reasons
(``register_version_lock``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from tip.core.models import Partnership
from tip.programmes.models import Programme
from tip.training.models_courses import (
    Course,
    CourseFollowUp,
    CourseMaterial,
    CourseModule,
    CourseVersion,
)

VersionLock = Callable[[CourseVersion], bool]

_LOCKS: list[VersionLock] = []


def register_version_lock(check: VersionLock) -> None:
    """Add a reason a version can no longer change (idempotent). ``check(version)`` returns True
    when the version is in use, for example taught at a session. Keep it to one query."""
    if check not in _LOCKS:
        _LOCKS.append(check)


def course_version_is_locked(version: CourseVersion) -> bool:
    """Whether the version's content is in use and must not change: a session teaches it (in
    any status: even a cancelled session recorded what it would have taught), or a registered
    check says so."""
    from tip.training.models_sessions import Session

    if Session.objects.filter(course_version=version).exists():
        return True
    return any(check(version) for check in _LOCKS)


def course_list(*, partnership: Partnership) -> QuerySet[Course]:
    qs: QuerySet[Course] = (
        Course.objects.for_partnership(partnership)
        .select_related("programme")
        .annotate(latest_version=Max("versions__number"))
        .order_by("name")
    )
    return qs


def course_get(*, partnership: Partnership, course_id: int) -> Course:
    course: Course = get_object_or_404(
        Course.objects.for_partnership(partnership).select_related("programme", "partnership"),
        pk=course_id,
    )
    return course


def version_list(*, course: Course) -> list[CourseVersion]:
    return list(
        CourseVersion.objects.filter(course=course, partnership_id=course.partnership_id)
        .annotate(module_count=Count("modules", distinct=True))
        .order_by("number")
    )


def version_get(*, course: Course, version_id: int) -> CourseVersion:
    version: CourseVersion = get_object_or_404(
        CourseVersion.objects.filter(course=course, partnership_id=course.partnership_id),
        pk=version_id,
    )
    return version


def latest_version(*, course: Course) -> CourseVersion:
    version: CourseVersion | None = (
        CourseVersion.objects.filter(course=course, partnership_id=course.partnership_id)
        .order_by("-number")
        .first()
    )
    if version is None:  # every course is created with version 1
        raise CourseVersion.DoesNotExist(f"{course} has no version")
    return version


@dataclass(frozen=True)
class VersionContent:
    version: CourseVersion
    modules: list[CourseModule]
    materials: list[CourseMaterial]

    @property
    def minutes(self) -> int:
        return sum(m.duration_minutes for m in self.modules)

    @property
    def warnings(self) -> list[CourseModule]:
        """The modules with content warnings, in order."""
        return [m for m in self.modules if m.content_warnings.strip()]


def version_content(*, version: CourseVersion) -> VersionContent:
    return VersionContent(
        version=version,
        modules=list(CourseModule.objects.filter(version=version).order_by("order", "pk")),
        materials=list(CourseMaterial.objects.filter(version=version).order_by("title", "pk")),
    )


def module_get(*, course: Course, module_id: int) -> CourseModule:
    module: CourseModule = get_object_or_404(
        CourseModule.objects.filter(
            version__course=course, partnership_id=course.partnership_id
        ).select_related("version"),
        pk=module_id,
    )
    return module


def material_get(*, course: Course, material_id: int) -> CourseMaterial:
    material: CourseMaterial = get_object_or_404(
        CourseMaterial.objects.filter(
            version__course=course, partnership_id=course.partnership_id
        ).select_related("version"),
        pk=material_id,
    )
    return material


def follow_up_list(*, course: Course) -> list[CourseFollowUp]:
    follow_ups = CourseFollowUp.objects.filter(course=course, partnership_id=course.partnership_id)
    return sorted(follow_ups, key=lambda f: (f.offset_weeks, f.pk))


def follow_up_get(*, course: Course, follow_up_id: int) -> CourseFollowUp:
    follow_up: CourseFollowUp = get_object_or_404(
        CourseFollowUp.objects.filter(course=course, partnership_id=course.partnership_id),
        pk=follow_up_id,
    )
    return follow_up


def programme_choices(*, partnership: Partnership) -> QuerySet[Programme]:
    qs: QuerySet[Programme] = Programme.objects.for_partnership(partnership).order_by("name")
    return qs


def course_detail_for_api(*, partnership: Partnership, course_id: int) -> Course:
    """A course with its versions, their modules and materials, and its follow-ups, in four
    queries whatever their number."""
    course: Course = get_object_or_404(
        Course.objects.for_partnership(partnership)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=CourseVersion.objects.order_by("number").prefetch_related(
                    Prefetch("modules", queryset=CourseModule.objects.order_by("order", "pk")),
                    Prefetch("materials", queryset=CourseMaterial.objects.order_by("title", "pk")),
                ),
            ),
            Prefetch("follow_ups", queryset=CourseFollowUp.objects.order_by("pk")),
        ),
        pk=course_id,
    )
    return course
