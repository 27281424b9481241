"""The proof that tenancy, roles and audit hold for every route.

The routes come from walking Django's URL resolver (pages, the JSON API under /api/ and the Django
admin), so a new route is covered without editing this file. Every member of partnership A, one
per role, calls every route:

* with partnership B's ids: never a server error, never a byte of B's names or email addresses,
  404 for B's ids (403 only when the role may not use the route at all; the admin sends anyone
  who is not staff to its sign-in page), and B's rows are exactly as they were;
* with A's own ids: 403 for each role without the route's capability, success for each role with
  it; pages carry their `tip_access` mark, and the API answers 403 in JSON;
* every change to tenant data (seen by post_save/post_delete signals, connected here only) comes
  with an audit entry naming the person and the partnership, and every response showing another
  person's email address comes with a 'view' entry;
* pages run a bounded number of queries, the same with 20 more organisations and people.

Each request runs in a savepoint that is rolled back afterwards, so every call starts from the same
two partnerships, whatever the one before deleted, revoked or signed out.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from tests.conftest import build_world, signed_in_client
from tests.factories import UserFactory
from tests.routes import (
    ADMIN_OBJECTS,
    ALL_API_METHODS,
    API_CAPABILITIES,
    EXAMPLES,
    KWARG_IDS,
    NO_CHANGE,
    QUERY_BOUNDS,
    Route,
    Side,
    Tenant,
    UnknownParameter,
    all_routes,
    body_for,
    example_for,
    holders,
    make_tenant,
    url_for,
)
from tip.core.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    Membership,
    MembershipRole,
    Organisation,
    Partnership,
    TenantModel,
    User,
)
from tip.core.roles import Capability, Role, roles_with

ROUTES = all_routes()
PAGES = [r for r in ROUTES if r.kind == "page"]
MEMBER_PAGES = [r for r in PAGES if r.access is not None and not r.is_public]
API_OPERATIONS = [r for r in ROUTES if r.is_operation]
ADMIN_ROUTES = [r for r in ROUTES if r.kind == "admin"]
# API operations share a path (GET, PUT, PATCH and DELETE of one organisation): call each path
# with every method once.
API_PATHS: dict[str, list[Route]] = {}
for _route in (r for r in ROUTES if r.kind == "api"):
    API_PATHS.setdefault(_route.route, []).append(_route)

CHANGE_ACTIONS = {AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE}
VIEW_ACTIONS = {AuditAction.VIEW, AuditAction.EXPORT}
SUCCESS = {200, 201, 204, 302, 303}
# Tenant data: every model of TIP's own apps but the audit log itself (MembershipRole included).
TRACKED_MODELS = frozenset(
    m for m in apps.get_models() if m.__module__.startswith("tip.") and m is not AuditEntry
)
QUERY_BOUND = 15


def _ids(routes: list[Route]) -> list[str]:
    return [r.name for r in routes]


# --- Fixtures ------------------------------------------------------------------------------------


@functools.cache
def _handler() -> ClientHandler:
    # One request handler for every client here: loading the middleware (WhiteNoise indexes the
    # static files) for each new client would take most of the module's time.
    return ClientHandler(enforce_csrf_checks=False)


def _quick(client: Client) -> Client:
    client.handler = _handler()
    return client


def member_client(user: User) -> Client:
    """Signed in as `user`, past two-factor."""
    return _quick(signed_in_client(user))


def api_client() -> Client:
    """No session: the API request carries only its token."""
    return _quick(Client())


@dataclass
class Setting:
    a: Tenant
    b: Tenant
    clients: dict[str, Client]


@pytest.fixture(scope="module")
def setting(django_db_setup: None, django_db_blocker: Any) -> Iterator[Setting]:
    """Partnerships A and B (as the world_a and world_b fixtures build them), an API token for
    every member and a signed-in client for each of A's: built once for the module inside a
    transaction rolled back at its end. Each test runs in a savepoint within it (the db fixture),
    and each request in a savepoint of its own."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            a, b = make_tenant(build_world("Alpha")), make_tenant(build_world("Bravo"))
            clients = {role: member_client(a.world.user(role)) for role in Role}
            yield Setting(a=a, b=b, clients=clients)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def tenants(setting: Setting, db: None) -> tuple[Tenant, Tenant]:
    return setting.a, setting.b


