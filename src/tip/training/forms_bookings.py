"""Forms for bookings: they parse what was typed; the services check the rules (so the API is held
to the same ones)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tip.core.models import Membership
from tip.programmes.models import WorkforceGroup

MANAGER_HINT = _(
    "If you tick this, TIP emails your manager only if you are marked as not attending. "
    "Nobody is told otherwise."
)


PREFER_NOT_TO_SAY = ""


def staff_group_field(*, label: Any) -> forms.ChoiceField:
    """The participant's group of staff: optional, "Prefer not to say" keeps it blank."""
    return forms.ChoiceField(
        label=label,
        help_text=_(
            "Optional. Programmes count who is trained, so that senior leaders and support staff "
            "are reached as well as frontline practitioners."
        ),
        choices=[*WorkforceGroup.choices, (PREFER_NOT_TO_SAY, _("Prefer not to say"))],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose a group of staff from the list")},
    )


class BookForm(forms.Form):
    """Booking yourself: the private check-in request and the manager's notice are your choice."""

    check_in = forms.BooleanField(
        label=_("I’d like a trainer to check in with me"),
        help_text=_(
            "You do not need to give a reason. Only the session's trainers will see this, and it "
            "is deleted a few days after the session. You can withdraw it at any time."
        ),
        required=False,
    )
    notify_manager = forms.BooleanField(
        label=_("Tell my manager if I do not attend"), help_text=MANAGER_HINT, required=False
    )
    manager_email = forms.CharField(
        label=_("Your manager's email address (only if you ticked the box)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("The email address must be 254 characters or fewer")},
    )
    staff_group = staff_group_field(label=_("Which group of staff are you in?"))
    join_waiting_list = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name} ({obj.organisation.name})"


class BookForStaffForm(forms.Form):
    """Booking someone else: the people the booker may book (all, or their organisation's)."""

    person = PersonField(
        label=_("Who are you booking?"),
        queryset=Membership.objects.none(),
        error_messages={
            "required": _("Choose the person to book"),
            "invalid_choice": _("Choose someone you can book from the list"),
        },
    )
    staff_group = staff_group_field(label=_("Which group of staff are they in?"))
    notify_manager = forms.BooleanField(
        label=_("Tell their manager if they do not attend"),
        help_text=_("Only if they have agreed to this."),
        required=False,
    )
    manager_email = forms.CharField(
        label=_("Their manager's email address (only if you ticked the box)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    join_waiting_list = forms.BooleanField(
        label=_("If the session is full, put them on the waiting list"), required=False
    )

    def __init__(self, *args: Any, people: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people
        field.empty_label = str(_("Choose a person"))

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("person")
        return data


class WelfareOfferForm(forms.Form):
    offer = forms.CharField(
        label=_("What support does the organisation offer its staff?"),
        help_text=_(
            "For example an employee assistance programme, occupational health, supervision or "
            "a staff wellbeing lead. Leave it empty to remove the offer."
        ),
        required=False,
        widget=forms.Textarea,
    )
    contacts = forms.CharField(
        label=_("Support contacts (optional)"),
        help_text=_("Phone numbers, email addresses or web pages staff can use, one on each line"),
        required=False,
        widget=forms.Textarea,
    )
