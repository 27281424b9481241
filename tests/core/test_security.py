"""Security: password hashing, the second factor, lockout, sessions, CSRF, the
Content-Security-Policy, production settings, password reset and invitations."""

from __future__ import annotations

import base64
import importlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks.signals import task_enqueued

import tip.settings
import tip.settings.base as base_settings
from tests.conftest import World, signed_in_client
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tip.core import services
from tip.core.models import AuditAction, AuditEntry, Organisation, User
from tip.core.roles import Role

REPO = Path(__file__).resolve().parents[2]
TWO_FACTOR_ROLES = [Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR, Role.AUDITOR]
ONE_FACTOR_ROLES = [Role.PRACTITIONER, Role.TRAINER, Role.CHAMPION]
LOCKED_TEXT = b"Your account is locked"


# --- helpers ---------------------------------------------------------------------------------


def totp_now(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the person's authenticator app shows now (or `offset_steps` steps away)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that no tolerated time step accepts."""
    accepted = {totp_now(device, offset_steps=s) for s in range(-2, 3)}
    return next(c for c in ("000000", "111111", "123456", "999999") if c not in accepted)


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post("/accounts/sign-in/", {"username": email, "password": password, **extra})


def next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["next"][0]


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def enqueued_tasks() -> Iterator[list[Any]]:
    """Every background task enqueued while the test runs."""
    seen: list[Any] = []

    def receiver(sender: Any, task_result: Any, **kwargs: Any) -> None:
        seen.append(task_result)

    task_enqueued.connect(receiver)
    yield seen
    task_enqueued.disconnect(receiver)


# --- passwords -------------------------------------------------------------------------------


def test_argon2_is_the_first_password_hasher_in_base_settings(db: None) -> None:
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # And it works here: the argon2 library is installed.
    with override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS):
        encoded = make_password("a long and unguessable phrase")
        assert encoded.startswith("argon2$")
        assert check_password("a long and unguessable phrase", encoded)


# --- two-factor sign-in ----------------------------------------------------------------------

PAGES_BEHIND_TWO_FACTOR = [
    "/dashboard/",
    "/organisations/",
    "/organisations/new/",
    "/people/",
    "/people/new/",
    "/audit/",
    "/account/api-tokens/",
    "/admin/",
]


@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_roles_that_see_others_records_must_pass_the_second_factor_on_every_page(
    world_a: World, role: str
) -> None:
    client = Client()
    client.force_login(world_a.user(role))
    for path in PAGES_BEHIND_TWO_FACTOR:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/two-factor/"), path
        assert next_of(response["Location"]) == path
    # The start page sends them on to the dashboard, which asks for the code again.
    assert client.get("/").url == "/dashboard/"
    # With no device yet, the second-factor page sends them to set one up.
    response = client.get("/accounts/two-factor/?next=/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/set-up/")
    assert next_of(response["Location"]) == "/people/"


def test_staff_must_pass_the_second_factor(db: None) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    for path in ["/admin/", "/dashboard/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/")


@pytest.mark.parametrize("role", ONE_FACTOR_ROLES)
def test_other_roles_go_straight_in(world_a: World, role: str) -> None:
    client = Client()
    response = sign_in(client, world_a.user(role).email)
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/organisations/").status_code == 200


def test_pages_open_to_everyone_stay_open_before_the_second_factor(world_a: World) -> None:
    client = Client()
    client.force_login(world_a.user(Role.PARTNERSHIP_ADMIN))
    for path in [
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/support/",
        "/accounts/two-factor/set-up/",
    ]:
        assert client.get(path).status_code == 200, path


def test_public_pages_stay_open_before_the_second_factor(world_a: World) -> None:
    """Pages anyone may open signed out (a certificate check, a survey's personal link) are not
    shut to someone signed in who still owes their second factor."""
    client = Client()
    client.force_login(world_a.user(Role.EVALUATOR))
    response = client.get("/training/certificates/check/")
    assert response.status_code == 200
    # A page that is not public still goes to the second factor.
    assert client.get("/training/").status_code == 302