@pytest.fixture
def clients(setting: Setting, db: None) -> dict[str, Client]:
    """A signed-in client (past two-factor) for each of A's members."""
    return setting.clients


@pytest.fixture(autouse=True)
def _quiet_refusals() -> Iterator[None]:
    # Thousands of deliberate 403s and 404s: logging each with its traceback is slow and noisy.
    # Server errors are still logged.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


class Writes:
    """What the request saved or deleted in tenant data, and the audit entries it wrote, seen
    through model signals."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.audit: list[AuditEntry] = []

    def clear(self) -> None:
        self.seen.clear()
        self.audit.clear()

    def saved(self, sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        if sender is AuditEntry:
            self.audit.append(instance)
        elif sender in TRACKED_MODELS:
            self.seen.append(f"{'created' if created else 'saved'} {sender.__name__} {instance.pk}")

    def deleted(self, sender: Any, instance: Any, **kwargs: Any) -> None:
        if sender in TRACKED_MODELS:
            self.seen.append(f"deleted {sender.__name__} {instance.pk}")


@pytest.fixture
def writes() -> Iterator[Writes]:
    recorder = Writes()
    post_save.connect(recorder.saved, weak=False, dispatch_uid="route-tests-save")
    post_delete.connect(recorder.deleted, weak=False, dispatch_uid="route-tests-delete")
    yield recorder
    post_save.disconnect(dispatch_uid="route-tests-save")
    post_delete.disconnect(dispatch_uid="route-tests-delete")


class Rows:
    """Everything of a partnership's that another partnership's requests must leave alone,
    including rows elsewhere that point at it. The SQL is built once: it is read after every
    request."""

    def __init__(self, tenant: Tenant) -> None:
        p = tenant.partnership
        users = User.objects.filter(memberships__partnership=p).values("pk")
        querysets: dict[str, QuerySet[Any]] = {
            "partnership": Partnership.objects.filter(pk=p.pk).values(),
            "organisations": Organisation.objects.filter(partnership=p).order_by("pk").values(),
            "memberships": Membership.objects.filter(
                Q(partnership=p) | Q(organisation__partnership=p) | Q(user__in=users)
            )
            .order_by("pk")
            .values(),
            "roles": MembershipRole.objects.filter(membership__partnership=p)
            .order_by("pk")
            .values(),
            "tokens": ApiToken.objects.filter(Q(partnership=p) | Q(membership__partnership=p))
            .order_by("pk")
            .values(),
            "users": User.objects.filter(pk__in=users)
            .order_by("pk")
            .values("pk", "email", "full_name", "is_active", "is_staff", "password"),
        }
        # And every other tenant model, so a later app's records are covered without editing.
        listed = {Organisation, Membership, ApiToken}
        for model in apps.get_models():
            if issubclass(model, TenantModel) and model not in listed:
                querysets[model._meta.label] = (
                    model.objects.filter(partnership=p).order_by("pk").values()
                )
        self.sql = {name: qs.query.get_compiler(qs.db).as_sql() for name, qs in querysets.items()}

    def read(self) -> dict[str, list[tuple[Any, ...]]]:
        found = {}
        with transaction.get_connection().cursor() as cursor:
            for name, (sql, params) in self.sql.items():
                cursor.execute(sql, params)
                found[name] = cursor.fetchall()
        return found


def secrets_of(tenant: Tenant) -> list[str]:
    """The partnership's names and email addresses: not one may reach another partnership."""
    p = tenant.partnership
    found = [p.name]
    found += Organisation.objects.filter(partnership=p).values_list("name", flat=True)
    for full_name, email, job_title in Membership.objects.filter(partnership=p).values_list(
        "user__full_name", "user__email", "job_title"
    ):
        found += [full_name, email, job_title]
    for name, prefix in ApiToken.objects.filter(partnership=p).values_list("name", "prefix"):
        found += [name, prefix]
    return [s for s in found if s]


