"""Why trainers' personal data is viewed: the purposes written into the audit log, in English
(the audit page shows them translated), as core's purposes are."""

from django.utils.translation import gettext_noop

PROVIDER_TEAM = gettext_noop("Training: a provider's trainers against the key criteria")
TRAINER_RECORD = gettext_noop("Training: a trainer's assessment and clearances")
CLEARANCE_PLANNING = gettext_noop("Training: planning trainers' clearances for a setting")
