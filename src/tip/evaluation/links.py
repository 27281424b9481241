"""Personal survey links. A link carries a random token; TIP keeps only the token's SHA-256
digest (models_collection.link_digest), so the link exists only in the email that carried it.
A new link for an invitation replaces the old one (the old stops working)."""

from __future__ import annotations

from django.urls import reverse

from tip.evaluation.models_collection import Invitation, link_digest, new_link_token

__all__ = ["invitation_for_token", "issue_link", "survey_path", "unissued_digest"]


def unissued_digest() -> str:
    """The digest for an invitation not sent yet: of a token nobody is given, so the link field
    is unique and opens nothing until ``issue_link``."""
    return link_digest(new_link_token())


def issue_link(invitation: Invitation) -> str:
    """Give the invitation a new personal link and return its token (to put in the email, never
    to store). Saves the invitation's digest."""
    token = new_link_token()
    invitation.link_digest = link_digest(token)
    invitation.save(update_fields=["link_digest"])
    return token


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, whatever its partnership (the link is the
    person's only key; the survey pages check its status and dates), or None."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("wave__plan__programme", "respondent", "partnership")
        .filter(link_digest=link_digest(token))
        .first()
    )


def survey_path(token: str) -> str:
    """The path of the survey a token opens (prefix settings.TIP_BASE_URL in emails)."""
    return reverse("evaluation:survey-start", kwargs={"token": token})