def _variants(text: str) -> set[bytes]:
    return {text.encode(), html.escape(text).encode(), json.dumps(text)[1:-1].encode()}


@dataclass
class Outcome:
    label: str
    method: str
    status: int
    content: bytes
    location: str
    content_type: str
    writes: list[str]
    audit: list[AuditEntry]
    foreign_rows: dict[str, list[tuple[Any, ...]]]


@dataclass
class Caller:
    """Sends requests in rolled-back savepoints and checks what must hold for every request."""

    a: Tenant
    b: Tenant
    writes: Writes
    b_rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    b_needles: list[tuple[str, set[bytes]]] = field(default_factory=list)
    emails: dict[int, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rows = Rows(self.b)
        self.b_rows = self.rows.read()
        self.b_needles = [(s, _variants(s)) for s in secrets_of(self.b)]
        self.emails = dict(User.objects.values_list("pk", "email"))

    def send(
        self,
        client: Client,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        role: str,
        api_key: str | None = None,
    ) -> Outcome:
        label = f"{method} {path} as {Role(role).label} of A"
        saved_cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            self.writes.clear()
            try:
                if api_key is not None or path.startswith("/api/"):
                    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
                    data = json.dumps(body) if body is not None else ""
                    response = client.generic(
                        method, path, data, content_type="application/json", headers=headers
                    )
                elif method == "GET":
                    response = client.get(path)
                elif method == "POST":
                    response = client.post(path, body or {})
                else:
                    response = client.generic(method, path)
            except Exception as exc:
                raise AssertionError(f"{label}: the view raised {exc!r}") from exc
            if getattr(response, "streaming", False):
                content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
            else:
                content = response.content
            outcome = Outcome(
                label=label,
                method=method,
                status=response.status_code,
                content=content,
                location=response.get("Location", ""),
                content_type=response.get("Content-Type", ""),
                writes=list(self.writes.seen),
                audit=list(self.writes.audit),
                foreign_rows=self.rows.read(),
            )
            transaction.set_rollback(True)
        client.cookies = saved_cookies
        self.check_invariants(outcome, role)
        return outcome

    def fail(self, outcome: Outcome, message: str) -> None:
        self.problems.append(f"{outcome.label}: {message}")

    def check_invariants(self, outcome: Outcome, role: str) -> None:
        """What holds for every request, whoever sends it and whatever it answers."""
        user = self.a.world.user(role)
        if outcome.status >= 500:
            self.fail(outcome, f"server error {outcome.status}")
        for text, needles in self.b_needles:
            if any(n in outcome.content for n in needles):
                self.fail(outcome, f"the response shows partnership B's {text!r}")
        if outcome.foreign_rows != self.b_rows:
            changed = [k for k in self.b_rows if self.b_rows[k] != outcome.foreign_rows[k]]
            self.fail(outcome, f"partnership B's rows changed: {', '.join(changed)}")
        mine = [
            e
            for e in outcome.audit
            if e.actor_id == user.pk and e.partnership_id == self.a.partnership.pk
        ]
        if outcome.writes and not any(e.action in CHANGE_ACTIONS for e in mine):
            self.fail(
                outcome,
                f"changed tenant data ({'; '.join(outcome.writes)}) without an audit entry for "
                f"{user.email} in partnership A (entries written: {_describe(outcome.audit)})",
            )
        if outcome.method == "GET" and outcome.status == 200:
            shown = [
                email
                for pk, email in self.emails.items()
                if pk != user.pk and email.encode() in outcome.content
            ]
            viewed = [e for e in mine if e.action in VIEW_ACTIONS and e.purpose]
            if shown and not viewed:
                self.fail(
                    outcome,
                    f"shows other people's email addresses ({', '.join(shown[:3])}) without "
                    "writing a 'view' audit entry with a purpose",
                )

    def expect(self, outcome: Outcome, allowed: set[int], why: str) -> None:
        if outcome.status not in allowed:
            self.fail(outcome, f"answered {outcome.status}, expected {sorted(allowed)} ({why})")

    def assert_no_problems(self) -> None:
        assert not self.problems, "\n".join(
            [f"{len(self.problems)} problem(s):", *self.problems[:40]]
        )


def _describe(entries: list[AuditEntry]) -> str:
    return ", ".join(f"{e.action} {e.object_type} by {e.actor_email or '-'}" for e in entries) or (
        "none"
    )


@pytest.fixture
def caller(tenants: tuple[Tenant, Tenant], writes: Writes) -> Caller:
    a, b = tenants
    return Caller(a=a, b=b, writes=writes)


def _first_holder(route: Route) -> str:
    """The role the single-role tests use: the partnership admin where the route allows it."""
    allowed = holders(route)
    for role in (Role.PARTNERSHIP_ADMIN, Role.AUDITOR, *Role):
        if role in allowed:
            return role
    raise AssertionError(f"{route}: no role may use it")


def route_method(route: Route) -> str:
    """The HTTP method of an API operation."""
    return sorted(route.methods)[0]


# --- The routes are all found, and each says who may use it --------------------------------------


def test_the_walk_finds_pages_api_operations_and_the_admin() -> None:
    by_name = {r.name: r for r in ROUTES}
    assert by_name["core:organisation-detail"].kind == "page"
    assert by_name["core:organisation-detail"].params == ("organisation_id",)
    assert by_name["api-1.0.0:person_detail"].kind == "api"
    assert by_name["api-1.0.0:person_detail"].methods == {"GET"}
    assert by_name["api-1.0.0:organisation_patch"].methods == {"PATCH"}
    assert by_name["api-1.0.0:openapi-json"].is_public
    assert by_name["admin:index"].kind == "admin"
    assert by_name["admin:core_membership_change"].params == ("object_id",)
    assert len(ADMIN_ROUTES) > 20
    assert len(API_OPERATIONS) >= len(API_CAPABILITIES)


def test_every_route_gets_a_url_that_reaches_it(tenants: tuple[Tenant, Tenant]) -> None:
    """Every URL parameter is known, and the URL built from B's ids resolves to the route."""
    _a, b = tenants
    problems = []
    for route in ROUTES:
        try:
            path = url_for(route, Side(b, Role.PARTNERSHIP_ADMIN))
        except UnknownParameter as exc:
            problems.append(str(exc))
            continue
        if resolve(path).route != route.route:
            problems.append(f"{route}: {path} reaches {resolve(path).route}, not {route.route}")
    assert not problems, "\n".join(problems)


def test_every_page_is_marked_public_or_with_the_capability_it_needs() -> None:
    """A page view without `@public` or `@requires(...)` fails here."""
    unmarked = [f"{r} ({r.route})" for r in PAGES if r.access is None]
    assert not unmarked, (
        "These views have no tip_access mark. Decorate each with tip.core.tenancy.public or "
        "tip.core.tenancy.requires(capability, personal_data=...):\n" + "\n".join(unmarked)
    )
    known = set(Capability) | {None}
    for route in PAGES:
        access = route.access or {}
        assert set(access) == {"public", "capability", "personal_data"}, route
        national = route.is_national
        assert access["capability"] in known or roles_with(access["capability"]) or national, route
        if access["public"]:
            assert access["capability"] is None and access["personal_data"] is None, route


def test_every_route_that_can_change_data_has_an_example() -> None:
    names = {r.name for r in ROUTES}
    missing = []
    for route in ROUTES:
        if route.mutating:
            try:
                example_for(route)
            except LookupError as exc:
                missing.append(str(exc))
    for route in API_OPERATIONS:
        if route.name not in API_CAPABILITIES:
            missing.append(
                f"{route} ({route.route}): add the capability it checks to API_CAPABILITIES in "
                "tests/routes.py (None if any valid token may use it)"
            )
    assert not missing, "\n".join(missing)
    stale = (set(EXAMPLES) | set(API_CAPABILITIES)) - names
    assert not stale, f"tests/routes.py names routes that no longer exist: {sorted(stale)}"
    assert set(KWARG_IDS) >= {"organisation_id", "membership_id", "token_id"}
    assert "core.organisation" in ADMIN_OBJECTS


# --- Tenancy: partnership B's ids, as every member of A ------------------------------------------


def _tenant_params(route: Route) -> bool:
    return any(p in KWARG_IDS for p in route.params)


@pytest.mark.parametrize("route", PAGES, ids=_ids(PAGES))
def test_pages_never_reach_another_partnership(
    route: Route, caller: Caller, clients: dict[str, Client]
) -> None:
    for role in Role:
        side = Side(caller.b, role)
        path = url_for(route, side)
        for method in ("GET", "POST"):
            body = body_for(route, side) if method == "POST" else None
            outcome = caller.send(clients[role], method, path, body or {}, role=role)
            if route.is_public:
                continue
            if role not in holders(route):
                caller.expect(outcome, {403, 405}, "the role lacks the capability")
            elif _tenant_params(route):
                caller.expect(outcome, {404, 405}, "the id belongs to partnership B")
    caller.assert_no_problems()


@pytest.mark.parametrize("path_route", list(API_PATHS), ids=list(API_PATHS))
def test_api_never_reaches_another_partnership(path_route: str, caller: Caller) -> None:
    operations = API_PATHS[path_route]
    client = api_client()
    for role in Role:
        side = Side(caller.b, role)
        path = url_for(operations[0], side)
        for method in ALL_API_METHODS:
            route = next((r for r in operations if method in r.methods), None)
            body = body_for(route, side) if route and route.mutating else None
            outcome = caller.send(client, method, path, body, role=role, api_key=caller.a.key(role))
            if route is None:
                if any(r.is_operation for r in operations):
                    caller.expect(outcome, {405}, "no operation answers this method")
            elif role not in holders(route):
                caller.expect(outcome, {403}, "the role lacks the capability")
            elif _tenant_params(route):
                caller.expect(outcome, {404}, "the id belongs to partnership B")
    caller.assert_no_problems()


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=_ids(ADMIN_ROUTES))
def test_admin_sends_partnership_members_to_its_sign_in(
    route: Route, caller: Caller, clients: dict[str, Client]
) -> None:
    login = reverse("admin:login")
    for role in Role:
        path = url_for(route, Side(caller.b, role))
        for method in ("GET", "POST"):
            outcome = caller.send(clients[role], method, path, {}, role=role)
            if route.name == "admin:login":
                caller.expect(outcome, {200}, "the admin's sign-in form")
            elif route.name == "admin:logout":
                caller.expect(outcome, {302}, "to the admin's front page")
            elif outcome.status != 302 or not outcome.location.startswith(login):
                caller.fail(outcome, f"answered {outcome.status} {outcome.location}, not {login}")
    caller.assert_no_problems()


