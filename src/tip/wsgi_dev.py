"""WSGI entry for the demo: the same application under the demo settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tip.settings.dev")
application = get_wsgi_application()
