"""Settings shared by every environment. Secrets and hosts come from the environment only."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

# The project home holds node_modules/, build/ and var/. From a source checkout it is the
# repository root; an installed deployment points TIP_HOME at its own folder.
BASE_DIR = Path(os.environ.get("TIP_HOME", Path(__file__).resolve().parents[3]))
VAR_DIR = BASE_DIR / "var"

DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("TIP_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TIP_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "govuk_frontend_django",
    "tip.core",
    "tip.programmes",
    "tip.training",
    "tip.evaluation",
    "tip.national",
    "tip.language",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tip.core.middleware.TenancyMiddleware",
    "tip.core.middleware.ApiMethodNotAllowedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tip.core.middleware.TextHintsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tip.urls"
WSGI_APPLICATION = "tip.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tip.core.context_processors.tip",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'tip.sqlite3'}",
        conn_max_age=int(os.environ.get("TIP_DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:start"
# Password-reset links expire after an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Sessions end after two hours of inactivity, and when the browser closes.
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lock an account (per email and address) after five failed sign-ins, for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/account_locked.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "TIP"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [Path(__file__).resolve().parents[1] / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("govuk-frontend", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    BASE_DIR / "build" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files (course materials) are private: kept apart from the static files, under var/
# unless TIP_MEDIA_ROOT says otherwise, and never served at a URL of their own (MEDIA_URL stays
# unset and no route serves MEDIA_ROOT). Only views that check the partnership and the person's
# roles send them.
MEDIA_ROOT = Path(os.environ.get("TIP_MEDIA_ROOT", VAR_DIR / "media"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("TIP_FROM_EMAIL", "TIP <no-reply@tip.invalid>")
# The address people reach TIP at, for links in emails sent outside a request (invitations).
TIP_BASE_URL = os.environ.get("TIP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Marks the environment on the phase banner and lets demo-only helpers run.
TIP_DEMO = False

# How long, in seconds, a programme's delivery dashboard keeps its figures before working them out
# again (0: on every request). The page says when they were worked out. docs/training-dashboard.md
TIP_DASHBOARD_CACHE_SECONDS = int(os.environ.get("TIP_DASHBOARD_CACHE_SECONDS", "60"))

# How long, in seconds, an evaluation report (page and PDF) keeps its figures before working them
# out again (0: on every request), so the PDF downloaded after the page reuses the analyses. The
# report says when they were worked out. docs/evaluation-reports.md
TIP_REPORT_CACHE_SECONDS = int(os.environ.get("TIP_REPORT_CACHE_SECONDS", "300"))

# The secret key of the anonymous linking code's hashes (docs/evaluation-linking.md). Production
# must set its own, kept apart from the database and unchanged for the life of every evaluation
# that uses anonymous codes: a new key means no code given before it can be linked to one given
# after. Empty: a key derived from SECRET_KEY, for development and tests only (rotating
# SECRET_KEY would then break links too).
TIP_LINKING_KEY = os.environ.get("TIP_LINKING_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