def test_another_partnerships_ids_in_a_body_are_refused(
    caller: Caller, clients: dict[str, Client]
) -> None:
    """A's own URL, with B's ids in the body (B's organisation for a new person, B's
    partnership to switch to): refused, and nothing changes."""
    tried = []
    for route in (r for r in ROUTES if r.mutating and not r.is_national):
        role = _first_holder(route)
        own, foreign = Side(caller.a, role), Side(caller.b, role)
        body = body_for(route, foreign)
        if body == body_for(route, own):
            continue  # the body carries no ids
        tried.append(route.name)
        path = url_for(route, own)
        if route.kind == "api":
            key = caller.a.key(role)
            outcome = caller.send(
                api_client(), route_method(route), path, body, role=role, api_key=key
            )
            caller.expect(outcome, {404, 409, 422}, "B's id in the body")
        else:
            outcome = caller.send(clients[role], "POST", path, body, role=role)
            caller.expect(outcome, {200, 400, 404}, "refused: the form shows the error")
        if outcome.writes:
            caller.fail(outcome, f"changed data with B's ids: {outcome.writes}")
    assert {"core:person-add", "core:person-edit", "core:partnership-switch"} <= set(tried)
    caller.assert_no_problems()


def test_admin_records_operators_viewing_personal_data(caller: Caller) -> None:
    """The admin itself, opened by a platform operator (staff, past two-factor): no server
    errors, and every page that shows people's email addresses writes a 'view' entry."""
    operator = UserFactory(
        email="operator@platform.example",
        full_name="Platform Operator",
        is_staff=True,
        is_superuser=True,
    )
    client = member_client(operator)
    emails = dict(User.objects.exclude(pk=operator.pk).values_list("pk", "email"))
    problems = []
    for route in ADMIN_ROUTES:
        if route.name == "admin:logout":
            continue  # POST only, and it would sign the operator out
        path = url_for(route, Side(caller.b, Role.PARTNERSHIP_ADMIN))
        with transaction.atomic():
            caller.writes.clear()
            response = client.get(path)
            entries = list(caller.writes.audit)
            writes = list(caller.writes.seen)
            transaction.set_rollback(True)
        content = response.content if not getattr(response, "streaming", False) else b""
        label = f"GET {path} as a platform operator"
        if response.status_code >= 500:
            problems.append(f"{label}: server error {response.status_code}")
        if writes:
            problems.append(f"{label}: a GET changed {writes}")
        shown = [e for e in emails.values() if e.encode() in content]
        viewed = [
            e
            for e in entries
            if e.action in VIEW_ACTIONS and e.purpose and e.actor_id == operator.pk
        ]
        if shown and not viewed:
            problems.append(
                f"{label}: shows email addresses ({', '.join(shown[:3])}) without writing a "
                "'view' audit entry"
            )
    assert not problems, "\n".join(problems)


