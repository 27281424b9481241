"""Courses: what is taught (topics), to whom, for how long; their content in numbered versions
(modules with content warnings, and materials); and the follow-up activities after them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tip.core.models import TenantModel
from tip.training.files_courses import extension_of

__all__ = [
    "SHORT_COURSE_HOURS",
    "Course",
    "CourseFollowUp",
    "CourseMaterial",
    "CourseModule",
    "CourseVersion",
    "FollowUpKind",
    "OffsetUnit",
]

# A training day. The guidance doubts that courses shorter than this are enough
# ("Training content and length"); the readiness check uses the same figure.
SHORT_COURSE_HOURS = Decimal(6)


class Course(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        verbose_name=_("programme"),
    )
    # Codes from data/topics.yaml, and topics the course names itself, one per entry.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    own_topics = models.JSONField(_("other topics"), default=list, blank=True)
    # Who it is for: tip.core.models.Sector codes and tip.programmes.models.WorkforceGroup codes.
    audience_sectors = models.JSONField(_("sectors"), default=list, blank=True)
    audience_groups = models.JSONField(_("groups of staff"), default=list, blank=True)
    hours = models.DecimalField(
        _("length in hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(200))],
    )
    slides_sent = models.BooleanField(_("slides are sent out"), default=False)
    train_the_trainer = models.BooleanField(_("train-the-trainer course"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="course_name_unique_in_partnership"
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="course_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def length_text(self) -> str:
        """ "6 hours", "1 hour", "3.5 hours", in the reader's language and number format."""
        whole = self.hours == self.hours.to_integral_value()
        shown = formats.number_format(int(self.hours) if whole else self.hours.normalize())
        # A fraction of an hour takes the plural; so does any other count that is not whole.
        count = int(self.hours) if whole else 10
        return ngettext("%(hours)s hour", "%(hours)s hours", count) % {"hours": shown}

    @property
    def is_short(self) -> bool:
        """Shorter than a training day: the page says why the guidance doubts that is enough."""
        return self.hours < SHORT_COURSE_HOURS


class CourseVersion(TenantModel):
    """The course's content as it stands at one version. Number 1 is the first; each later one
    starts as a copy of the one before and says what changed."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    changes = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="course_version_once"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="course_version_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} v{self.number}"


class CourseModule(TenantModel):
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("length in minutes"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    order = models.PositiveIntegerField(_("order"), default=1)
    # What distressing content the module covers, so participants can be warned beforehand.
    content_warnings = models.TextField(_("content warnings"), blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")

    def __str__(self) -> str:
        return self.title


def _material_path(instance: CourseMaterial, filename: str) -> str:
    # Never the uploader's file name in the path: it is kept in `original_name` for downloads.
    name = f"{uuid.uuid4().hex}{extension_of(filename)}"
    return f"training/materials/{instance.partnership_id}/{name}"


class CourseMaterial(TenantModel):
    """An uploaded file: private, downloaded only through the material download page."""

    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    # A new version's copy of a material points at the same stored file.
    file = models.FileField(_("file"), upload_to=_material_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["version", "title", "pk"]
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")

    def __str__(self) -> str:
        return self.title


class FollowUpKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up activity")
    REFRESHER = "refresher", _("Refresher training")


class OffsetUnit(models.TextChoices):
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


class CourseFollowUp(TenantModel):
    """Something that follows the course, a set time after someone attends it: for example a
    reflective practice session after 6 weeks, or a refresher after 12 months."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="follow_ups")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=FollowUpKind.choices)
    offset = models.PositiveIntegerField(
        _("how long after the course"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    offset_unit = models.CharField(_("unit"), max_length=6, choices=OffsetUnit.choices)

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("follow-up activity")
        verbose_name_plural = _("follow-up activities")

    def __str__(self) -> str:
        return self.name

    @property
    def offset_weeks(self) -> float:
        """For ordering by time after the course: a month is about 4.35 weeks."""
        return self.offset * (4.348 if self.offset_unit == OffsetUnit.MONTHS else 1)

    def offset_text(self) -> str:
        if self.offset_unit == OffsetUnit.MONTHS:
            text = ngettext("%(n)d month after", "%(n)d months after", self.offset)
        else:
            text = ngettext("%(n)d week after", "%(n)d weeks after", self.offset)
        return text % {"n": self.offset}