def test_a_query_string_survives_the_detour_through_the_second_factor(world_a: World) -> None:
    client = Client()
    client.force_login(world_a.user(Role.PARTNERSHIP_ADMIN))
    response = client.get("/people/?sort=name&page=2")
    assert next_of(response["Location"]) == "/people/?sort=name&page=2"


def test_set_up_shows_a_qr_code_and_the_key(world_a: World) -> None:
    client = Client()
    sign_in(client, world_a.user(Role.EVALUATOR).email)
    response = client.get("/accounts/two-factor/set-up/")
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=world_a.user(Role.EVALUATOR), confirmed=False)
    content = response.content.decode()
    assert "<svg" in content
    key = base64.b32encode(device.bin_key).decode()
    assert " ".join(key[i : i + 4] for i in range(0, len(key), 4)) in content
    # Reloading the page keeps the same key, so a half-finished set-up can be resumed.
    client.get("/accounts/two-factor/set-up/")
    assert TOTPDevice.objects.filter(user=device.user).count() == 1


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_set_up_refuses_a_wrong_code_then_accepts_the_right_one(world_a: World) -> None:
    user = world_a.user(Role.PARTNERSHIP_ADMIN)
    client = Client()
    sign_in(client, user.email)
    first = client.get("/people/")
    setup_url = client.get(first["Location"])["Location"]
    client.get(setup_url)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(setup_url, {"token": wrong_code(device), "next": "/people/"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"The security code is not right" in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/people/").status_code == 302

    response = client.post(setup_url, {"token": totp_now(device), "next": "/people/"})
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/people/").status_code == 200
    # Once an app is linked, the set-up page no longer offers a new key.
    assert client.get("/accounts/two-factor/set-up/")["Location"] == "/accounts/two-factor/"


def test_a_linked_app_code_lets_the_person_in_on_later_sign_ins(world_a: World) -> None:
    user = world_a.user(Role.AUDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    sign_in(client, user.email)
    assert client.get("/accounts/two-factor/").status_code == 200
    response = client.post(
        "/accounts/two-factor/", {"token": wrong_code(device), "next": "/audit/"}
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert client.get("/audit/").status_code == 302


def test_the_right_code_on_a_later_sign_in_opens_the_pages(world_a: World) -> None:
    user = world_a.user(Role.AUDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    sign_in(client, user.email)
    response = client.post("/accounts/two-factor/", {"token": totp_now(device), "next": "/audit/"})
    assert response["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
    ],
)
def test_next_cannot_send_anyone_off_site(world_a: World, next_url: str) -> None:
    user = world_a.user(Role.PROGRAMME_LEAD)
    client = Client()
    sign_in(client, user.email)
    client.get("/accounts/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        f"/accounts/two-factor/set-up/?next={next_url}",
        {"token": totp_now(device), "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_sign_in_next_cannot_send_anyone_off_site(world_a: World) -> None:
    client = Client()
    response = sign_in(client, world_a.user(Role.TRAINER).email, next="https://evil.example/")
    assert response["Location"] == "/dashboard/"
    client = Client()
    response = sign_in(client, world_a.user(Role.TRAINER).email, next="/organisations/")
    assert response["Location"] == "/organisations/"


# --- lockout -------------------------------------------------------------------------------


def test_five_failed_sign_ins_lock_the_account_even_against_the_right_password(
    world_a: World,
) -> None:
    email = world_a.user(Role.PRACTITIONER).email
    client = Client()
    for attempt in range(1, 5):
        response = sign_in(client, email, "not-the-password")
        assert response.status_code == 200, attempt
        assert b"There is a problem" in response.content
        assert LOCKED_TEXT not in response.content
    # The fifth failure locks the account, and says so.
    response = sign_in(client, email, "not-the-password")
    assert response.status_code in {403, 429}
    assert LOCKED_TEXT in response.content
    # The sixth attempt is refused even with the right password.
    response = sign_in(client, email, PASSWORD)
    assert response.status_code in {403, 429}
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert LOCKED_TEXT in response.content
    assert not is_signed_in(client)
    assert client.get("/dashboard/").status_code == 302


def test_the_lock_is_for_that_email_only(world_a: World) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, world_a.user(Role.PRACTITIONER).email, "not-the-password")
    response = sign_in(client, world_a.user(Role.TRAINER).email)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_successful_sign_in_before_the_limit_resets_the_count(world_a: World) -> None:
    email = world_a.user(Role.CHAMPION).email
    client = Client()
    for _ in range(4):
        assert sign_in(client, email, "not-the-password").status_code == 200
    assert sign_in(client, email).status_code == 302
    client.post("/accounts/sign-out/")
    for _ in range(4):
        assert sign_in(client, email, "not-the-password").status_code == 200
    assert sign_in(client, email).status_code == 302
    assert is_signed_in(client)


def test_failed_sign_ins_are_audited_without_the_password(world_a: World) -> None:
    email = world_a.user(Role.TRAINER).email
    password_tried = "Tr0ub4dor&3-secret-guess"
    sign_in(Client(), email, password_tried)
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert entry.actor is None
    assert entry.actor_email == email
    for entry_values in AuditEntry.objects.values():
        assert password_tried not in json.dumps(entry_values, default=str)
    # A good sign-in is recorded too, against the person.
    sign_in(Client(), email)
    assert AuditEntry.objects.filter(
        action=AuditAction.SIGN_IN, actor=world_a.user(Role.TRAINER)
    ).exists()


# --- sessions and CSRF ---------------------------------------------------------------------


def test_session_settings() -> None:
    assert settings.SESSION_COOKIE_AGE <= 2 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE in {"Lax", "Strict"}


def test_the_session_cookie_is_http_only_and_ends_with_the_browser(world_a: World) -> None:
    client = Client()
    sign_in(client, world_a.user(Role.TRAINER).email)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["expires"]
    assert not cookie["max-age"]
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_csrf_is_enforced_on_sign_in(world_a: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, world_a.user(Role.TRAINER).email)
    assert response.status_code == 403
    assert not is_signed_in(client)
    # With the token from the form, the same request works.
    client.get("/accounts/sign-in/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = sign_in(client, world_a.user(Role.TRAINER).email, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_csrf_is_enforced_on_changes(world_a: World) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    client = signed_in_client(admin)
    client.handler.enforce_csrf_checks = True  # type: ignore[attr-defined]
    response = client.post("/organisations/new/", {"name": "Forged", "sector": "police"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Forged").exists()
    for path in ["/accounts/sign-out/", "/partnership/switch/"]:
        assert client.post(path).status_code == 403, path
    assert is_signed_in(client)


# --- Content-Security-Policy and framing ----------------------------------------------------


def csp_directives(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class _ScriptFinder(HTMLParser):
    """Collects what a strict Content-Security-Policy would block: inline scripts, inline
    event handlers and javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not names.get("src"):
                self.problems.append("a <script> without src")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an inline {name} handler on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"a javascript: URL on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("code inside a <script> element")


def inline_script_problems(html: str) -> list[str]:
    finder = _ScriptFinder()
    finder.feed(html)
    return finder.problems


def main_pages(world: World) -> list[tuple[Client, str, int]]:
    admin = signed_in_client(world.user(Role.PARTNERSHIP_ADMIN))
    auditor = signed_in_client(world.user(Role.AUDITOR))
    practitioner = signed_in_client(world.user(Role.PRACTITIONER))
    anonymous = Client()
    unverified = Client()
    unverified.force_login(world.user(Role.EVALUATOR))
    org = world.organisations[1]
    person = world.members[Role.TRAINER]
    return [
        (anonymous, "/", 200),
        (anonymous, "/accounts/sign-in/", 200),
        (anonymous, "/accounts/password-reset/", 200),
        (anonymous, "/accounts/password-reset/sent/", 200),
        (anonymous, "/accounts/reset/MQ/not-a-token/", 200),
        (anonymous, "/accessibility/", 200),
        (anonymous, "/privacy/", 200),
        (anonymous, "/cookies/", 200),
        (anonymous, "/support/", 200),
        (anonymous, "/no-such-page/", 404),
        (unverified, "/accounts/two-factor/set-up/", 200),
        (admin, "/dashboard/", 200),
        (admin, "/organisations/", 200),
        (admin, "/organisations/new/", 200),
        (admin, f"/organisations/{org.pk}/", 200),
        (admin, f"/organisations/{org.pk}/edit/", 200),
        (admin, f"/organisations/{org.pk}/remove/", 200),
        (admin, "/people/", 200),
        (admin, "/people/new/", 200),
        (admin, f"/people/{person.pk}/", 200),
        (admin, f"/people/{person.pk}/edit/", 200),
        (admin, f"/people/{person.pk}/remove/", 200),
        (admin, "/account/api-tokens/", 200),
        (auditor, "/audit/", 200),
        (practitioner, "/people/", 403),
    ]


def test_pages_send_a_strict_content_security_policy(world_a: World) -> None:
    for client, path, status in main_pages(world_a):
        response = client.get(path)
        assert response.status_code == status, path
        header = response["Content-Security-Policy"]
        directives = csp_directives(response)
        assert directives["script-src"] == ["'self'"], path
        assert directives["default-src"] == ["'self'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        assert directives["object-src"] == ["'none'"], path
        assert "'unsafe-inline'" not in header, path
        assert "'unsafe-eval'" not in header, path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path


def test_no_page_has_inline_scripts(world_a: World) -> None:
    for client, path, status in main_pages(world_a):
        response = client.get(path)
        assert response.status_code == status, path
        html = response.content.decode()
        assert "<script" in html, f"{path}: the page should load its script from a file"
        assert inline_script_problems(html) == [], path


def test_the_locked_page_has_no_inline_scripts(world_a: World) -> None:
    client = Client()
    for _ in range(5):
        response = sign_in(client, world_a.user(Role.TRAINER).email, "not-the-password")
    assert LOCKED_TEXT in response.content
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert inline_script_problems(response.content.decode()) == []


def test_the_script_finder_catches_inline_code() -> None:
    assert inline_script_problems('<script src="/static/tip/init.js"></script>') == []
    assert inline_script_problems("<script>alert(1)</script>")
    assert inline_script_problems('<button onclick="go()">Go</button>')
    assert inline_script_problems('<a href="javascript:go()">Go</a>')


# --- production settings -------------------------------------------------------------------


_PASSED_THROUGH = {
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "PYTHONPATH",
    "SYSTEMROOT",
}


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    # A project home of its own, so the check does not depend on this checkout's build state.
    for folder in ["node_modules/govuk-frontend/dist/govuk", "build/static", "var"]:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    # Only what a process needs to run: nothing from the test run (DJANGO_*, TIP_*) leaks in.
    env = {k: v for k, v in os.environ.items() if k in _PASSED_THROUGH}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tip.settings.production",
            "TIP_HOME": str(tmp_path),
            "TIP_SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
            "TIP_ALLOWED_HOSTS": "tip.example.org",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def test_production_settings_pass_the_deployment_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tip.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


@pytest.fixture
def fresh_production_import(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Import the production settings anew under a chosen environment, then put things back."""

    def _import(tmp_path: Path, **overrides: str | None) -> Any:
        for key in list(os.environ):
            if key.startswith("TIP_") or key == "DATABASE_URL":
                monkeypatch.delenv(key)
        for key, value in production_env(tmp_path, **overrides).items():
            if key.startswith("TIP_") or key == "DATABASE_URL":
                monkeypatch.setenv(key, value)
        for name in ["tip.settings.base", "tip.settings.production"]:
            monkeypatch.delitem(sys.modules, name, raising=False)
            monkeypatch.setattr(tip.settings, name.rsplit(".", 1)[1], None, raising=False)
        return importlib.import_module("tip.settings.production")

    monkeypatch.setattr(tip.settings, "base", base_settings)
    return _import


@pytest.mark.parametrize("variable", ["TIP_SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without(
    fresh_production_import: Any, tmp_path: Path, variable: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=variable):
        fresh_production_import(tmp_path, **{variable: None})


def test_production_email_links_use_the_site_address(
    fresh_production_import: Any, tmp_path: Path
) -> None:
    production = fresh_production_import(tmp_path)
    assert production.TIP_BASE_URL == "https://tip.example.org"
    assert production.DEBUG is False
    production = fresh_production_import(tmp_path, TIP_BASE_URL="https://tip.example.org/vru/")
    assert production.TIP_BASE_URL == "https://tip.example.org/vru"
    with pytest.raises(ImproperlyConfigured, match="TIP_BASE_URL"):
        fresh_production_import(tmp_path, TIP_ALLOWED_HOSTS=".example.org")


# --- password reset ------------------------------------------------------------------------

LINK = re.compile(r"https?://[^\s]+/accounts/reset/[^\s/]+/[^\s/]+/")


def reset_link(message: mail.EmailMessage) -> str:
    found = LINK.search(str(message.body))
    assert found, message.body
    return found.group(0)


def choose_password(client: Client, link: str, password: str) -> Any:
    """Follow an emailed link and choose a password, as the person would."""
    path = urlsplit(link).path
    response = client.get(path)
    assert response.status_code == 302, "a valid link moves the token out of the address"
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_password_reset_emails_a_link_through_the_background_worker(
    world_a: World, enqueued_tasks: list[Any]
) -> None:
    user = world_a.user(Role.TRAINER)
    response = Client().post("/accounts/password-reset/", {"email": user.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert [t.task.name for t in enqueued_tasks] == ["send_email"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert reset_link(mail.outbox[0]).startswith("http://testserver/accounts/reset/")


def test_a_reset_link_works_once(world_a: World) -> None:
    user = world_a.user(Role.TRAINER)
    client = Client()
    client.post("/accounts/password-reset/", {"email": user.email})
    link = reset_link(mail.outbox[0])
    new_password = "a new and rather long passphrase"
    response = choose_password(client, link, new_password)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reset/done/"
    assert sign_in(Client(), user.email, new_password).status_code == 302
    # The same link again: refused, with a way to ask for a new one.
    again = Client().get(urlsplit(link).path, follow=True)
    assert b"This link has expired" in again.content
    assert b"new_password1" not in again.content


@pytest.mark.parametrize(
    ("elapsed", "works"),
    [(timedelta(minutes=59), True), (timedelta(hours=1, seconds=1), False)],
)
def test_a_reset_link_expires_after_an_hour(
    world_a: World, monkeypatch: pytest.MonkeyPatch, elapsed: timedelta, works: bool
) -> None:
    assert base_settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    user = world_a.user(Role.TRAINER)
    Client().post("/accounts/password-reset/", {"email": user.email})
    link = reset_link(mail.outbox[0])
    later = PasswordResetTokenGenerator._now(PasswordResetTokenGenerator()) + elapsed
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    response = Client().get(urlsplit(link).path, follow=True)
    assert (b"new_password1" in response.content) is works
    assert (b"This link has expired" in response.content) is not works


def test_password_reset_does_not_reveal_who_has_an_account(world_a: World) -> None:
    inactive = UserFactory(email="left@alpha.example", is_active=False)
    answers = []
    for email in [world_a.user(Role.TRAINER).email, "nobody@alpha.example", inactive.email]:
        client = Client()
        response = client.post("/accounts/password-reset/", {"email": email})
        followed = client.get(response["Location"]).content.decode()
        # The forms' CSRF tokens differ by design; the rest of the page must not.
        followed = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", followed)
        answers.append((response.status_code, response["Location"], followed))
    assert answers[0] == answers[1] == answers[2]
    assert len(mail.outbox) == 1


# --- invitations ---------------------------------------------------------------------------


@override_settings(TIP_BASE_URL="https://tip.example.org")
def test_a_new_person_is_invited_to_choose_a_password(
    world_a: World, enqueued_tasks: list[Any]
) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    membership = services.membership_create(
        partnership=world_a.partnership,
        email="New.Person@alpha.example",
        full_name="New Person",
        organisation=world_a.organisations[0],
        roles=[Role.PRACTITIONER],
        by=admin,
    )
    assert not membership.user.has_usable_password()
    assert [t.task.name for t in enqueued_tasks] == ["send_email"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@alpha.example"]
    assert world_a.partnership.name in message.subject
    assert admin.full_name in str(message.body)
    link = reset_link(message)
    assert link.startswith("https://tip.example.org/accounts/reset/")

    client = Client()
    password = "my own long passphrase here"
    assert choose_password(client, link, password).status_code == 302
    assert sign_in(Client(), "new.person@alpha.example", password).status_code == 302
    # The invitation works once.
    assert b"This link has expired" in Client().get(urlsplit(link).path, follow=True).content


def test_adding_someone_through_the_page_sends_the_invitation(world_a: World) -> None:
    client = signed_in_client(world_a.user(Role.PARTNERSHIP_ADMIN))
    response = client.post(
        "/people/new/",
        {
            "full_name": "Page Person",
            "email": "page.person@alpha.example",
            "organisation": world_a.organisations[1].pk,
            "roles": [Role.TRAINER],
        },
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["page.person@alpha.example"]]
    assert "/accounts/reset/" in str(mail.outbox[0].body)


def test_an_existing_account_is_not_invited_again(world_a: World, world_b: World) -> None:
    someone = world_b.user(Role.TRAINER)
    services.membership_create(
        partnership=world_a.partnership,
        email=someone.email,
        full_name=someone.full_name,
        organisation=world_a.organisations[0],
        roles=[Role.TRAINER],
        by=world_a.user(Role.PARTNERSHIP_ADMIN),
    )
    assert mail.outbox == []


def test_an_invited_person_whose_link_expired_can_ask_for_a_new_one(world_a: World) -> None:
    services.membership_create(
        partnership=world_a.partnership,
        email="late@alpha.example",
        full_name="Late Reader",
        organisation=world_a.organisations[0],
        roles=[Role.PRACTITIONER],
        by=world_a.user(Role.PARTNERSHIP_ADMIN),
    )
    mail.outbox.clear()
    Client().post("/accounts/password-reset/", {"email": "late@alpha.example"})
    assert [m.to for m in mail.outbox] == [["late@alpha.example"]]
    assert (
        choose_password(Client(), reset_link(mail.outbox[0]), "finally a password").status_code
        == 302
    )


def test_an_invitation_is_only_for_the_person_invited(world_a: World) -> None:
    # A link for one account does not open another's.
    services.membership_create(
        partnership=world_a.partnership,
        email="first@alpha.example",
        full_name="First Person",
        organisation=world_a.organisations[0],
        roles=[Role.PRACTITIONER],
        by=world_a.user(Role.PARTNERSHIP_ADMIN),
    )
    link = reset_link(mail.outbox[0])
    other = MembershipFactory(partnership=world_a.partnership).user
    _uid, token = urlsplit(link).path.rstrip("/").split("/")[-2:]
    forged = f"/accounts/reset/{urlsafe_base64_encode(force_bytes(other.pk))}/{token}/"
    assert b"This link has expired" in Client().get(forged, follow=True).content
    assert User.objects.get(pk=other.pk).check_password(PASSWORD)
