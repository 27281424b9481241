"""Forms for courses: they parse and validate what was typed; services do the work and check the
rules (so the API is held to the same ones)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tip.core.models import Partnership, Sector
from tip.programmes.models import Programme, WorkforceGroup
from tip.training.models_courses import Course, CourseModule, FollowUpKind, OffsetUnit
from tip.training.selectors_courses import programme_choices
from tip.training.topic_library import load_topics

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: Any, missing: Any, hint: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


def _number_input(mode: str = "numeric") -> forms.TextInput:
    # GOV.UK asks for a text box with a numeric keyboard rather than type="number".
    return forms.TextInput(attrs={"inputmode": mode, "spellcheck": "false"})


class CourseForm(forms.Form):
    name = forms.CharField(
        label=_("Course name"),
        max_length=200,
        error_messages={
            "required": _("Enter the course's name"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    summary = forms.CharField(
        label=_("Summary (optional)"),
        help_text=_("What the course is for and how it is taught"),
        required=False,
        widget=forms.Textarea,
    )
    programme = forms.ChoiceField(
        label=_("Programme (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the partnership's programmes")},
    )
    topics = forms.MultipleChoiceField(
        label=_("Which topics does it cover? (optional)"),
        help_text=_(
            "The topics the guidance found in trauma-informed training. Select all that apply."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose topics from the list")},
    )
    own_topics = forms.CharField(
        label=_("Other topics (optional)"),
        help_text=_("Topics not in the list above, one on each line"),
        required=False,
        widget=forms.Textarea,
    )
    audience_sectors = forms.MultipleChoiceField(
        label=_("Which sectors is it for? (optional)"),
        help_text=_("Select all that apply."),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose sectors from the list")},
    )
    audience_groups = forms.MultipleChoiceField(
        label=_("Which groups of staff is it for? (optional)"),
        help_text=_("Select all that apply."),
        choices=WorkforceGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose groups of staff from the list")},
    )
    hours = forms.DecimalField(
        label=_("Length in hours"),
        help_text=_("Hours of training, not counting breaks. A training day is about 6 hours."),
        min_value=Decimal("0.5"),
        max_value=Decimal(200),
        decimal_places=1,
        widget=_number_input("decimal"),
        error_messages={
            "required": _("Enter the course's length in hours"),
            "invalid": _("Enter the length as a number of hours, such as 6 or 3.5"),
            "min_value": _("The length must be between 0.5 and 200 hours"),
            "max_value": _("The length must be between 0.5 and 200 hours"),
            "max_decimal_places": _("Give the length to one decimal place at most, such as 3.5"),
            "max_digits": _("The length must be between 0.5 and 200 hours"),
        },
    )
    slides_sent = _yes_no(
        _("Are the slides sent to participants?"),
        _("Say whether the slides are sent to participants"),
        _("The guidance advises telling participants whether slides and resources will be sent."),
    )
    train_the_trainer = _yes_no(
        _("Is it a train-the-trainer course?"),
        _("Say whether it is a train-the-trainer course"),
        _("A course that prepares people to teach the training to others."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.programmes: dict[str, Programme] = {
            str(p.pk): p for p in programme_choices(partnership=partnership)
        }
        self.fields["programme"].choices = [  # type: ignore[attr-defined]
            ("", _("Not part of a programme")),
            *((pk, p.name) for pk, p in self.programmes.items()),
        ]
        language = get_language() or "en"
        self.fields["topics"].choices = [  # type: ignore[attr-defined]
            (t.code, t.title(language)) for t in load_topics()
        ]

    @staticmethod
    def initial_for(course: Course) -> dict[str, Any]:
        return {
            "name": course.name,
            "summary": course.summary,
            "programme": str(course.programme_id or ""),
            "topics": course.topics,
            "own_topics": "\n".join(course.own_topics),
            "audience_sectors": course.audience_sectors,
            "audience_groups": course.audience_groups,
            "hours": course.hours.normalize() if course.hours % 1 else int(course.hours),
            "slides_sent": "yes" if course.slides_sent else "no",
            "train_the_trainer": "yes" if course.train_the_trainer else "no",
        }

    def values(self) -> dict[str, Any]:
        """The cleaned data as the services take it."""
        data = dict(self.cleaned_data)
        data["programme"] = self.programmes.get(data.get("programme") or "")
        data["own_topics"] = [line for line in data["own_topics"].splitlines() if line.strip()]
        data["slides_sent"] = data["slides_sent"] == "yes"
        data["train_the_trainer"] = data["train_the_trainer"] == "yes"
        return data


class VersionForm(forms.Form):
    changes = forms.CharField(
        label=_("What changes in this version?"),
        help_text=_(
            "For example a new module, a rewritten case study or updated slides. Trainers read "
            "this to see what is new."
        ),
        widget=forms.Textarea,
        error_messages={"required": _("Say what changes in this version")},
    )


class ModuleForm(forms.Form):
    title = forms.CharField(
        label=_("Module title"),
        max_length=200,
        error_messages={
            "required": _("Enter the module's title"),
            "max_length": _("The title must be 200 characters or fewer"),
        },
    )
    summary = forms.CharField(label=_("Summary (optional)"), required=False, widget=forms.Textarea)
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=1,
        max_value=24 * 60,
        widget=_number_input(),
        error_messages={
            "required": _("Enter the module's length in minutes"),
            "invalid": _("Enter the length as a whole number of minutes, such as 45"),
            "min_value": _("The length must be between 1 and 1,440 minutes"),
            "max_value": _("The length must be between 1 and 1,440 minutes"),
        },
    )
    order = forms.IntegerField(
        label=_("Position in the course (optional)"),
        help_text=_("1 for the first module. Leave it empty to add the module at the end."),
        required=False,
        min_value=1,
        max_value=1000,
        widget=_number_input(),
        error_messages={
            "invalid": _("Enter the position as a whole number, such as 2"),
            "min_value": _("The position must be between 1 and 1,000"),
            "max_value": _("The position must be between 1 and 1,000"),
        },
    )
    content_warnings = forms.CharField(
        label=_("Content warnings (optional)"),
        help_text=_(
            "Say what distressing content the module covers, such as case studies of abuse or "
            "violence, so participants can be warned before the session. Leave it empty if "
            "there is none."
        ),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, module: CourseModule | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if module is not None:
            self.fields["order"].help_text = _("1 for the first module.")

    @staticmethod
    def initial_for(module: CourseModule) -> dict[str, Any]:
        return {
            "title": module.title,
            "summary": module.summary,
            "duration_minutes": module.duration_minutes,
            "order": module.order,
            "content_warnings": module.content_warnings,
        }


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title (optional)"),
        help_text=_("Leave it empty to use the file's name"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("The title must be 200 characters or fewer")},
    )
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_(
            "A PDF, a Word, PowerPoint or Excel file, an image or a plain text file, up to 20 MB"
        ),
        # The service says which file is empty, by name.
        allow_empty_file=True,
        error_messages={
            "required": _("Choose a file to upload"),
            "invalid": _("Choose a file to upload"),
            "missing": _("Choose a file to upload"),
        },
    )


class FollowUpForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the activity"),
        help_text=_("For example, reflective practice session"),
        max_length=200,
        error_messages={
            "required": _("Enter the name of the activity"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    kind = forms.ChoiceField(
        label=_("What kind of activity is it?"),
        choices=FollowUpKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose follow-up activity or refresher training"),
            "invalid_choice": _("Choose follow-up activity or refresher training"),
        },
    )
    offset = forms.IntegerField(
        label=_("How long after the course?"),
        help_text=_("A whole number of weeks or months, such as 6"),
        min_value=1,
        max_value=120,
        widget=_number_input(),
        error_messages={
            "required": _("Enter how long after the course it happens"),
            "invalid": _("Enter a whole number, such as 6"),
            "min_value": _("Enter a number between 1 and 120"),
            "max_value": _("Enter a number between 1 and 120"),
        },
    )
    offset_unit = forms.ChoiceField(
        label=_("Weeks or months?"),
        choices=[(OffsetUnit.WEEKS, _("Weeks")), (OffsetUnit.MONTHS, _("Months"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose weeks or months"),
            "invalid_choice": _("Choose weeks or months"),
        },
    )
