"""Why participants' personal data is viewed for follow-ups: the purposes written into the audit
log, in English (the audit page shows them translated)."""

from django.utils.translation import gettext_noop

COURSE_INVITATIONS = gettext_noop(
    "Training: a course's follow-up invitations, to record who completed them"
)
INVITATION = gettext_noop("Training: recording whether someone completed a follow-up")
