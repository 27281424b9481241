"""Settings for the test suite. DATABASE_URL selects PostgreSQL; otherwise SQLite."""

from __future__ import annotations

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-not-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Fast hashing keeps the suite quick; production uses Argon2 (see base).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TIP_DEMO = True
# Tests change data and look again at once; the cache has its own test.
TIP_DASHBOARD_CACHE_SECONDS = 0
TIP_REPORT_CACHE_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the finders; the suite never runs collectstatic.
WHITENOISE_USE_FINDERS = True