# --- Roles: A's own ids --------------------------------------------------------------------------


@pytest.mark.parametrize("route", MEMBER_PAGES, ids=_ids(MEMBER_PAGES))
def test_pages_let_in_exactly_the_roles_with_the_capability(
    route: Route, caller: Caller, clients: dict[str, Client]
) -> None:
    example = example_for(route)
    statuses: dict[str, int] = {}
    for role in Role:
        side = Side(caller.a, role)
        path = url_for(route, side)
        allowed = role in holders(route)

        got = caller.send(clients[role], "GET", path, role=role)
        statuses[role] = got.status
        if got.status != 405:
            caller.expect(got, {200} if allowed else {403}, f"capability {route.capability}")
        if allowed and got.status == 200 and (route.access or {}).get("personal_data"):
            _expect_view_entry(caller, got, role)

        posted = caller.send(clients[role], "POST", path, example.body(side), role=role)
        if not allowed:
            caller.expect(posted, {403}, f"capability {route.capability}")
        elif example is NO_CHANGE:
            caller.expect(posted, {200, 405}, "a page without a form")
            if posted.writes:
                caller.fail(posted, f"declared NO_CHANGE but changed {posted.writes}")
        else:
            caller.expect(posted, SUCCESS, "the example body is valid")
    if 405 in statuses.values():
        assert set(statuses.values()) == {405}, f"{route}: GET answers {statuses}"
    caller.assert_no_problems()


