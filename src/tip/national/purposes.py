"""Why the national view and the sharing pages write 'view' audit entries (stored in English)."""

from django.utils.translation import gettext_noop

NATIONAL_VIEW = gettext_noop("National view: pooled aggregates of partnerships")
SHARING_DOWNLOAD = gettext_noop("Sharing: downloading a programme's aggregate")
