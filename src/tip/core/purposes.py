"""Why personal data is viewed: the purposes written into the audit log.

They are stored in English, whatever language the viewer chose, so the log reads the same for
every auditor and can be searched; the audit page shows them translated.
"""

from django.utils.translation import gettext_noop

DIRECTORY_LIST = gettext_noop("Partnership directory: list of people")
DIRECTORY_PROFILE = gettext_noop("Partnership directory: a person's details")
AUDIT_SEARCH = gettext_noop("Audit: searching the log")
AUDIT_EXPORT = gettext_noop("Audit: exporting the log")
PROGRAMME_OWNER = gettext_noop("Programme: the senior responsible owner's name")
PROGRAMME_GOVERNANCE = gettext_noop("Programme governance: the owner, board members and leads")