def test_a_practitioner_cannot_open_people_audit_or_organisation_management(
    caller: Caller, clients: dict[str, Client]
) -> None:
    role = Role.PRACTITIONER
    client = clients[role]
    org = caller.a.world.organisations[1].pk
    person = caller.a.person.pk
    paths = [
        reverse("core:person-list"),
        reverse("core:person-add"),
        reverse("core:person-detail", args=[person]),
        reverse("core:person-edit", args=[person]),
        reverse("core:person-remove", args=[person]),
        reverse("core:audit-log"),
        reverse("core:audit-export"),
        reverse("core:organisation-create"),
        reverse("core:organisation-edit", args=[org]),
        reverse("core:organisation-delete", args=[org]),
    ]
    for path in paths:
        for method in ("GET", "POST"):
            outcome = caller.send(client, method, path, {}, role=role)
            caller.expect(outcome, {403}, "practitioners may not")
    for path in ("/api/people", f"/api/people/{person}"):
        outcome = caller.send(api_client(), "GET", path, role=role, api_key=caller.a.key(role))
        caller.expect(outcome, {403}, "practitioners may not")
    # What a practitioner may do.
    for path in (reverse("core:dashboard"), reverse("core:organisation-list")):
        caller.expect(caller.send(client, "GET", path, role=role), {200}, "every member may")
    caller.assert_no_problems()


