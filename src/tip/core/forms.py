"""Forms: they parse and validate input; services do the work."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tip.core.languages import language_choices
from tip.core.models import Organisation, Partnership, Sector, User
from tip.core.roles import Role
from tip.core.widgets import LanguageRadios


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )
    error_messages = {
        "invalid_login": _(
            "The email address or password is not right. Check them and try again. "
            "After 5 tries the account is locked for 30 minutes."
        ),
        "inactive": _("This account is switched off. Ask your partnership admin."),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Security code"),
        help_text=_("The 6-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter the 6-digit security code"),
            "min_length": _("Enter the 6-digit security code"),
            "max_length": _("Enter the 6-digit security code"),
        },
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The security code must be 6 numbers"))
        return token


class TipPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )

    def get_users(self, email: str) -> Iterator[Any]:
        """Active accounts with this address, including people invited who have not yet chosen a
        password (Django leaves those out): an expired invitation link can then be replaced."""

        def folded(text: str) -> str:
            return unicodedata.normalize("NFKC", text).casefold()

        # The database's case-insensitive match is loose for some scripts: confirm it, as Django
        # does, so a look-alike address never receives someone else's link.
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if folded(user.email) == folded(email):
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Sent by the background worker so the page answers at once. Written in the language of
        # the page the request came from: whoever asked is reading it (tip.core.languages).
        from django.template import loader

        from tip.core.tasks import send_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(subject=subject, body=body, to=[to_email])


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Enter the organisation's name"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the organisation's sector"),
            "invalid_choice": _("Choose one of the sectors listed"),
        },
    )

    def __init__(
        self, *args: Any, partnership: Partnership, instance: Organisation | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.partnership = partnership
        self.instance = instance

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Organisation.objects.for_partnership(self.partnership).filter(name__iexact=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("An organisation with this name is already listed"))
        return name


def _role_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Roles"),
        help_text=_("Select all that apply"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one role"),
            "invalid_choice": _("Choose roles from the list"),
        },
    )


class _OrganisationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _organisation_field(partnership: Partnership) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return _OrganisationChoice(
        label=_("Organisation"),
        queryset=Organisation.objects.for_partnership(partnership).order_by("name"),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Choose the person's organisation"),
            "invalid_choice": _("Choose an organisation from the list"),
        },
    )


class PersonAddForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter the person's full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will send a link to this address so they can set a password"),
        error_messages={
            "required": _("Enter the person's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    job_title = forms.CharField(label=_("Job title (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.partnership = partnership
        self.fields["organisation"] = _organisation_field(partnership)
        self.fields["roles"] = _role_field()

    def clean_email(self) -> str:
        from tip.core.models import Membership

        email: str = self.cleaned_data["email"].strip().lower()
        if Membership.objects.for_partnership(self.partnership).filter(user__email=email).exists():
            raise forms.ValidationError(_("This person is already in the partnership"))
        return email


class PersonEditForm(forms.Form):
    job_title = forms.CharField(label=_("Job title (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["organisation"] = _organisation_field(partnership)
        self.fields["roles"] = _role_field()


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        help_text=_("Say what will use it, like 'monthly report script'"),
        max_length=100,
        error_messages={"required": _("Enter a name for the token")},
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Which language should TIP use for you?"),
        help_text=_("TIP will show its pages, and write the emails it sends you, in this language"),
        widget=LanguageRadios,
        error_messages={
            "required": _("Choose the language TIP should use for you"),
            "invalid_choice": _("Choose one of the languages listed"),
        },
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]


class AuditSearchForm(forms.Form):
    text = forms.CharField(
        label=_("Search"),
        help_text=_("An email address, record type, record name or purpose"),
        required=False,
        max_length=200,
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From (optional)"),
        help_text=_("For example, 27/3/2026"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Enter a real date, like 27/3/2026")},
    )
    date_to = forms.DateField(
        label=_("To (optional)"),
        help_text=_("For example, 27/3/2026"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Enter a real date, like 27/3/2026")},
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        from tip.core.models import AuditAction

        super().__init__(*args, **kw)
        self.fields["action"].choices = [("", _("Any action")), *AuditAction.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error(
                "date_to", _("The 'to' date must be the same as or after the 'from' date")
            )
        return data


class PartnershipSwitchForm(forms.Form):
    def __init__(self, *args: Any, memberships: list[Any], current: int | None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["partnership"] = forms.ChoiceField(
            label=_("Work in"),
            choices=[(m.partnership_id, m.partnership.name) for m in memberships],
            initial=current,
            widget=forms.RadioSelect,
        )


def show_refusal(
    form: forms.BaseForm, exc: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the form: each message against the field it names (a
    service's name for it mapped through `rename`), or on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = (rename or {}).get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
