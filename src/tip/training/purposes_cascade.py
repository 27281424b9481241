"""Why trainers' cascade records are viewed: the purposes written into the audit log, in English
(the audit page shows them translated), as core's purposes are."""

from django.utils.translation import gettext_noop

COURSE_CASCADE = gettext_noop("Training: who is certified to deliver a course, and their standing")
TRAINER_OBSERVATIONS = gettext_noop("Training: a trainer's quality-assurance observations")
TRAINER_ACKNOWLEDGEMENT = gettext_noop(
    "Training: recording that a trainer without an account acknowledged a new course version"
)