@pytest.mark.parametrize("route", API_OPERATIONS, ids=_ids(API_OPERATIONS))
def test_api_lets_in_exactly_the_roles_with_the_capability(route: Route, caller: Caller) -> None:
    method = route_method(route)
    client = api_client()
    for role in Role:
        side = Side(caller.a, role)
        path = url_for(route, side)
        body = body_for(route, side) if route.mutating else None
        outcome = caller.send(client, method, path, body, role=role, api_key=caller.a.key(role))
        if role in holders(route):
            caller.expect(outcome, {200, 201, 204}, f"capability {route.capability}")
        else:
            caller.expect(outcome, {403}, f"capability {route.capability}")
            if not outcome.content_type.startswith("application/json") or (
                "detail" not in json.loads(outcome.content)
            ):
                caller.fail(outcome, "a refusal must be JSON with a 'detail'")
    # Without a token, a signed-in browser session is not enough.
    signed_in = member_client(caller.a.world.user(Role.PARTNERSHIP_ADMIN))
    path = url_for(route, Side(caller.a, Role.PARTNERSHIP_ADMIN))
    outcome = caller.send(signed_in, method, path, None, role=Role.PARTNERSHIP_ADMIN)
    caller.expect(outcome, {401}, "the API needs a token")
    caller.assert_no_problems()


# --- Audit ---------------------------------------------------------------------------------------

CHANGING = [r for r in ROUTES if r.name in EXAMPLES and EXAMPLES[r.name].changes and r.mutating]


@pytest.mark.parametrize("route", CHANGING, ids=_ids(CHANGING))
def test_every_change_is_audited_with_the_person_and_partnership(
    route: Route, caller: Caller, clients: dict[str, Client]
) -> None:
    role = _first_holder(route)
    side = Side(caller.a, role)
    path = url_for(route, side)
    body = example_for(route).body(side)
    if route.kind == "api":
        outcome = caller.send(
            api_client(), route_method(route), path, body, role=role, api_key=caller.a.key(role)
        )
    else:
        outcome = caller.send(clients[role], "POST", path, body, role=role)
    caller.expect(outcome, SUCCESS, "the example is valid")
    assert outcome.writes, f"{outcome.label}: the example changed nothing; fix it in EXAMPLES"
    user = caller.a.world.user(role)
    entries = [
        e
        for e in outcome.audit
        if e.action in CHANGE_ACTIONS
        and e.actor_id == user.pk
        and e.actor_email == user.email
        and e.partnership_id == caller.a.partnership.pk
    ]
    assert entries, f"{outcome.label}: no audit entry for {outcome.writes}"
    if route.kind == "api":
        assert all(e.via == "api" for e in entries), _describe(entries)
    caller.assert_no_problems()


PERSONAL = [r for r in MEMBER_PAGES if (r.access or {}).get("personal_data")]


def _expect_view_entry(caller: Caller, outcome: Outcome, role: str) -> None:
    user = caller.a.world.user(role)
    if not any(
        e.action in VIEW_ACTIONS
        and e.purpose
        and e.actor_id == user.pk
        and e.partnership_id == caller.a.partnership.pk
        for e in outcome.audit
    ):
        caller.fail(outcome, "a personal-data view wrote no 'view' audit entry with a purpose")


@pytest.mark.parametrize("route", PERSONAL, ids=_ids(PERSONAL))
def test_personal_data_views_record_who_looked_and_why(
    route: Route, caller: Caller, clients: dict[str, Client]
) -> None:
    role = _first_holder(route)
    outcome = caller.send(clients[role], "GET", url_for(route, Side(caller.a, role)), role=role)
    caller.expect(outcome, {200}, "opened by a role that may")
    _expect_view_entry(caller, outcome, role)
    caller.assert_no_problems()


def test_the_email_check_catches_an_unaudited_view(caller: Caller) -> None:
    """The automatic check itself: a response with someone else's address and no entry fails."""
    other = caller.a.world.user(Role.TRAINER).email
    outcome = Outcome("GET /x/", "GET", 200, other.encode(), "", "text/html", [], [], caller.b_rows)
    caller.check_invariants(outcome, Role.PARTNERSHIP_ADMIN)
    assert len(caller.problems) == 1 and other in caller.problems[0]


