"""Settings for the training load test: production's, with three changes for a server reached over
plain HTTP on this machine's loopback address, with no TLS-terminating proxy in front.

Everything else is production's (tip.settings.production): DEBUG off, PostgreSQL, Argon2,
WhiteNoise's compressed manifest storage (so `collectstatic` runs first), the database task
queue, the same middleware, templates and logging. The changes:

- SECURE_SSL_REDIRECT off: production redirects every plain-HTTP request to HTTPS, which a
  proxy in front of gunicorn normally terminates; here there is no proxy.
- SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE off: a client does not send cookies marked Secure
  over plain HTTP, so the load-test users would lose their session after the first response.

Strict-Transport-Security is left as it is (Django sends it only over HTTPS). A redirect and
two cookie flags: none changes the work a request does on the server.
STATIC_ROOT is the benchmark's own folder, so the benchmark never touches var/static.

Use: DJANGO_SETTINGS_MODULE=bench_settings with benchmarks/ on the Python path, and the
environment production needs (TIP_SECRET_KEY, DATABASE_URL, TIP_ALLOWED_HOSTS, TIP_BASE_URL);
benchmarks/bench_training.py sets all of them.
"""

from __future__ import annotations

import os
from pathlib import Path

from tip.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

STATIC_ROOT = Path(os.environ.get("TIP_BENCH_STATIC_ROOT", BASE_DIR / "var" / "bench-static"))  # noqa: F405
