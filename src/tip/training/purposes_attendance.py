"""Why participants' personal data is viewed in attendance, certificates and training records:
the purposes written into the audit log, in English (the audit page shows them translated)."""

from django.utils.translation import gettext_noop

REGISTER = gettext_noop("Training: taking a session's attendance register")
CERTIFICATE = gettext_noop("Training: downloading someone's certificate of attendance")
RECORDS_LIST = gettext_noop("Training: people's training records")
PERSON_RECORD = gettext_noop("Training: a person's record of training")
PERSON_RECORD_EXPORT = gettext_noop("Training: exporting a person's record of training")
