"""Writes. Each service changes one thing, in one transaction, and records it in the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.languages import in_language_of, offered_languages
from tip.core.models import (
    ApiToken,
    AuditAction,
    Membership,
    MembershipRole,
    Organisation,
    Partnership,
    User,
)
from tip.core.roles import Role
from tip.core.tasks import send_email


def _changed(obj: object, values: dict[str, object]) -> list[str]:
    return [name for name, value in values.items() if getattr(obj, name) != value]


@transaction.atomic
def organisation_create(
    *, partnership: Partnership, name: str, sector: str, by: User, via: str = "web"
) -> Organisation:
    org = Organisation(partnership=partnership, name=name.strip(), sector=sector)
    org.full_clean()
    org.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=org,
        partnership=partnership,
        changed_fields=["name", "sector"],
        via=via,
    )
    return org


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by: User, via: str = "web", **values: str
) -> Organisation:
    allowed = {"name", "sector"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    if "name" in values:
        values["name"] = values["name"].strip()
    changed = _changed(organisation, dict(values))
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    if changed:
        organisation.save()
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=organisation,
            partnership=organisation.partnership,
            changed_fields=changed,
            via=via,
        )
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation, by: User, via: str = "web") -> None:
    if organisation.memberships.exists():
        raise ValidationError(
            _("Move or remove the people in %(name)s before removing the organisation.")
            % {"name": organisation.name}
        )
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=organisation,
        partnership=organisation.partnership,
        via=via,
    )
    try:
        organisation.delete()
    except ProtectedError as exc:  # pragma: no cover - guarded above; kept for safety
        raise ValidationError(_("This organisation still has records attached.")) from exc


def _set_roles(membership: Membership, roles: Iterable[str]) -> list[str]:
    wanted = {Role(r) for r in roles}
    if not wanted:
        raise ValidationError(_("Choose at least one role."))
    current = set(membership.roles.values_list("role", flat=True))
    membership.roles.exclude(role__in=wanted).delete()
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=membership, role=r) for r in wanted - current]
    )
    return ["roles"] if current != wanted else []


@transaction.atomic
def membership_create(
    *,
    partnership: Partnership,
    email: str,
    full_name: str,
    organisation: Organisation,
    roles: Iterable[str],
    job_title: str = "",
    by: User,
    via: str = "web",
) -> Membership:
    """Add a person to the partnership. A new account has no usable password until they set one."""
    if organisation.partnership_id != partnership.pk:
        raise ValidationError(_("Choose an organisation in this partnership."))
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    created_user = user is None
    if user is None:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif Membership.objects.filter(partnership=partnership, user=user).exists():
        raise ValidationError(_("This person is already in the partnership."))
    membership = Membership(
        partnership=partnership, user=user, organisation=organisation, job_title=job_title.strip()
    )
    membership.full_clean()
    membership.save()
    _set_roles(membership, roles)
    if created_user:
        audit_change(
            actor=by,
            action=AuditAction.CREATE,
            obj=user,
            partnership=partnership,
            changed_fields=["email", "full_name"],
            via=via,
        )
        # Queued in this transaction: if adding the person fails, no invitation goes out.
        user_invite_send(user=user, partnership=partnership, invited_by=by)
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=membership,
        partnership=partnership,
        changed_fields=["organisation", "job_title", "roles"],
        via=via,
    )
    return membership


def user_invite_send(*, user: User, partnership: Partnership, invited_by: User) -> None:
    """Email a new person a link to choose their password, through the background worker.

    The link is the password-reset one, so it works once and expires like a reset link. It is
    built from TIP_BASE_URL because there may be no request to take the address from.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("core:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    context = {
        "user": user,
        "partnership": partnership,
        "invited_by": invited_by,
        "link": settings.TIP_BASE_URL + path,
        "sign_in_link": settings.TIP_BASE_URL + reverse("core:sign-in"),
    }
    with in_language_of(user):
        subject = render_to_string("core/email/invitation_subject.txt", context)
        body = render_to_string("core/email/invitation.txt", context)
    send_email.enqueue(subject="".join(subject.splitlines()), body=body, to=[user.email])


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    organisation: Organisation,
    roles: Iterable[str],
    job_title: str,
    by: User,
    via: str = "web",
) -> Membership:
    if organisation.partnership_id != membership.partnership_id:
        raise ValidationError(_("Choose an organisation in this partnership."))
    changed = _changed(membership, {"organisation": organisation, "job_title": job_title.strip()})
    membership.organisation = organisation
    membership.job_title = job_title.strip()
    membership.full_clean()
    membership.save()
    changed += _set_roles(membership, roles)
    if changed:
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=membership,
            partnership=membership.partnership,
            changed_fields=changed,
            via=via,
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User, via: str = "web") -> None:
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot remove yourself from the partnership."))
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=membership,
        partnership=membership.partnership,
        via=via,
    )
    membership.delete()


@transaction.atomic
def user_language_set(
    *,
    user: User,
    language: str,
    by: User,
    partnership: Partnership | None,
    via: str = "web",
) -> User:
    """Remember the language `user` reads TIP and its emails in. The audit entry goes to the
    partnership they are working in (None for someone in none)."""
    if language not in offered_languages():
        raise ValidationError({"language": _("Choose one of the languages listed")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=user,
            partnership=partnership,
            changed_fields=["language"],
            via=via,
        )
    return user


@transaction.atomic
def api_token_create(*, membership: Membership, name: str, by: User) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is shown once and never stored."""
    key = ApiToken.generate_key()
    token = ApiToken(
        partnership=membership.partnership,
        membership=membership,
        name=name.strip(),
        prefix=key[4:12],
        key_hash=ApiToken.hash_key(key),
    )
    token.full_clean()
    token.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=token,
        partnership=membership.partnership,
        changed_fields=["name"],
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=token,
            partnership=token.partnership,
            changed_fields=["revoked_at"],
        )
    return token
