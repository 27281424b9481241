"""Browser tests: real Chromium, driven by Playwright, against pytest-django's live server.

Every page a browser test opens goes through `visit` (or `submit` after a form is sent), and
both run axe-core on the rendered page: a WCAG 2.2 AA violation anywhere fails the test that
found it. Nothing here skips: without Chromium the suite fails and says how to install it.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Request,
    Response,
    sync_playwright,
)

from tests.conftest import signed_in_client
from tip.core.models import User

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000

# Attributes the `open_page` fixture sets on each page it opens.
_PROBLEMS_KEY = "tip_problems"
_MIRROR_KEY = "tip_axe_mirror"


def _chromium_path() -> str:
    """The system's Chromium (as scripts/ensure-chromium.sh installs it), or TIP_CHROMIUM."""
    wanted = os.environ.get("TIP_CHROMIUM") or shutil.which("chromium")
    if not wanted or not (os.path.isfile(wanted) and os.access(wanted, os.X_OK)):
        pytest.fail(
            f"The browser tests need Chromium, and none was found ({wanted or 'not on PATH'}). "
            "Install it with `make browser-deps` (or `sudo apt-get install chromium`), or set "
            "TIP_CHROMIUM to its path.",
            pytrace=False,
        )
    return wanted


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = _chromium_path()
    # Playwright's sync API keeps an event loop running in this thread for as long as the
    # browser is open, and Django refuses database access from a thread with a running loop
    # unless told it is safe. It is: the loop only drives the browser.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- axe ------------------------------------------------------------------------------------


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE_SCRIPT.relative_to(REPO_ROOT)}): run `npm ci`.",
            pytrace=False,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


_SCRIPT_TAG = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_HEAD_TAG = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def _mirror_for_axe(page: Page, mirror: Page) -> Page:
    """axe-core cannot finish where JavaScript is switched off (its promises never settle), so
    copy the page's document, scripts removed, into a page that runs JavaScript. Its <base>
    keeps the stylesheet and images loading, so colour contrast is checked as rendered."""
    html = _SCRIPT_TAG.sub("", page.content())
    base = f'<base href="{escape(page.url)}">'
    html, found = _HEAD_TAG.subn(lambda m: m.group(0) + base, html, count=1)
    assert found, f"No <head> on {page.url}"
    mirror.set_content(html, wait_until="load")
    return mirror


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its WCAG 2.2 AA violations."""
    mirror: Page | None = getattr(page, _MIRROR_KEY, None)
    if mirror is not None:
        page = _mirror_for_axe(page, mirror)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated rather than added as a <script>: the context bypasses the site's CSP,
        # which rightly forbids inline scripts, only so that axe-core can run.
        page.evaluate(_axe_source())
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target, html: n.html, summary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )
    return result


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def axe_check(page: Page) -> None:
    """Fail unless axe-core finds no WCAG 2.2 A/AA violations on the page."""
    violations = axe_violations(page)
    assert not violations, describe_violations(page.url, violations)


# --- pages ----------------------------------------------------------------------------------


@dataclass
class PageProblems:
    """What went wrong in the page besides markup: script errors and assets that failed."""

    errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)

    def take(self) -> list[str]:
        found = [f"JavaScript error: {e}" for e in self.errors]
        found += [f"Asset failed to load: {a}" for a in self.failed_assets]
        self.errors.clear()
        self.failed_assets.clear()
        return found


def _watch(page: Page) -> PageProblems:
    problems = PageProblems()
    page.on("pageerror", lambda exc: problems.errors.append(str(exc)))

    def on_response(response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            problems.failed_assets.append(f"{response.status} {response.url}")

    def on_request_failed(request: Request) -> None:
        # Leaving a page cancels what it was still loading; that is not a fault.
        if request.failure != "net::ERR_ABORTED":
            problems.failed_assets.append(f"{request.failure} {request.url}")

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    return problems


def check_page(page: Page) -> None:
    """After a page has loaded: no script errors, no missing assets, one <h1>, and no axe
    violations."""
    page.wait_for_load_state("load")
    problems: PageProblems | None = getattr(page, _PROBLEMS_KEY, None)
    if problems is not None:
        found = problems.take()
        assert not found, f"Problems on {page.url}:\n" + "\n".join(found)
    # One main heading, so the page's outline starts in one place (axe only checks for any).
    headings = page.locator("h1").all_inner_texts()
    assert len(headings) == 1, f"{page.url} has {len(headings)} <h1> headings: {headings}"
    axe_check(page)


def visit(page: Page, path: str, *, status: int = 200) -> Response:
    """Open `path` (relative to the live server), check its status, then check the page."""
    response = page.goto(path)
    assert response is not None, f"No response for {path}"
    assert response.status == status, f"{path} answered {response.status}, not {status}"
    check_page(page)
    return response


def submit(page: Page, control: Locator | Callable[[], None], *, status: int = 200) -> None:
    """Send a form by clicking `control` (or running a callable, such as a key press), wait
    for the page it renders, and check that page."""
    with page.expect_navigation() as navigation:
        if callable(control) and not isinstance(control, Locator):
            control()
        else:
            control.click()
    response = navigation.value
    assert response is not None
    assert response.status == status, f"{page.url} answered {response.status}, not {status}"
    check_page(page)


def session_cookie_for(user: User, *, verified: bool = True) -> str:
    """A signed-in session, past the second factor unless `verified` is false."""
    if verified:
        client = signed_in_client(user)
    else:
        client = Client()
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(browser: Browser, live_server: Any) -> Iterator[OpenPage]:
    """Open a page in a new browser context: `open_page(user=..., language="cy",
    javascript=False)`. With `user`, the context starts signed in as them, past the second
    factor unless `verified=False`."""
    contexts: list[BrowserContext] = []

    def _open(
        *,
        user: User | None = None,
        verified: bool = True,
        language: str = "en",
        javascript: bool = True,
    ) -> Page:
        # bypass_csp lets axe-core run; the site's own CSP forbids inline scripts.
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,
            java_script_enabled=javascript,
            locale="en-GB",
        )
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        cookies: list[Any] = []
        if language != "en":
            cookies.append(
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
            )
        if user is not None:
            cookies.append(
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_cookie_for(user, verified=verified),
                    "url": live_server.url,
                }
            )
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        setattr(page, _PROBLEMS_KEY, _watch(page))
        if not javascript:
            mirror_context = browser.new_context(bypass_csp=True, locale="en-GB")
            contexts.append(mirror_context)
            mirror_context.set_default_timeout(TIMEOUT_MS)
            setattr(page, _MIRROR_KEY, mirror_context.new_page())
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A signed-out page, in English, with JavaScript."""
    return open_page()


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def setup_key_code(setup_key: str) -> str:
    """The code an authenticator app shows for the setup key printed on the set-up page."""
    key = base64.b32decode(setup_key.replace(" ", "").upper())
    return str(TOTP(key, 30, 0, 6).token()).zfill(6)
