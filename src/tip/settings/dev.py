"""Settings for the demo and local development on the embedded SQLite database."""

from __future__ import annotations

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR


def _local_secret_key() -> str:
    """The environment's key, else one generated once for this checkout and kept under var/."""
    from_env = os.environ.get("TIP_SECRET_KEY")
    if from_env:
        return from_env
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret_key()
DEBUG = os.environ.get("TIP_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
TIP_DEMO = True
# The demo serves static files straight from the finders, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
