"""Why people's data is viewed on the session pages: the purposes written into the audit log, in
English (the audit page shows them translated), as core's purposes are."""

from django.utils.translation import gettext_noop

SESSION_TRAINERS = gettext_noop("Training: a session's trainers and their clearances")
TRAINER_ACCOUNT = gettext_noop("Training: linking a trainer to their TIP account")
