"""Hints on every free-text field in TIP, proved for every field rather than by example.

- Every text area a form in TIP declares, drawn by the `field` tag on a signed-in page, carries
  the marks: the live-check address for the script, the hidden input that names it as free text
  to the middleware, and the polite region where its hints appear.
- Every page a member can open is fetched, and every text area on it is marked (or is one of the
  few listed below, with the reason); no template writes a text area by hand.
- On every page with a marked text area, a save with harmful wording in each of them answers as
  it would without (the hints never block or change saving), and the hint shows: in the banner
  on the next page when the save succeeded, under the field when the form came back.
- A real save of a programme's aims and of an observation's notes: saved unchanged, the banner
  names the field, shows the matched words, why and what to write instead, and a "Not relevant
  here" button; shown once. A person's own recorded words (quoted) are not hinted, and a save
  with nothing to hint shows no banner.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

import tip
from tests.conftest import World, build_world, signed_in_client
from tests.routes import (
    Route,
    Side,
    Tenant,
    all_routes,
    body_for,
    holders,
    make_tenant,
    url_for,
)
from tip.core import extensions
from tip.core.middleware import FREE_TEXT_FIELD, TEXT_HINTS_SESSION_KEY
from tip.core.roles import Role
from tip.core.tenancy import bind_membership
from tip.evaluation.models import Observation
from tip.language import services as language_services
from tip.language.roles import USE_LANGUAGE_CHECKER
from tip.programmes.models import Programme

SRC = Path(tip.__file__).resolve().parent
MARK = "data-tip-language-check"
HARMFUL = "She refused to engage with support."
RULE = "refused-to-engage"
SUGGESTION = "felt unable to accept support at this time"

# --- What the checks read in a page ----------------------------------------------------------


@dataclass
class Form:
    action: str | None
    method: str
    textareas: list[dict[str, str]] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)


class _Forms(HTMLParser):
    """The page's forms, each with its text areas (their attributes) and free-text markers;
    text areas outside any form are kept in `loose`."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.loose: list[dict[str, str]] = []
        self.regions: set[str] = set()
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = Form(action=a.get("action"), method=a.get("method", "get").lower())
            self.forms.append(self._current)
        elif tag == "textarea":
            (self._current.textareas if self._current else self.loose).append(a)
        elif tag == "input" and a.get("name") == FREE_TEXT_FIELD and self._current:
            self._current.markers.append(a.get("value", ""))
        elif tag == "div" and "tip-text-hints" in a.get("class", "").split():
            self.regions.add(a.get("id", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def read_forms(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


def banner(html: str) -> str:
    """The language banner's markup, or ""."""
    match = re.search(
        r'<div class="govuk-notification-banner tip-text-hints-banner".*?</ul>\s*</div>\s*</div>',
        html,
        re.DOTALL,
    )
    return match.group(0) if match else ""


# --- Every declared text area, drawn by the tag -----------------------------------------------


def _form_modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(tip.__path__, "tip."):
        last = info.name.rsplit(".", 1)[-1]
        if last == "forms" or last.startswith("forms_"):
            yield importlib.import_module(info.name)


def _declared_textareas() -> list[tuple[str, str, forms.Field]]:
    found = []
    for module in _form_modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            for field_name, declared in cls.base_fields.items():
                if isinstance(declared.widget, forms.Textarea):
                    found.append((f"{module.__name__}.{name}", field_name, declared))
    return found


def _member_request(world: World, role: str = Role.PRACTITIONER) -> Any:
    request = RequestFactory().get("/")
    request.user = world.user(role)
    request.session = {}  # type: ignore[assignment]
    bind_membership(request, [world.members[role]])
    return request


def _draw(declared: forms.Field, request: Any, data: dict[str, str] | None = None) -> str:
    form_class = type("OneField", (forms.Form,), {"text": declared})
    form = form_class(data)
    template = Template("{% load tip %}{% field form.text %}")
    return template.render(Context({"form": form, "request": request}))


def test_the_walk_finds_the_forms_text_areas() -> None:
    names = {(where.rsplit(".", 1)[-1], name) for where, name, _f in _declared_textareas()}
    assert ("ProgrammeForm", "aims") in names
    assert len(names) >= 20, f"only {len(names)} text areas found: the walk is broken"


def test_every_declared_text_area_is_marked_and_hinted(world_a: World) -> None:
    """Each text area, drawn by the tag on a member's page, carries the marks; with harmful
    wording in a form that came back, its hint shows under it."""
    request = _member_request(world_a)
    problems = []
    for where, name, declared in _declared_textareas():
        if extensions.TEXT_HINTS_OFF in declared.widget.attrs:
            continue  # listed and explained in test_only_rule_definitions_opt_out
        html = _draw(declared, request)
        if f'{MARK}="{reverse("language:check-json")}"' not in html:
            problems.append(f"{where}.{name}: no live-check mark")
        if f'name="{FREE_TEXT_FIELD}" value="text|' not in html:
            problems.append(f"{where}.{name}: no free-text marker")
        if 'id="id_text-language-hints" aria-live="polite"' not in html:
            problems.append(f"{where}.{name}: no hints region")
        again = _draw(declared, request, {"text": HARMFUL})
        if "“refused to engage”" not in again or SUGGESTION not in again:
            problems.append(f"{where}.{name}: no hint under the field when the form came back")
    assert not problems, "\n".join(problems)


# Text areas that opt out of hints (TEXT_HINTS_OFF), and why: each is a language rule's own
# definition, where the flagged words are written on purpose.
OPTED_OUT = {
    ("tip.language.forms", "phrases"),
    ("tip.language.forms", "exceptions"),
    ("tip.language.forms", "explanation"),
    ("tip.language.forms", "suggestions"),
}


def test_only_rule_definitions_opt_out() -> None:
    opted = {
        (where.rsplit(".", 1)[0], name)
        for where, name, declared in _declared_textareas()
        if extensions.TEXT_HINTS_OFF in declared.widget.attrs
    }
    assert opted <= OPTED_OUT, (
        f"Text areas opted out of hints without a reason: {opted - OPTED_OUT}"
    )


def test_no_mark_for_the_signed_out_or_without_hints(world_a: World) -> None:
    declared = forms.CharField(label="Notes", widget=forms.Textarea)
    signed_out = RequestFactory().get("/")
    signed_out.user = AnonymousUser()
    assert FREE_TEXT_FIELD not in _draw(declared, signed_out)
    assert FREE_TEXT_FIELD not in _draw(declared, None)
    saved = extensions.text_hints()
    extensions.unregister_text_hints()
    try:
        html = _draw(declared, _member_request(world_a))
        assert FREE_TEXT_FIELD not in html and MARK not in html  # core works on its own
    finally:
        assert saved is not None
        extensions.register_text_hints(saved)


def test_without_the_checker_capability_hints_show_but_no_live_check(world_a: World) -> None:
    request = _member_request(world_a)
    request.capabilities = request.capabilities - {USE_LANGUAGE_CHECKER}
    declared = forms.CharField(label="Notes", widget=forms.Textarea)
    html = _draw(declared, request, {"text": HARMFUL})
    assert MARK not in html
    assert FREE_TEXT_FIELD in html and "“refused to engage”" in html


# --- No text area drawn by hand ------------------------------------------------------------

# Text areas on members' pages that are not marked, and why.
UNMARKED = {
    # The checker's own text box: the page itself shows every finding in it, in full.
    ("language:check", "text"),
    # A language rule's own words describe harmful wording on purpose (OPTED_OUT below).
    *(
        (page, name)
        for page in ("language:rule-create", "language:rule-edit")
        for name in ("phrases", "exceptions", "explanation", "suggestions")
    ),
}

# Python that draws a text area itself, not through the tag, and why.
DRAWN_ELSEWHERE = {
    # The survey a respondent answers by their personal link: their own words, research data.
    "evaluation/survey_forms.py",
    # The checker's own text box: the page shows the findings for it in full.
    "language/views.py",
}


def test_no_template_or_code_draws_a_text_area_by_hand() -> None:
    by_hand = re.compile(r"""<textarea|\{%\s*govuk\s+["'](textarea|character-count)["']""")
    raw = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("templates/**/*.html")
        if by_hand.search(p.read_text(encoding="utf-8"))
    ]
    assert not raw, f"Templates with a text area written by hand (use {{% field %}}): {raw}"
    drawn = {
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if re.search(r"""render\(\s*["'](textarea|character-count)["']""", p.read_text("utf-8"))
    }
    drawn.discard("core/templatetags/tip.py")
    assert drawn <= DRAWN_ELSEWHERE, f"Code drawing a text area outside the tag: {drawn}"


# --- Every page a member opens -------------------------------------------------------------


@functools.cache
def _member_pages() -> list[Route]:
    return [
        r
        for r in all_routes()
        if r.kind == "page"
        and r.access is not None
        and not r.is_public
        and not r.is_national
        and not r.is_prefix
    ]


def _role_for(route: Route) -> str:
    allowed = holders(route)
    for role in (Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR, *Role):
        if role in allowed:
            return role
    raise AssertionError(f"{route}: no role may use it")


@dataclass
class Setting:
    tenant: Tenant
    clients: dict[str, Client]


@pytest.fixture(scope="module")
def setting(django_db_setup: None, django_db_blocker: Any) -> Iterator[Setting]:
    """A partnership with every kind of record (as the route tests build it) and a signed-in
    client per role, built once for the module and rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            tenant = make_tenant(build_world("Hotel"))
            # The route tests' tenants silence the rule these tests use; silence another.
            admin = tenant.world.user(Role.PARTNERSHIP_ADMIN)
            silenced = tenant.toc["silenced_rule"]
            assert silenced.rule_id == RULE
            language_services.shipped_rule_restore(silenced=silenced, by=admin)
            tenant.toc["silenced_rule"] = language_services.shipped_rule_silence(
                partnership=tenant.partnership,
                by=admin,
                rule_id="disengaged",
                language="en",
                reason="Agreed locally",
            )
            clients = {role: signed_in_client(tenant.world.user(role)) for role in Role}
            yield Setting(tenant=tenant, clients=clients)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_every_text_area_on_every_member_page_is_marked(setting: Setting, db: None) -> None:
    problems = []
    pages_with = 0
    for route in _member_pages():
        role = _role_for(route)
        response = setting.clients[role].get(url_for(route, Side(setting.tenant, role)))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = read_forms(response.content.decode())
        areas = [
            a
            for a in [a for f in page.forms for a in f.textareas] + page.loose
            if (route.name, a.get("name")) not in UNMARKED
        ]
        pages_with += bool(areas)
        for area in areas:
            if MARK not in area:
                problems.append(f"{route}: text area {area.get('name')} has no live-check mark")
            if f"{area.get('id')}-language-hints" not in page.regions:
                problems.append(f"{route}: text area {area.get('name')} has no hints region")
        for form in page.forms:
            names = {m.split("|", 1)[0] for m in form.markers}
            for area in form.textareas:
                if area.get("name") not in names and (route.name, area.get("name")) not in UNMARKED:
                    problems.append(f"{route}: {area.get('name')} is not marked as free text")
    assert pages_with >= 20, f"only {pages_with} pages have text areas: the walk is broken"
    assert not problems, "\n".join(problems)


def test_public_pages_have_no_hints(setting: Setting, db: None) -> None:
    """A survey answered by its personal link, and other public pages: no marks."""
    public = [r for r in all_routes() if r.kind == "page" and r.is_public and not r.is_prefix]
    assert public
    for route in public:
        for client in (Client(), setting.clients[Role.PRACTITIONER]):
            response = client.get(url_for(route, Side(setting.tenant, Role.PRACTITIONER)))
            html = response.content.decode(errors="replace")
            assert MARK not in html and FREE_TEXT_FIELD not in html, route


# Pages whose free text has rules of its own, so that prose there comes back as a mistake (a
# list of email addresses, an instrument's file, a language rule's phrases): the hints show
# under the field instead.
OWN_RULES = {
    "evaluation:cohort-emails",
    "evaluation:instrument-add",
    "language:rule-create",
    "language:rule-edit",
}


def _write_harmful_words(route: Route, setting: Setting) -> tuple[str, list[str]]:
    """Post the page's own example body, then again with harmful words in every free-text
    field; say how the second answered ("saved", "came back" or "" when the page has no free
    text) and what was wrong."""
    role = _role_for(route)
    client = setting.clients[role]
    side = Side(setting.tenant, role)
    path = url_for(route, side)
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return "", []
    page = read_forms(response.content.decode())
    forms_here = [
        f for f in page.forms if f.method == "post" and f.markers and f.action in (None, "", path)
    ]
    if not forms_here:
        elsewhere = [f.action for f in page.forms if f.markers]
        return "", [f"free text posted elsewhere ({elsewhere}): test it there"] if elsewhere else []
    example = dict(body_for(route, side))
    body = dict(example)
    labels = []
    for marker in forms_here[0].markers:
        name, _sep, label = marker.partition("|")
        body[name] = HARMFUL
        labels.append(label)
    body[FREE_TEXT_FIELD] = forms_here[0].markers

    sid = transaction.savepoint()
    plain = client.post(path, example).status_code
    transaction.savepoint_rollback(sid)
    posted = client.post(path, body)
    problems = []
    if posted.status_code in (302, 303):
        shown = banner(client.get(posted["Location"], follow=True).content.decode())
        problems += [
            f"the banner does not name {label!r}" for label in labels if label not in shown
        ]
        if "“refused to engage”" not in shown or SUGGESTION not in shown:
            problems.append("no hint in the banner after the save")
        if f'name="where" value="{route.name}"' not in shown:
            problems.append("the banner's feedback does not say where")
        return "saved", problems
    html = posted.content.decode()
    if posted.status_code not in (200, 400):
        problems.append(f"answered {posted.status_code}")
    if "“refused to engage”" not in html or SUGGESTION not in html or banner(html):
        problems.append("the form came back without the hint under the field")
    if plain in (302, 303) and route.name not in OWN_RULES:
        problems.append(f"the example body saves ({plain}) but not with the words in it")
    return "came back", problems


def test_every_free_text_field_shows_its_hints_when_saved(setting: Setting, db: None) -> None:
    """Harmful wording in every free-text field of every page: saving answers as it does
    without it (hints never block a save) and the hint shows, in the next page's banner after a
    save, under the field when the form comes back."""
    outcomes: dict[str, list[str]] = {"saved": [], "came back": []}
    problems = []
    for route in _member_pages():
        sid = transaction.savepoint()
        try:
            outcome, found = _write_harmful_words(route, setting)
        finally:
            transaction.savepoint_rollback(sid)
        if outcome:
            outcomes[outcome].append(route.name)
        problems += [f"{route}: {p}" for p in found]
    assert not problems, "\n".join(problems)
    assert len(outcomes["saved"]) >= 25, outcomes
    assert set(outcomes["came back"]) <= OWN_RULES, outcomes["came back"]


# --- Real saves ----------------------------------------------------------------------------


def _programme_lead(world: World) -> Client:
    return signed_in_client(world.user(Role.PROGRAMME_LEAD))


def _marker(name: str, label: str) -> str:
    return f"{name}|{label}"


def test_a_programme_save_is_unchanged_and_the_next_page_shows_the_hint(world_a: World) -> None:
    client = _programme_lead(world_a)
    aims = "We work with families. " + HARMFUL + "\nThe mum is hard to reach."
    response = client.post(
        "/programmes/new/",
        {"name": "Calm schools", "aims": aims, FREE_TEXT_FIELD: _marker("aims", "Aims (optional)")},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="Calm schools")
    assert programme.aims == aims  # saved exactly as written
    kept = client.session[TEXT_HINTS_SESSION_KEY]
    assert kept[0]["findings"][0]["text"] == "refused to engage"
    # Only the matched words of the person's text are kept, never the rest of it.
    assert "We work with families" not in str(kept)

    page = client.get(response["Location"])
    html = page.content.decode()
    shown = banner(html)
    assert "Language suggestions for what you saved" in shown
    assert "Aims (optional)" in shown
    assert "“refused to engage”" in shown and SUGGESTION in shown
    assert 'aria-labelledby="tip-text-hints-title"' in shown
    feedback = reverse("language:feedback")
    assert f'action="{feedback}"' in shown
    assert f'name="next" value="{response["Location"]}"' in shown
    assert 'name="where" value="programmes:programme-create"' in shown
    assert "Not relevant here" in shown
    # Shown once.
    assert not banner(client.get(response["Location"]).content.decode())

    # "Not relevant here" counts the rule and comes back to the page.
    back = client.post(
        feedback,
        {"rule": RULE, "where": "programmes:programme-create", "next": response["Location"]},
    )
    assert back.status_code == 302 and back["Location"] == response["Location"]


def test_an_observation_note_save_shows_the_hint(setting: Setting, db: None) -> None:
    route = next(r for r in all_routes() if r.name == "evaluation:observation-create")
    side = Side(setting.tenant, Role.EVALUATOR)
    client = setting.clients[Role.EVALUATOR]
    path = url_for(route, side)
    page = read_forms(client.get(path).content.decode())
    marker = next(m for f in page.forms for m in f.markers if m.startswith("notes|"))
    notes = "The team said the young person " + HARMFUL.lower().removeprefix("she ")
    before = Observation.objects.count()
    response = client.post(path, body_for(route, side) | {"notes": notes, FREE_TEXT_FIELD: marker})
    assert response.status_code == 302
    assert Observation.objects.count() == before + 1
    assert Observation.objects.latest("pk").notes == notes
    shown = banner(client.get(response["Location"]).content.decode())
    assert "Other notes (optional)" in shown and "refused to engage" in shown
    assert 'name="where" value="evaluation:observation-create"' in shown


def test_quoted_words_and_clean_text_bring_no_banner(world_a: World) -> None:
    client = _programme_lead(world_a)
    for name, aims in [
        ("Quoted", 'When we met she said: "I refused to engage with them, they never listened."'),
        ("Clean", "She felt unable to accept support at this time because of her shifts."),
    ]:
        response = client.post(
            "/programmes/new/",
            {"name": name, "aims": aims, FREE_TEXT_FIELD: _marker("aims", "Aims (optional)")},
        )
        assert response.status_code == 302
        assert TEXT_HINTS_SESSION_KEY not in client.session
        assert not banner(client.get(response["Location"]).content.decode())


def test_a_form_that_comes_back_shows_the_hint_under_the_field_never_as_an_error(
    world_a: World,
) -> None:
    client = _programme_lead(world_a)
    response = client.post(
        "/programmes/new/",
        {"name": "", "aims": HARMFUL, FREE_TEXT_FIELD: _marker("aims", "Aims (optional)")},
    )
    assert response.status_code in (200, 400)
    html = response.content.decode()
    region = re.search(
        r'<div class="tip-text-hints" id="id_aims-language-hints".*?</ul>', html, re.S
    )
    assert region and "“refused to engage”" in region.group(0)
    assert "govuk-error-message" not in region.group(0)
    assert 'id="id_aims-error"' not in html  # the aims are not in error
    assert not Programme.objects.filter(aims=HARMFUL).exists()
    assert TEXT_HINTS_SESSION_KEY not in client.session


def test_a_fault_in_checking_never_stops_a_save(world_a: World) -> None:
    saved = extensions.text_hints()
    assert saved is not None

    def broken(request: Any, text: str) -> list[dict[str, Any]]:
        raise RuntimeError("checker down")

    extensions.register_text_hints(
        extensions.TextHints(check=broken, live_url=saved.live_url, feedback_url=saved.feedback_url)
    )
    try:
        client = _programme_lead(world_a)
        response = client.post(
            "/programmes/new/",
            {"name": "Still saved", "aims": HARMFUL, FREE_TEXT_FIELD: "aims|Aims (optional)"},
        )
        assert response.status_code == 302
        assert Programme.objects.filter(name="Still saved", aims=HARMFUL).exists()
        assert not banner(client.get(response["Location"]).content.decode())
    finally:
        extensions.register_text_hints(saved)


def test_a_marker_naming_no_field_changes_nothing(world_a: World) -> None:
    client = _programme_lead(world_a)
    response = client.post(
        "/programmes/new/",
        {"name": "Odd", "aims": "Calm", FREE_TEXT_FIELD: ["nothing|Nothing", "|", "aims"]},
    )
    assert response.status_code == 302
    assert Programme.objects.get(name="Odd").aims == "Calm"
    assert TEXT_HINTS_SESSION_KEY not in client.session


def test_the_live_check_answers_the_script(world_a: World) -> None:
    """The address on the text area answers a form-encoded post (as hints.js sends it) with the
    findings the script draws."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world_a.user(Role.PRACTITIONER))
    page = client.get(reverse("language:check"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    response = client.post(
        reverse("language:check-json"),
        {"text": HARMFUL, "csrfmiddlewaretoken": token.group(1)},
        headers={"Accept": "application/json", "X-CSRFToken": token.group(1)},
    )
    assert response.status_code == 200
    findings = response.json()["findings"]
    assert findings[0]["text"] == "refused to engage"
    assert {"rule", "explanation", "suggestions", "start", "end"} <= set(findings[0])


def test_hints_follow_the_page_language(world_a: World) -> None:
    seen: list[str] = []
    saved = extensions.text_hints()
    assert saved is not None

    def spy(request: Any, text: str) -> list[dict[str, Any]]:
        seen.append(translation.get_language())
        return saved.check(request, text)

    extensions.register_text_hints(
        extensions.TextHints(check=spy, live_url=saved.live_url, feedback_url=saved.feedback_url)
    )
    try:
        client = _programme_lead(world_a)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
        client.post(
            "/programmes/new/",
            {"name": "Welsh", "aims": HARMFUL, FREE_TEXT_FIELD: "aims|Nodau (dewisol)"},
        )
        assert seen and seen[-1].startswith("cy")
    finally:
        extensions.register_text_hints(saved)


def test_the_script_is_self_hosted_and_loaded_on_every_page(world_a: World) -> None:
    html = _programme_lead(world_a).get("/programmes/new/").content.decode()
    assert re.search(r'<script type="module" src="/static/tip/hints\.js"></script>', html)
    script = (SRC / "core" / "static" / "tip" / "hints.js").read_text(encoding="utf-8")
    assert "data-tip-language-check" in script and "X-CSRFToken" in script
    assert "innerHTML" not in script  # hints are drawn as text, never as markup