# --- Query bounds --------------------------------------------------------------------------------

READ_ROUTES = [r for r in PAGES if r.access is not None and not r.is_national] + [
    r for r in API_OPERATIONS if "GET" in r.methods
]


def _grow(tenant: Tenant, user: User, n: int = 20) -> None:
    """n more organisations, people (each with two roles), audit entries and tokens of the
    requester's."""
    p = tenant.partnership
    membership = Membership.objects.get(partnership=p, user=user)
    Organisation.objects.bulk_create(
        Organisation(partnership=p, name=f"Extra Organisation {i}", sector="other")
        for i in range(n)
    )
    orgs = list(Organisation.objects.filter(partnership=p, name__startswith="Extra "))
    User.objects.bulk_create(
        User(email=f"extra{i}@{p.pk}.example", full_name=f"Extra Person {i}") for i in range(n)
    )
    people = list(User.objects.filter(email__endswith=f"@{p.pk}.example"))
    Membership.objects.bulk_create(
        Membership(partnership=p, user=u, organisation=orgs[i % len(orgs)])
        for i, u in enumerate(people)
    )
    memberships = Membership.objects.filter(user__in=people)
    MembershipRole.objects.bulk_create(
        MembershipRole(membership=m, role=r)
        for m in memberships
        for r in (Role.PRACTITIONER, Role.CHAMPION)
    )
    ApiToken.objects.bulk_create(
        ApiToken(
            partnership=p,
            membership=membership,
            name=f"Extra token {i}",
            prefix=f"x{i:07d}",
            key_hash=ApiToken.hash_key(f"extra-{p.pk}-{i}"),
        )
        for i in range(n)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=user,
            actor_email=user.email,
            partnership=p,
            action=AuditAction.CREATE,
            object_type="core.Organisation",
            object_id=str(o.pk),
            object_repr=o.name,
        )
        for o in orgs
    )


@pytest.mark.parametrize("route", READ_ROUTES, ids=_ids(READ_ROUTES))
def test_reads_run_a_bounded_number_of_queries(
    route: Route,
    tenants: tuple[Tenant, Tenant],
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    a, _b = tenants
    role = _first_holder(route)
    user = a.world.user(role)
    path = url_for(route, Side(a, role))
    if route.kind == "api":
        client, headers = api_client(), {"Authorization": f"Bearer {a.key(role)}"}
    else:
        client, headers = member_client(user), {}

    def get() -> int:
        with CaptureQueriesContext(transaction.get_connection()) as queries:
            response = client.get(path, headers=headers)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.status_code == 405:
            pytest.skip("answers POST only")
        ok = response.status_code < 400 or (route.is_prefix and response.status_code == 404)
        assert ok, f"{path}: {response.status_code}"
        return len(queries)

    get()  # the first request fills per-process caches
    few = get()
    _grow(a, user)
    with django_assert_max_num_queries(QUERY_BOUNDS.get(route.name, QUERY_BOUND)):
        many = get()
    assert many == few, f"{path}: {few} queries with little data, {many} with 20 more of each"


def test_the_extra_data_reaches_the_pages_whose_queries_are_counted(
    tenants: tuple[Tenant, Tenant],
) -> None:
    """The query bounds above mean something: the people list shows the 20 extra people."""
    a, _b = tenants
    user = a.world.user(Role.PARTNERSHIP_ADMIN)
    _grow(a, user)
    response = member_client(user).get(reverse("core:person-list"))
    assert response.status_code == 200
    assert response.content.count(b"/people/") >= 20 + len(Role)


# Keep the registries honest: every kwarg function answers for both partnerships.
def test_ids_differ_between_partnerships(tenants: tuple[Tenant, Tenant]) -> None:
    a, b = tenants
    for name, fn in KWARG_IDS.items():
        for role in Role:
            assert fn(Side(a, role)) != fn(Side(b, role)), name
