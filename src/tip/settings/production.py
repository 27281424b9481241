"""Production settings: PostgreSQL, HTTPS only, every secret from the environment."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


SECRET_KEY = _required("TIP_SECRET_KEY")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL to the PostgreSQL database, e.g. postgres://...")


def _base_url(allowed_hosts: list[str]) -> str:
    """Links in emails: TIP_BASE_URL, else the first exact allowed host over HTTPS."""
    from_env = os.environ.get("TIP_BASE_URL")
    if from_env:
        return from_env.rstrip("/")
    exact = [h for h in allowed_hosts if h != "*" and not h.startswith(".")]
    if not exact:
        raise ImproperlyConfigured(
            "Set TIP_BASE_URL to the address people reach TIP at, e.g. https://tip.example.org."
        )
    return f"https://{exact[0]}"


TIP_BASE_URL = _base_url(ALLOWED_HOSTS)  # noqa: F405

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_HOST = os.environ.get("TIP_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TIP_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TIP_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TIP_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("TIP_EMAIL_USE_TLS", "1") == "1"

# GOV.UK Notify instead of SMTP when a key and a template are given (see tip.core.mail_notify).
TIP_NOTIFY_API_KEY = os.environ.get("TIP_NOTIFY_API_KEY", "")
TIP_NOTIFY_TEMPLATE_ID = os.environ.get("TIP_NOTIFY_TEMPLATE_ID", "")
if TIP_NOTIFY_API_KEY:
    EMAIL_BACKEND = "tip.core.mail_notify.NotifyEmailBackend"
