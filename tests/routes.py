"""Every route of the service, found by walking the URL resolver, and what the route tests need to
call each one: ids for its URL parameters, an example body for each route that changes data, and
the capability each API operation needs.

Nothing here lists routes by hand: a new page, API operation or admin view is picked up by
`all_routes()`. What cannot be guessed (which id fills a new URL parameter, what a valid body for
a new form looks like, what an API operation needs) must be added below, and the tests in
`tests/core/test_routes.py` fail with a message saying so until it is.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize
from ninja import NinjaAPI
from ninja.operation import PathView

from tests.conftest import World
from tests.factories import MembershipFactory
from tip.core import services
from tip.core.models import ApiToken, AuditEntry, Membership, Organisation, Sector
from tip.core.roles import Capability, Role, roles_with
from tip.evaluation.roles import PLAN_EVALUATIONS, VIEW_EVALUATION_REPORTS
from tip.language.roles import MANAGE_LANGUAGE_RULES, USE_LANGUAGE_CHECKER
from tip.national.roles import VIEW_NATIONAL
from tip.programmes import services as programme_services
from tip.programmes.models import Programme
from tip.programmes.outcome_library import load_outcomes
from tip.programmes.roles import ASSESS_ORGANISATIONS, MANAGE_PROGRAMMES, VIEW_PROGRAMMES
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINING

Kind = Literal["page", "api", "admin"]

MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ALL_API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    """One URL pattern. API operations that share a path are one Route each."""

    name: str  # "namespace:name", or the route text when the pattern has no name
    route: str  # the route text, as Django reports it in ResolverMatch.route
    regex: str
    callback: Callable[..., Any] = field(compare=False, repr=False)
    params: tuple[str, ...]
    kind: Kind
    # API operations: the HTTP methods the operation answers. Other routes: empty.
    methods: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return self.name

    @property
    def access(self) -> dict[str, Any] | None:
        """The page's `tip_access` mark (from `requires` or `public`), if it has one."""
        access: dict[str, Any] | None = getattr(self.callback, "tip_access", None)
        return access

    @property
    def capability(self) -> str | None:
        """The capability the route needs: from the page's mark, or API_CAPABILITIES."""
        if self.kind == "api":
            return API_CAPABILITIES.get(self.name) if self.is_operation else None
        return (self.access or {}).get("capability")

    @property
    def is_public(self) -> bool:
        if self.kind == "api":
            return not self.is_operation
        return bool((self.access or {}).get("public"))

    @property
    def is_operation(self) -> bool:
        """An API operation (behind the token), rather than the schema or the API's root."""
        return self.kind == "api" and bool(self.methods)

    @property
    def mutating(self) -> bool:
        """Routes that must have an entry in EXAMPLES: API operations that change data, and
        every page a member signs in for (each says what a POST to it does)."""
        if self.kind == "api":
            return bool(self.methods & MUTATING_METHODS)
        return self.kind == "page" and self.access is not None and not self.is_public

    @property
    def is_national(self) -> bool:
        """A page for national analysts only (tip.national): they belong to no partnership, and
        no partnership role holds its capability, so every member is refused it. The tests
        that need a role that may use a route leave these out; tests/national checks them as a
        national analyst."""
        return self.kind == "page" and self.capability == VIEW_NATIONAL

    @property
    def is_prefix(self) -> bool:
        """A pattern that takes every path under a prefix: a catch-all, 404 by design."""
        return not self.regex.endswith(("\\Z", "$"))

    def path(self, values: dict[str, Any]) -> str:
        """The URL path for these parameter values."""
        for template, params in normalize(self.regex):
            if set(params) == set(values):
                path = "/" + template % {k: str(v) for k, v in values.items()}
                if self.is_prefix:
                    # A prefix pattern (a catch-all): reach it with a path nothing else takes.
                    path += "no-such-route"
                return path
        raise AssertionError(f"{self}: no way to build a URL from parameters {sorted(values)}")


def holders(route: Route) -> frozenset[str]:
    """The roles that may use the route."""
    if route.is_public or route.capability is None:
        return frozenset(Role)
    return frozenset(roles_with(route.capability))


def _join_route(prefix: str, route: str) -> str:
    # As django.urls.resolvers.URLResolver._join_route, so it equals ResolverMatch.route.
    return prefix + route.removeprefix("^") if prefix else route


def _join_regex(prefix: str, regex: str) -> str:
    return prefix + regex.removeprefix("^")


def _path_view(callback: Callable[..., Any]) -> PathView | None:
    closure = inspect.getclosurevars(callback).nonlocals if inspect.isfunction(callback) else {}
    view = closure.get("self")
    return view if isinstance(view, PathView) else None


def _is_ninja(callback: Callable[..., Any]) -> bool:
    if _path_view(callback) is not None:
        return True
    return isinstance(callback, functools.partial) and isinstance(
        callback.keywords.get("api"), NinjaAPI
    )


def _api_methods(pattern: URLPattern) -> frozenset[str]:
    view = _path_view(pattern.callback)
    if view is None:
        return frozenset()  # the OpenAPI schema and the API's root
    for operation in view.operations:
        if (getattr(operation, "url_name", None) or operation.view_func.__name__) == pattern.name:
            return frozenset(operation.methods)
    raise AssertionError(f"No django-ninja operation is named {pattern.name!r}")


def _walk(
    patterns: list[URLPattern | URLResolver], route: str, regex: str, namespace: str
) -> Iterator[Route]:
    for pattern in patterns:
        sub_route = _join_route(route, str(pattern.pattern))
        sub_regex = _join_regex(regex, pattern.pattern.regex.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, sub_route, sub_regex, ns)
            continue
        callback = pattern.callback
        kind: Kind = "page"
        if namespace.split(":")[0] == "admin":
            kind = "admin"
        elif _is_ninja(callback):
            kind = "api"
        if pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            name = f"{namespace}:{sub_route}" if namespace else sub_route
        yield Route(
            name=name,
            route=sub_route,
            regex=sub_regex,
            callback=callback,
            params=tuple(pattern.pattern.regex.groupindex),
            kind=kind,
            methods=_api_methods(pattern) if kind == "api" else frozenset(),
        )


@functools.cache
def all_routes() -> tuple[Route, ...]:
    resolver = get_resolver()
    return tuple(_walk(resolver.url_patterns, "", "", ""))


# --- The objects each test addresses -------------------------------------------------------------


@dataclass
class Tenant:
    """A partnership's fixture world, plus an API token for each member and one more person
    (not signed in as anyone) whom the people pages may change or remove."""

    world: World
    tokens: dict[str, tuple[ApiToken, str]]
    person: Membership
    programme: Programme
    # The programme's Theory of Change: its elements, links, a note and an indicator, by name.
    toc: dict[str, Any] = field(default_factory=dict)

    @property
    def partnership(self) -> Any:
        return self.world.partnership

    def key(self, role: str) -> str:
        return self.tokens[role][1]


def make_tenant(world: World) -> Tenant:
    prefix = world.partnership.name.split()[0]
    tokens = {
        role: services.api_token_create(
            membership=member, name=f"{prefix} {role} script", by=member.user
        )
        for role, member in world.members.items()
    }
    person = MembershipFactory(
        partnership=world.partnership,
        organisation=world.organisations[0],
        user__email=f"person@{prefix.lower()}.example",
        user__full_name=f"{prefix} Person Being Changed",
        job_title=f"{prefix} outreach worker",
        roles=[Role.PRACTITIONER],
    )
    programme = programme_services.programme_create(
        partnership=world.partnership,
        name=f"{prefix} trauma-informed schools",
        aims=f"{prefix} aims",
        by=world.user(Role.PROGRAMME_LEAD),
    )
    toc = _theory_of_change(programme, world.user(Role.PROGRAMME_LEAD))
    toc |= _programme_details(programme, world, world.user(Role.PROGRAMME_LEAD))
    toc |= _training_courses(world, programme, world.user(Role.PROGRAMME_LEAD))
    toc |= _training_providers(world, world.user(Role.PROGRAMME_LEAD))
    toc |= _training_cascade(world, programme, toc, world.user(Role.PROGRAMME_LEAD))
    toc |= _training_sessions(world, toc, world.user(Role.PROGRAMME_LEAD))
    toc |= _training_bookings(world, toc, person)
    toc |= _training_attendance(world, toc, world.user(Role.PROGRAMME_LEAD))
    toc |= _training_followups(toc, world.user(Role.PROGRAMME_LEAD))
    toc |= _training_dashboard(world, programme, world.user(Role.PROGRAMME_LEAD))
    toc |= _evaluation_plan(programme, toc, world.user(Role.PROGRAMME_LEAD))
    toc |= _survey_link(toc)
    toc |= _evaluation_observation(world, toc, world.user(Role.EVALUATOR))
    toc |= _partnership_instrument(world, world.user(Role.EVALUATOR))
    toc |= _evaluation_cohort(toc, world.user(Role.PROGRAMME_LEAD))
    toc |= _evaluation_coding(toc, world.user(Role.EVALUATOR))
    toc |= _language_settings(world, world.user(Role.PARTNERSHIP_ADMIN))
    toc["assessment"] = _first_self_assessment(world)
    return Tenant(world=world, tokens=tokens, person=person, programme=programme, toc=toc)


def _theory_of_change(programme: Programme, by: Any) -> dict[str, Any]:
    """Training leads to trained staff, who recognise trauma (an outcome with an indicator; the
    link to it is weakly evidenced, so a question is proposed), and pupils feel safer."""
    ps = programme_services
    activity = ps.element_create(programme=programme, kind="activity", title="Training", by=by)
    output = ps.element_create(programme=programme, kind="output", title="Staff trained", by=by)
    outcome = ps.element_create(
        programme=programme,
        kind="outcome",
        title="Staff recognise trauma",
        level="practitioners",
        horizon="short",
        by=by,
    )
    later = ps.element_create(
        programme=programme,
        kind="outcome",
        title="Pupils feel safe",
        level="beneficiaries",
        horizon="medium",
        by=by,
    )
    link = ps.link_create(
        programme=programme, source=activity, target=output, evidence="strong", by=by
    )
    weak = ps.link_create(
        programme=programme, source=output, target=outcome, evidence="emerging", by=by
    )
    note = ps.note_create(
        programme=programme, kind="assumption", text="Staff can attend", element=activity, by=by
    )
    indicator = ps.indicator_create(
        outcome=outcome, what="Confidence", how="Survey", from_whom="Staff", when="Termly", by=by
    )
    return {
        "activity": activity,
        "output": output,
        "outcome": outcome,
        "later": later,
        "link": link,
        "weak_link": weak,
        "note": note,
        "indicator": indicator,
    }


def _programme_details(programme: Programme, world: World, by: Any) -> dict[str, Any]:
    """A senior responsible owner, a delivery board member, an organisation's lead and a
    co-design activity."""
    ps = programme_services
    ps.sro_set(programme=programme, sro_name="Owner Person", sro_role="Director", by=by)
    return {
        "board_member": ps.board_member_create(
            programme=programme, name="Board Member", role="Chair", by=by
        ),
        "lead": ps.organisation_lead_set(
            programme=programme, organisation=world.organisations[0], name="Lead", by=by
        ),
        "codesign": ps.codesign_create(
            programme=programme,
            who_took_part=["young_people"],
            how="Workshop",
            held_on=datetime.date(2026, 3, 27),
            what_changed="Plain words",
            by=by,
        ),
    }


def _first_self_assessment(world: World) -> Any:
    """The first organisation's self-assessment: every component at 'planning'."""
    from tip.programmes.components import component_codes
    from tip.programmes.services_assessment import RatingInput, assessment_record

    return assessment_record(
        partnership=world.partnership,
        organisation=world.organisations[0],
        assessed_on=datetime.date(2026, 3, 1),
        ratings={code: RatingInput(level="planning") for code in component_codes()},
        by=world.user(Role.PROGRAMME_LEAD),
    )


def _training_providers(world: World, by: Any) -> dict[str, Any]:
    """A provider with a trainer who has answered a question and holds a clearance, and a
    setting that requires it."""
    from tip.training import services_clearances, services_providers

    prefix = world.partnership.name.split()[0]
    provider = services_providers.provider_create(
        partnership=world.partnership,
        name=f"{prefix} Trauma Training Ltd",
        kind="specialist",
        by=by,
    )
    trainer = services_providers.trainer_create(
        provider=provider, name=f"{prefix} Trainer Tess", role="Psychologist", by=by
    )
    services_providers.trainer_answers_set(
        trainer=trainer, answers={"qualification": ("yes", "Clinical psychology")}, by=by
    )
    clearance = services_clearances.clearance_create(
        trainer=trainer,
        clearance_type="dbs_enhanced",
        status="granted",
        issued_on=datetime.date(2025, 1, 6),
        expires_on=datetime.date(2028, 1, 6),
        by=by,
    )
    setting = services_clearances.setting_create(
        partnership=world.partnership,
        name=f"{prefix} secondary schools",
        kind="school",
        required_clearances=["dbs_enhanced", "school_clearance"],
        by=by,
    )
    return {"provider": provider, "trainer": trainer, "clearance": clearance, "setting": setting}


def _training_courses(world: World, programme: Programme, by: Any) -> dict[str, Any]:
    """A course of the programme with a module, a material and a follow-up activity."""
    from django.core.files.base import ContentFile

    from tip.training import services_courses

    prefix = world.partnership.name.split()[0]
    course = services_courses.course_create(
        partnership=world.partnership,
        programme=programme,
        name=f"{prefix} foundation day",
        hours=6,
        audience_groups=["frontline"],
        by=by,
    )
    version = course.versions.get()
    module = services_courses.module_create(
        version=version,
        title=f"{prefix} recognising trauma",
        duration_minutes=90,
        content_warnings="A case study of exploitation",
        by=by,
    )
    material = services_courses.material_add(
        version=version,
        title=f"{prefix} course outline",
        upload=ContentFile(b"%PDF-1.4\n%%EOF\n", name="outline.pdf"),
        by=by,
    )
    follow_up = services_courses.follow_up_create(
        course=course,
        name="Reflective practice session",
        kind="follow_up",
        offset=6,
        offset_unit="weeks",
        by=by,
    )
    return {
        "course": course,
        "course_version": version,
        "course_module": module,
        "course_material": material,
        "follow_up": follow_up,
    }


def _training_bookings(world: World, toc: dict[str, Any], person: Membership) -> dict[str, Any]:
    """Two published sessions a month away, made through the models: one open for booking (the
    trainer role's member teaches it; the extra person is booked on it and asked for a
    check-in), and one on which every role's member is booked (each role's own booking)."""
    from django.utils import timezone

    from tip.training import services_bookings, services_courses
    from tip.training.models_providers import Provider, Trainer
    from tip.training.models_sessions import Session, SessionPart, SessionTrainer

    prefix = world.partnership.name.split()[0]
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    # A course and provider of their own: a version a session teaches is locked, and a provider
    # whose trainer teaches cannot be removed; the course and provider pages change the others.
    course = services_courses.course_create(
        partnership=world.partnership,
        name=f"{prefix} bookings course",
        hours=6,
        by=world.user(Role.PROGRAMME_LEAD),
    )
    provider = Provider.objects.create(
        partnership=world.partnership, name=f"{prefix} Bookings Provider", kind="in_house"
    )
    sessions = []
    for n, title in enumerate(["open for booking", "everyone booked"]):
        session = Session.objects.create(
            partnership=world.partnership,
            course=course,
            course_version=course.versions.get(),
            title=f"{prefix} session {title}",
            format="virtual",
            online_link="https://meet.example.org/tip",
            capacity=40,
            status="published",
        )
        at = starts + datetime.timedelta(days=n)
        SessionPart.objects.create(
            partnership=world.partnership,
            session=session,
            starts_at=at,
            ends_at=at + datetime.timedelta(hours=6),
        )
        sessions.append(session)
    open_session, booked_session = sessions
    trainer = Trainer.objects.create(
        partnership=world.partnership,
        provider=provider,
        name=f"{prefix} Trainer Tom",
        membership=world.members[Role.TRAINER],
    )
    SessionTrainer.objects.create(
        partnership=world.partnership, session=open_session, trainer=trainer
    )
    services_bookings.book(session=open_session, person=person, booker=person, check_in=True)
    bookings = {
        role: services_bookings.book(session=booked_session, person=member, booker=member)
        for role, member in world.members.items()
    }
    return {"open_session": open_session, "bookings": bookings}


def _training_sessions(world: World, toc: dict[str, Any], by: Any) -> dict[str, Any]:
    """A venue with no sessions (so it can be removed), and a draft session two months away at
    another venue, in two parts. Neither venue has a setting (so the session's trainer can be
    confirmed, and the providers' setting removed). The session is of a course of its own and
    taught by a provider and trainer of its own, so no other course's version is locked and the
    providers' provider and trainer can still be removed; and a second trainer to add."""
    from tip.training import services_courses, services_providers, services_sessions

    prefix = world.partnership.name.split()[0]
    p = world.partnership
    venue = services_sessions.venue_create(partnership=p, name=f"{prefix} Civic Centre", by=by)
    hall = services_sessions.venue_create(partnership=p, name=f"{prefix} Town Hall", by=by)
    course = services_courses.course_create(
        partnership=p, name=f"{prefix} sessions course", hours=6, by=by
    )
    day = datetime.date.today() + datetime.timedelta(days=60)
    session, _notes = services_sessions.session_create(
        partnership=p,
        course=course,
        parts=[
            services_sessions.PartIn(day, datetime.time(9, 30), datetime.time(12, 30)),
            services_sessions.PartIn(
                day + datetime.timedelta(days=7), datetime.time(9, 30), datetime.time(12, 30)
            ),
        ],
        format="hybrid",
        venue=hall,
        online_link="https://meet.example/tip-session",
        capacity=20,
        title=f"{prefix} draft session",
        by=by,
    )
    provider = services_providers.provider_create(
        partnership=p, name=f"{prefix} Session Providers", kind="in_house", by=by
    )
    trainer = services_providers.trainer_create(
        provider=provider, name=f"{prefix} Session Trainer", by=by
    )
    link = services_sessions.trainer_add(session=session, trainer=trainer, by=by)
    second = services_providers.trainer_create(
        provider=provider, name=f"{prefix} Second Trainer", by=by
    )
    return {
        "venue": venue,
        "session": session,
        "session_part": session.parts.order_by("starts_at").first(),
        "session_trainer": link,
        "second_trainer": second,
    }


def _session_form(side: Side) -> dict[str, Any]:
    day = datetime.date.today() + datetime.timedelta(days=90)
    return {
        "course": side.tenant.toc["course"].pk,
        "format": "virtual",
        "online_link": "https://meet.example/new",
        "capacity": "12",
        "day_day": day.day,
        "day_month": day.month,
        "day_year": day.year,
        "starts": "13:00",
        "ends": "15:30",
    }


def _part_form(days: int) -> dict[str, Any]:
    day = datetime.date.today() + datetime.timedelta(days=days)
    return {
        "day_day": day.day,
        "day_month": day.month,
        "day_year": day.year,
        "starts": "14:00",
        "ends": "16:00",
    }


def _training_attendance(world: World, toc: dict[str, Any], by: Any) -> dict[str, Any]:
    """A session that ran a month ago (of a course of its own, so no other course's version is
    locked by it), taught by a trainer linked to the trainer's account, with every member
    booked and the register taken: everyone attended, so each has a certificate of their own."""
    from django.utils import timezone

    from tip.training import selectors_attendance, services_attendance, services_courses
    from tip.training.models_bookings import Booking
    from tip.training.models_providers import Provider, Trainer
    from tip.training.models_sessions import Session, SessionPart, SessionTrainer

    prefix = world.partnership.name.split()[0]
    p = world.partnership
    course = services_courses.course_create(
        partnership=p, name=f"{prefix} attendance course", hours=6, by=by
    )
    # A provider of its own: the one the provider pages remove must have no trainer teaching.
    provider = Provider.objects.create(
        partnership=p, name=f"{prefix} Register Provider", kind="in_house"
    )
    trainer = Trainer.objects.create(
        partnership=p,
        provider=provider,
        name=f"{prefix} Register Trainer",
        membership=world.members[Role.TRAINER],
    )
    session = Session.objects.create(
        partnership=p,
        course=course,
        course_version=course.versions.get(),
        title=f"{prefix} attendance session",
        format="in_person",
        capacity=20,
        status="published",
    )
    start = timezone.now() - datetime.timedelta(days=30)
    SessionPart.objects.create(
        partnership=p,
        session=session,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
    )
    SessionTrainer.objects.create(partnership=p, session=session, trainer=trainer)
    for member in world.members.values():
        Booking.objects.create(partnership=p, session=session, membership=member, status="booked")
    session = selectors_attendance.session_for_register(partnership=p, session_id=session.pk)
    rows = selectors_attendance.register_rows(session=session)
    services_attendance.register_save(
        session=session,
        marks={r.booking.pk: services_attendance.MarkInput("attended") for r in rows},
        by=by,
    )
    return {
        "register_session": session,
        "register_bookings": [r.booking for r in rows],
        "certificates": {
            role: Booking.objects.get(session=session, membership=member).certificate
            for role, member in world.members.items()
        },
    }


def _training_followups(toc: dict[str, Any], by: Any) -> dict[str, Any]:
    """The register's course has a follow-up two weeks on (due already, so sent) and a refresher
    a year on (scheduled): everyone who attended is invited to both."""
    from tip.training import services_courses, services_followups

    session = toc["register_session"]
    follow_ups = [("Reflection", "follow_up", 2, "weeks"), ("Refresher", "refresher", 12, "months")]
    for name, kind, offset, unit in follow_ups:
        services_courses.follow_up_create(
            course=session.course, name=name, kind=kind, offset=offset, offset_unit=unit, by=by
        )
    invitations = []
    for booking in toc["register_bookings"]:
        booking.session = session
        invitations += services_followups.schedule_for_booking(booking, by=by)
    return {"follow_up_invitation": invitations[0]}


def _register_marks(side: Side, mark: str = "partly") -> dict[str, Any]:
    """The register's form: a mark for everyone on it."""
    return {f"mark-{b.pk}": mark for b in side.tenant.toc["register_bookings"]}


def _api_register_marks(side: Side) -> dict[str, Any]:
    return {
        "marks": [
            {"booking": b.pk, "mark": "no_show", "note": "Unwell"}
            for b in side.tenant.toc["register_bookings"]
        ]
    }


def _training_cascade(
    world: World, programme: Programme, toc: dict[str, Any], by: Any
) -> dict[str, Any]:
    """The cascade: a trainer linked to the trainer's account, certified on the tenant's course
    (so the course trainer can be certified by them) and on a train-the-trainer course of the
    programme whose version 2 they have still to acknowledge; the course trainer observed."""
    from tip.training import services_cascade, services_courses
    from tip.training.models_providers import Trainer

    prefix = world.partnership.name.split()[0]
    p = world.partnership
    cascader = Trainer.objects.create(
        partnership=p,
        provider=toc["provider"],
        name=f"{prefix} Cascade Trainer Cai",
        membership=world.members[Role.TRAINER],
    )
    certification = services_cascade.certification_create(
        trainer=cascader,
        course_version=toc["course_version"],
        certified_on=datetime.date(2026, 1, 5),
        by=by,
    )
    ttt = services_courses.course_create(
        partnership=p,
        programme=programme,
        name=f"{prefix} train the trainer",
        hours=12,
        train_the_trainer=True,
        by=by,
    )
    services_cascade.certification_create(
        trainer=cascader,
        course_version=ttt.versions.get(),
        certified_on=datetime.date(2026, 1, 5),
        by=by,
    )
    # A trainer without an account, certified on version 1 too: told of version 2, and someone
    # records on their behalf that they acknowledged it.
    unlinked = Trainer.objects.create(
        partnership=p, provider=toc["provider"], name=f"{prefix} Unlinked Trainer Una"
    )
    services_cascade.certification_create(
        trainer=unlinked,
        course_version=ttt.versions.get(),
        certified_on=datetime.date(2026, 1, 5),
        by=by,
    )
    services_courses.course_version_create(course=ttt, changes="A new case study", by=by)
    observation = services_cascade.observation_create(
        trainer=toc["trainer"],
        observed_on=datetime.date(2026, 2, 2),
        observer=f"{prefix} lead trainer",
        ratings={"fidelity": 3, "accuracy": 4, "handling_distress": 3, "engagement": 2},
        by=by,
    )
    return {
        "cascade_trainer": cascader,
        "certification": certification,
        "acknowledgement": cascader.version_acknowledgements.get(),
        "unlinked_acknowledgement": unlinked.version_acknowledgements.get(),
        "observation": observation,
    }


def _cascade_dates(prefix: str, day: str = "1", month: str = "3") -> dict[str, str]:
    return {f"{prefix}_day": day, f"{prefix}_month": month, f"{prefix}_year": "2026"}


def _today_parts(prefix: str) -> dict[str, str]:
    """Today in London as a date form's three boxes: for dates that may be neither in the
    future nor before a record made while the tests set up."""
    from tip.training.services_clearances import london_today

    today = london_today()
    return {
        f"{prefix}_day": str(today.day),
        f"{prefix}_month": str(today.month),
        f"{prefix}_year": str(today.year),
    }


_CASCADE_RATINGS = {"fidelity": 4, "accuracy": 3, "handling_distress": 3, "engagement": 4}


def _training_dashboard(world: World, programme: Programme, by: Any) -> dict[str, Any]:
    """A training target for the programme: 20 people at the first organisation."""
    from tip.training import services_dashboard

    target = services_dashboard.target_create(
        programme=programme, organisation=world.organisations[0], people=20, by=by
    )
    return {"target": target}


def _evaluation_plan(programme: Programme, toc: dict[str, Any], by: Any) -> dict[str, Any]:
    """The programme's evaluation plan (the default waves) with one instrument, tip-kac, at the
    baseline and six months, measuring the outcome and its indicator. The wave the pages
    address is the one straight after the session, which no instrument uses: it can go."""
    from tip.evaluation import services as evaluation_services

    plan = evaluation_services.plan_create(programme=programme, by=by)
    waves = {w.offset_days: w for w in plan.waves.all()}
    measure = evaluation_services.measure_create(
        plan=plan,
        instrument_id="tip-kac",
        instrument_version=1,
        waves=[waves[-7], waves[182]],
        outcomes=[toc["outcome"]],
        indicators=[toc["indicator"]],
        by=by,
    )
    return {
        "evaluation_plan": plan,
        "wave_baseline": waves[-7],
        "wave_post": waves[0],
        "measure": measure,
    }


def _evaluation_cohort(toc: dict[str, Any], by: Any) -> dict[str, Any]:
    """A comparison cohort of the plan with two people added by email address (no accounts)."""
    from tip.evaluation import services_invitations

    plan = toc["evaluation_plan"]
    cohort = services_invitations.cohort_create(
        plan=plan, name="Next year's staff", reference_date=datetime.date(2026, 9, 1), by=by
    )
    members = services_invitations.members_add_emails(
        cohort=cohort,
        text=f"one@cohort-{plan.pk}.example\ntwo@cohort-{plan.pk}.example",
        by=by,
    )
    return {"cohort": cohort, "cohort_member": members[0]}


def _survey_link(toc: dict[str, Any]) -> dict[str, Any]:
    """A personal survey link (its token) of the plan's baseline, open now, to someone who has
    not answered yet: the survey pages are public, and the link is their only key."""
    from django.utils import timezone

    from tip.evaluation import links
    from tip.evaluation.models_collection import Invitation, Respondent

    plan, now = toc["evaluation_plan"], timezone.now()
    respondent = Respondent.objects.create(
        partnership_id=plan.partnership_id, plan=plan, group="trained", anchor_date=now.date()
    )
    invitation = Invitation.objects.create(
        partnership_id=plan.partnership_id,
        respondent=respondent,
        wave=toc["wave_baseline"],
        link_digest=links.unissued_digest(),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    return {"survey_token": links.issue_link(invitation)}


def _evaluation_observation(world: World, toc: dict[str, Any], by: Any) -> dict[str, Any]:
    """An observation of the plan, of a team at the first organisation, with two ratings."""
    from tip.evaluation.models import Observation

    observation = Observation.objects.create(
        partnership=world.partnership,
        plan=toc["evaluation_plan"],
        organisation=world.organisations[0],
        team="Duty team",
        observed_on=datetime.date(2026, 1, 15),
        observer=by,
        instrument_id="tip-observation",
        instrument_version=1,
        answers={"safety": 3, "trust": 4},
    )
    return {"observation": observation}


def _evaluation_coding(toc: dict[str, Any], by: Any) -> dict[str, Any]:
    """A submitted baseline response with a free-text answer (a text to code), a code of the
    plan's codebook, and the evaluator's coding of the text with it."""
    from django.utils import timezone

    from tip.evaluation import selectors_coding, services_coding
    from tip.evaluation.models_collection import Respondent, Response

    plan = toc["evaluation_plan"]
    respondent = Respondent.objects.create(
        partnership_id=plan.partnership_id,
        plan=plan,
        group="trained",
        anchor_date=timezone.localdate(),
    )
    response = Response.objects.create(
        partnership_id=plan.partnership_id,
        plan=plan,
        wave=toc["wave_baseline"],
        respondent=respondent,
        group="trained",
        answers={"tip-feedback": {"most_useful": "The case studies"}},
        versions={"tip-feedback": 1},
        submitted_at=timezone.now(),
    )
    code = services_coding.code_create(plan=plan, by=by, label="Calm", description="Feels calm")
    key = f"r{response.pk}.tip-feedback.most_useful"
    text = selectors_coding.text_get(plan, key)
    services_coding.coding_set(plan=plan, text=text, coder=by, codes=[code])
    return {"coding_code": code, "coding_text_key": key}


def _instrument_text(version: int) -> str:
    """A small instrument of the partnership's own, in this version."""
    return (
        f"id: local-check\nversion: {version}\nlanguages: [en, cy]\n"
        "title: {en: Local check, cy: Gwiriad lleol}\n"
        "description: {en: A check., cy: Gwiriad.}\nrespondent: self\nlicence: MIT\n"
        "source: {en: Us., cy: Ni.}\nvalidated: false\n"
        "validation_note: {en: Not validated., cy: Heb ei ddilysu.}\n"
        "scales:\n  - {id: notes, type: free_text}\n"
        "items:\n  - {id: q1, scale: notes, text: {en: Anything else, cy: Unrhyw beth arall}}\n"
    )


def _partnership_instrument(world: World, by: Any) -> dict[str, Any]:
    """An instrument of the partnership's own that nothing uses, so it can be removed."""
    from tip.evaluation.services_instruments import partnership_instrument_add

    stored = partnership_instrument_add(
        partnership=world.partnership, text=_instrument_text(1), by=by
    )
    return {"partnership_instrument": stored}


def _shipped_rule(n: int) -> str:
    """The id of TIP's n-th English language rule: the tenants silence the first."""
    from tip.language.selectors import shipped_rules

    return shipped_rules("en")[n].id


_LANGUAGE_RULE = {
    "language": "en",
    "category": "care-jargon",
    "applies_to": "all",
    "severity": "suggestion",
    "explanation": "Families read their records: an abbreviation tells them nothing.",
    "source": "",
}


def _language_rule_form(rule_id: str, severity: str = "suggestion") -> dict[str, Any]:
    return _LANGUAGE_RULE | {
        "rule_id": rule_id,
        "severity": severity,
        "phrases": "=LAC review\n=LAC",
        "exceptions": "",
        "suggestions": "the review of [name]'s care plan",
    }


def _language_settings(world: World, by: Any) -> dict[str, Any]:
    """A language rule of the partnership's own, one of TIP's rules silenced and an allowed
    phrase, each of which the settings pages can change or remove."""
    from tip.language import services as language_services

    p = world.partnership
    return {
        "language_rule": language_services.partnership_rule_create(
            partnership=p, by=by, **_language_rule_form("local-jargon")
        ),
        "silenced_rule": language_services.shipped_rule_silence(
            partnership=p, by=by, rule_id=_shipped_rule(0), language="en", reason="Agreed locally"
        ),
        "allowed_phrase": language_services.phrase_allow(
            partnership=p, by=by, phrase="Hope House", language="en"
        ),
    }


def _staged_import(side: Side) -> str:
    """An import of two anonymous answers to tip-kac at the baseline, staged and mapped by the
    side's member with the role: its preview commits."""
    from tip.evaluation import imports, services_imports

    wave = side.tenant.toc["wave_baseline"]
    table = imports.read_table(b"n,a01\n1,4\n2,5\n")
    staged = services_imports.import_stage(
        partnership=side.tenant.partnership,
        by=side.world.user(side.role),
        kind=services_imports.RESPONSES,
        wave=wave,
        instrument_id="tip-kac",
        version="1",
        group="trained",
        table=table,
    )
    services_imports.import_map(
        partnership=side.tenant.partnership,
        user=side.world.user(side.role),
        staged=staged,
        mapping=[imports.NUMBER, "item:a01"],
        date_order=imports.AUTO,
    )
    return staged.key


@dataclass(frozen=True)
class Side:
    """Whose ids fill a request: `tenant`'s objects, seen as its member with `role`."""

    tenant: Tenant
    role: str

    @property
    def world(self) -> World:
        return self.tenant.world


class UnknownParameter(LookupError):
    pass


# Pages and operations allowed more queries than test_routes.QUERY_BOUND, and why. The count must
# still not grow with the data.
QUERY_BOUNDS: dict[str, int] = {
    # An evaluation data package: the plan, its retention date (three), the responses and the
    # observations (in chunks), and the audit entry.
    "evaluation:export-package": 20,
    # An evaluation report: the programme (or course, session), the audit entry, the plans and
    # their measures with waves, outcomes and indicators (four), then per plan the frames the
    # analyses read (the waves, respondents, answers and organisations named, for the flow, the
    # scores and the baseline items each) and the partnership's instruments.
    "evaluation:report-programme": 32,
    "evaluation:report-programme-pdf": 32,
    "evaluation:report-course": 32,
    "evaluation:report-course-pdf": 32,
    "evaluation:report-session": 32,
    "evaluation:report-session-pdf": 32,
    "evaluation:report-partnership": 32,
    "evaluation:report-partnership-pdf": 32,
    # The same reports in the API: as the pages, with the token's checks, and each plan's
    # attrition flow read again for its figures (the plans, the frame's reads, invitations).
    "api-1.0.0:evaluation_report_programme": 40,
    "api-1.0.0:evaluation_report_course": 40,
    "api-1.0.0:evaluation_report_session": 40,
    "api-1.0.0:evaluation_report_partnership": 40,
    # The readiness check asks every fact provider (programmes, training, later evaluation),
    # one query or so each.
    "programmes:readiness": 20,
    "api-1.0.0:readiness": 20,
    # The whole Theory of Change, the programme's details, then the readiness check.
    "programmes:programme-export-pdf": 25,
    # A programme's delivery dashboard: its sessions, the bookings and register marks on them
    # (counted in the database), its organisations and targets, the cascade's standing and
    # risks, and the trainers' clearances when a session to come is at a venue needing them:
    # at most ten queries whatever the data's size. The API adds its token's checks.
    "training:programme-dashboard": 20,
    "api-1.0.0:delivery_dashboard": 22,
    # A programme's evaluation plan: the programme, the plan, its waves, its measures with their
    # waves, outcomes and indicators, then what it tells the readiness check (its waves again,
    # with their measures counted, as the check reads them).
    "evaluation:plan": 17,
    # The programme page adds how each outcome will be measured: the planned measures' waves,
    # and the outcomes and indicators they measure (tip.programmes.outcome_measures).
    "programmes:programme-detail": 17,
    # The instrument form lists TIP's instruments and the partnership's own (one query for the
    # choices, one for their descriptions).
    "evaluation:measure-create": 17,
    "evaluation:measure-edit": 17,
    # Qualitative coding reads the plan's texts: the plan, its retention (two or three), the
    # instruments, waves, responses, observations, codings with their codes, the sample, the
    # codebook, and the audit entry.
    "evaluation:coding-texts": 22,
    "evaluation:coding-text": 22,
    "evaluation:coding-sample": 22,
    "evaluation:coding-agreement": 22,
    "evaluation:coding-themes": 22,
    "evaluation:coding-quotes": 22,
}


# URL parameter -> the id of one of the side's objects. Add new parameters here.
KWARG_IDS: dict[str, Callable[[Side], object]] = {
    # The second organisation: nobody works there, so it can be removed.
    "organisation_id": lambda s: s.world.organisations[1].pk,
    # Not one of the members signed in, so they can be changed and removed.
    "membership_id": lambda s: s.tenant.person.pk,
    # Tokens belong to one member: the requester's own token.
    "token_id": lambda s: s.tenant.tokens[s.role][0].pk,
    "programme_id": lambda s: s.tenant.programme.pk,
    # An outcome, so it can have indicators.
    "element_id": lambda s: s.tenant.toc["outcome"].pk,
    "link_id": lambda s: s.tenant.toc["link"].pk,
    "note_id": lambda s: s.tenant.toc["note"].pk,
    "indicator_id": lambda s: s.tenant.toc["indicator"].pk,
    # The question TIP proposes about the weakly evidenced link.
    "proposal_key": lambda s: f"link:{s.tenant.toc['weak_link'].pk}",
    "board_member_id": lambda s: s.tenant.toc["board_member"].pk,
    "lead_id": lambda s: s.tenant.toc["lead"].pk,
    "activity_id": lambda s: s.tenant.toc["codesign"].pk,
    "course_id": lambda s: s.tenant.toc["course"].pk,
    "course_version_id": lambda s: s.tenant.toc["course_version"].pk,
    "course_module_id": lambda s: s.tenant.toc["course_module"].pk,
    "course_material_id": lambda s: s.tenant.toc["course_material"].pk,
    "follow_up_id": lambda s: s.tenant.toc["follow_up"].pk,
    "provider_id": lambda s: s.tenant.toc["provider"].pk,
    "trainer_id": lambda s: s.tenant.toc["trainer"].pk,
    "clearance_id": lambda s: s.tenant.toc["clearance"].pk,
    "setting_id": lambda s: s.tenant.toc["setting"].pk,
    "certification_id": lambda s: s.tenant.toc["certification"].pk,
    "acknowledgement_id": lambda s: s.tenant.toc["acknowledgement"].pk,
    # A trainer without an account's: acknowledgements recorded on their behalf.
    "unlinked_acknowledgement_id": lambda s: s.tenant.toc["unlinked_acknowledgement"].pk,
    "assessment_id": lambda s: s.tenant.toc["assessment"].pk,
    # A register is its session's: one that ran, taught by the trainer's account.
    "register_id": lambda s: s.tenant.toc["register_session"].pk,
    # Certificates belong to one person: the requester's own.
    "certificate_id": lambda s: s.tenant.toc["certificates"][s.role].pk,
    # A venue no session uses; a draft session with two parts and a trainer.
    "venue_id": lambda s: s.tenant.toc["venue"].pk,
    "session_id": lambda s: s.tenant.toc["session"].pk,
    "session_part_id": lambda s: s.tenant.toc["session_part"].pk,
    "session_trainer_id": lambda s: s.tenant.toc["session_trainer"].pk,
    # Booking pages: a published session still to come (not the session pages' session_id,
    # which must be able to be a draft), and each role's own booking.
    "open_session_id": lambda s: s.tenant.toc["open_session"].pk,
    "booking_id": lambda s: s.tenant.toc["bookings"][s.role].pk,
    # A follow-up invitation already sent, to someone who attended the register's session.
    "invitation_id": lambda s: s.tenant.toc["follow_up_invitation"].pk,
    "target_id": lambda s: s.tenant.toc["target"].pk,
    # The evaluation plan's wave straight after the session (no instrument uses it) and its
    # one planned instrument.
    "wave_id": lambda s: s.tenant.toc["wave_post"].pk,
    "measure_id": lambda s: s.tenant.toc["measure"].pk,
    # The plan's comparison cohort, and one of its members (added by email address).
    "cohort_id": lambda s: s.tenant.toc["cohort"].pk,
    "respondent_id": lambda s: s.tenant.toc["cohort_member"].pk,
    # An import staged by the requester (services_imports): a small file of anonymous answers.
    "import_key": _staged_import,
    "observation_id": lambda s: s.tenant.toc["observation"].pk,
    # A code of the plan's codebook, in use; a text to code (a free-text answer).
    "code_id": lambda s: s.tenant.toc["coding_code"].pk,
    "text_key": lambda s: s.tenant.toc["coding_text_key"],
    # An instrument of the partnership's own that no plan uses.
    "partnership_instrument_id": lambda s: s.tenant.toc["partnership_instrument"].pk,
    # The language checker's settings: a rule of the partnership's own, a silenced TIP rule and
    # an allowed phrase.
    "partnership_rule_id": lambda s: s.tenant.toc["language_rule"].pk,
    "silenced_rule_id": lambda s: s.tenant.toc["silenced_rule"].pk,
    "allowed_phrase_id": lambda s: s.tenant.toc["allowed_phrase"].pk,
}

# The Django admin's object ids, by model. Models of other apps get a placeholder id: no member of
# a partnership may open the admin at all.
ADMIN_OBJECTS: dict[str, Callable[[Side], object]] = {
    "core.user": lambda s: s.tenant.person.user_id,
    "core.partnership": lambda s: s.tenant.partnership.pk,
    "core.organisation": lambda s: s.world.organisations[0].pk,
    "core.membership": lambda s: s.tenant.person.pk,
    "core.membershiprole": lambda s: s.tenant.person.roles.first().pk,  # type: ignore[union-attr]
    "core.apitoken": lambda s: s.tenant.tokens[s.role][0].pk,
    "core.auditentry": lambda s: (
        AuditEntry.objects.filter(partnership=s.tenant.partnership).latest("id").pk
    ),
}


def _admin_model(route: Route) -> str | None:
    parts = route.route.split("/")
    if len(parts) > 3 and parts[0] == "admin":
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            return None
        return model._meta.label_lower
    return None


def _special(route: Route, param: str, side: Side) -> object:
    """Parameters that are not a partnership's ids: password-reset links and the admin's."""
    if route.name == "core:password-reset-confirm":
        if param == "uidb64":
            return urlsafe_base64_encode(force_bytes(side.tenant.person.user_id))
        if param == "token":
            return "not-a-valid-token"  # a valid one is what the emailed link carries
    if route.name.startswith("evaluation:survey-"):  # public pages reached by a personal link
        return side.tenant.toc["survey_token"] if param == "token" else "about-you"
    if route.kind == "admin":
        if route.name == "admin:view_on_site":
            if param == "content_type_id":
                return ContentType.objects.get_for_model(Organisation).pk
            if param == "object_id":
                return side.world.organisations[0].pk
        if param == "object_id":
            label = _admin_model(route)
            if label in ADMIN_OBJECTS:
                return ADMIN_OBJECTS[label](side)
            if label is None or label.startswith("core."):
                raise UnknownParameter(
                    f"{route}: add the admin model {label!r} to ADMIN_OBJECTS in tests/routes.py"
                )
            return 1
        if param == "app_label":
            return "core"
        if param == "url":
            return "no-such-page"
        if param == "pk":  # django-otp's device pages: a device of the side's admin
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(
                user=side.world.user(Role.PARTNERSHIP_ADMIN),
                name="route-tests",
                defaults={"confirmed": True},
            )
            return device.pk
    raise UnknownParameter(
        f"Route {route} ({route.route}) has the URL parameter {param!r}, which the route tests "
        "do not know how to fill. Add it to KWARG_IDS in tests/routes.py: a function returning "
        "the id of the side's (partnership's) object, so the tests can prove another "
        "partnership's id answers 404."
    )


def url_values(route: Route, side: Side) -> dict[str, object]:
    """Values for every URL parameter of the route, from the side's partnership."""
    values = {}
    for param in route.params:
        if param in KWARG_IDS:
            values[param] = KWARG_IDS[param](side)
        else:
            values[param] = _special(route, param, side)
    return values


def url_for(route: Route, side: Side) -> str:
    return route.path(url_values(route, side))


# --- Example bodies ------------------------------------------------------------------------------


def _nothing(side: Side) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Example:
    """A valid body for a route, built from a side's own ids.

    `changes`: whether a successful request changes tenant data (and so must be audited).
    """

    body: Callable[[Side], dict[str, Any]] = _nothing
    changes: bool = True


# A page whose POST changes nothing (it has no form): the tests check that it really does not.
NO_CHANGE = Example(changes=False)


def _self_assessment() -> dict[str, Any]:
    """A whole self-assessment: every component rated."""
    from tip.programmes.components import load_components

    body = {"assessed_on": "1/3/2026"}
    for c in load_components():
        prefix = c.code.replace(".", "-")
        body |= {f"{prefix}-level": "developing", f"{prefix}-evidence": "", f"{prefix}-owner": ""}
    return body


def _trainer_answers() -> dict[str, Any]:
    """An answer to every question about trainers: "yes" to the key criteria."""
    from tip.training.trainer_questions import load_questions

    return {f"{q.code}-answer": "yes" if q.key else "partly" for q in load_questions()}


@dataclass(frozen=True)
class Upload:
    """A file in a page's form body: the test client sends it as a multipart upload. Two uploads
    of the same file are equal, so a body that is only a file carries no ids."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"

    def read(self) -> bytes:
        return self.content


def _theory_of_change_file(side: Side) -> dict[str, Any]:
    document = {
        "format": "tip.theory-of-change",
        "version": 1,
        "programme": {"name": "Imported youth diversion", "aims": "Fewer first-time entrants"},
        "elements": [
            {"ref": "a", "kind": "activity", "title": "Trauma-informed training"},
            {
                "ref": "o",
                "kind": "outcome",
                "title": "Practitioners recognise trauma",
                "level": "practitioners",
                "horizon": "short",
            },
        ],
        "links": [{"source": "a", "target": "o", "evidence": "moderate"}],
        "notes": [
            {"kind": "assumption", "text": "Staff can attend", "element": "a"},
            {"kind": "barrier", "text": "Staff turnover", "link": {"source": "a", "target": "o"}},
        ],
        "indicators": [
            {
                "outcome": "o",
                "what": "Confidence",
                "how": "Survey",
                "from_whom": "Staff",
                "when": "Termly",
            }
        ],
        "evaluation_questions": [{"text": "Did confidence grow?", "status": "accepted"}],
    }
    content = json.dumps(document).encode()
    return {"file": Upload("theory-of-change.json", content, "application/json"), "name": ""}


def _api_self_assessment(side: Side) -> dict[str, Any]:
    """A whole self-assessment through the API, of the side's second organisation."""
    from tip.programmes.components import component_codes

    return {
        "organisation": side.world.organisations[1].pk,
        "assessed_on": "2026-03-01",
        "ratings": {
            code: {"level": "developing", "owner": "Safeguarding team"}
            for code in component_codes()
        },
    }


_NEW_ORGANISATION = {"name": "Youth Club Partnership Trust", "sector": Sector.VOLUNTARY}

EXAMPLES: dict[str, Example] = {
    # Pages
    "core:dashboard": NO_CHANGE,
    "core:partnership-switch": Example(
        lambda s: {"partnership": s.tenant.partnership.pk}, changes=False
    ),
    "core:account-language": Example(lambda s: {"language": "cy"}),
    "core:api-tokens": Example(lambda s: {"name": "Quarterly return script"}),
    "core:api-token-revoke": Example(),
    "core:organisation-list": NO_CHANGE,
    "core:organisation-create": Example(lambda s: dict(_NEW_ORGANISATION)),
    "core:organisation-detail": NO_CHANGE,
    "core:organisation-edit": Example(lambda s: {"name": "Renamed Schools", "sector": "health"}),
    "core:organisation-delete": Example(),
    "core:person-list": NO_CHANGE,
    "core:person-add": Example(
        lambda s: {
            "full_name": "Nia New Starter",
            "email": "nia.new.starter@example.org",
            "job_title": "Youth worker",
            "organisation": s.world.organisations[0].pk,
            "roles": [Role.TRAINER, Role.CHAMPION],
        }
    ),
    "core:person-detail": NO_CHANGE,
    "core:person-edit": Example(
        lambda s: {
            "organisation": s.world.organisations[1].pk,
            "roles": [Role.CHAMPION],
            "job_title": "Senior outreach worker",
        }
    ),
    "core:person-remove": Example(),
    "core:audit-log": NO_CHANGE,
    "core:audit-export": NO_CHANGE,
    "programmes:programme-list": NO_CHANGE,
    "programmes:programme-create": Example(
        lambda s: {"name": "Trauma-informed youth justice", "aims": "Fewer re-arrests"}
    ),
    "programmes:programme-detail": NO_CHANGE,
    "programmes:element-create": Example(lambda s: {"kind": "activity", "title": "Assemblies"}),
    "programmes:outcome-library": Example(lambda s: {"outcomes": [load_outcomes()[0].code]}),
    "programmes:element-edit": Example(
        lambda s: {"title": "Staff notice trauma", "level": "practitioners", "horizon": "medium"}
    ),
    "programmes:element-delete": Example(),
    "programmes:element-note-create": Example(
        lambda s: {"kind": "barrier", "text": "Cover for staff is hard to find"}
    ),
    "programmes:link-note-create": Example(
        lambda s: {"kind": "enabler", "text": "Head teachers back the training"}
    ),
    "programmes:note-delete": Example(),
    "programmes:indicator-create": Example(
        lambda s: {"what": "Referrals", "how": "Records", "from_whom": "Schools", "when": "Yearly"}
    ),
    "programmes:indicator-delete": Example(),
    "programmes:link-create": Example(
        lambda s: {
            "source": s.tenant.toc["outcome"].pk,
            "target": s.tenant.toc["later"].pk,
            "evidence": "moderate",
            "rationale": "Staff who notice trauma respond calmly",
        }
    ),
    "programmes:link-delete": Example(),
    "programmes:question-list": NO_CHANGE,
    "programmes:question-decide": Example(
        lambda s: {"decision": "accept", "text": "Does training change what staff notice?"}
    ),
    "programmes:programme-import": Example(_theory_of_change_file),
    "programmes:governance": NO_CHANGE,
    "programmes:codesign-list": NO_CHANGE,
    "programmes:details-edit": Example(
        lambda s: {
            "name": "Trauma-informed schools and youth work",
            "aims": "Calmer schools",
            "target_sectors": ["education", "voluntary"],
            "target_groups": ["frontline", "support_staff"],
        }
    ),
    "programmes:phases-edit": Example(
        lambda s: {
            "learn_starts_on_day": "1",
            "learn_starts_on_month": "4",
            "learn_starts_on_year": "2026",
            "learn_ends_on_day": "30",
            "learn_ends_on_month": "6",
            "learn_ends_on_year": "2026",
            "implement_starts_on_day": "1",
            "implement_starts_on_month": "7",
            "implement_starts_on_year": "2026",
            "implement_ends_on_day": "31",
            "implement_ends_on_month": "3",
            "implement_ends_on_year": "2027",
            "review_starts_on_day": "1",
            "review_starts_on_month": "4",
            "review_starts_on_year": "2027",
            "review_ends_on_day": "30",
            "review_ends_on_month": "6",
            "review_ends_on_year": "2027",
        }
    ),
    "programmes:sro-edit": Example(
        lambda s: {"sro_member": "", "sro_name": "Sam Owner", "sro_role": "Director"}
    ),
    "programmes:board-member-create": Example(
        lambda s: {
            "name": "Ade Board",
            "role": "Member",
            "organisation": s.world.organisations[1].pk,
        }
    ),
    "programmes:board-member-delete": Example(),
    "programmes:organisation-lead-create": Example(
        lambda s: {"organisation": s.world.organisations[1].pk, "name": "Lee Lead", "role": "Head"}
    ),
    "programmes:organisation-lead-delete": Example(),
    "programmes:codesign-create": Example(
        lambda s: {
            "who_took_part": ["practitioners", "lived_experience"],
            "how": "Two workshops",
            "held_on_day": "12",
            "held_on_month": "5",
            "held_on_year": "2026",
            "what_changed": "The training starts with safety",
        }
    ),
    "programmes:codesign-delete": Example(),
    "programmes:programme-export-json": NO_CHANGE,
    "programmes:programme-export-csv": NO_CHANGE,
    "programmes:programme-export-pdf": NO_CHANGE,
    "programmes:programme-export-png": NO_CHANGE,
    "programmes:programme-export-xlsx": NO_CHANGE,
    "programmes:readiness": NO_CHANGE,
    "programmes:readiness-plan": Example(
        lambda s: {"follow_up_planned": "yes", "course_hours": "7", "baseline_planned": "no"}
    ),
    "programmes:assessment-overview": NO_CHANGE,
    "programmes:assessment-export": NO_CHANGE,
    "programmes:assessment-history": NO_CHANGE,
    "programmes:assessment-record": Example(lambda s: _self_assessment()),
    "training:index": NO_CHANGE,
    "training:course-list": NO_CHANGE,
    "training:course-create": Example(
        lambda s: {
            "name": "Trauma awareness for reception staff",
            "programme": s.tenant.programme.pk,
            "topics": ["aces_and_trauma", "avoiding_retraumatisation"],
            "own_topics": "The first five minutes",
            "audience_sectors": ["health", "police"],
            "audience_groups": ["support_staff"],
            "hours": "3",
            "slides_sent": "yes",
            "train_the_trainer": "no",
        }
    ),
    "training:course-detail": NO_CHANGE,
    "training:course-edit": Example(
        lambda s: {
            "name": "Foundation day for every agency",
            "programme": s.tenant.programme.pk,
            "hours": "6.5",
            "audience_groups": ["frontline", "senior_leaders"],
            "slides_sent": "no",
            "train_the_trainer": "no",
        }
    ),
    "training:course-version-create": Example(lambda s: {"changes": "A new case study"}),
    "training:course-version-detail": NO_CHANGE,
    "training:course-module-create": Example(
        lambda s: {"title": "Vicarious trauma", "duration_minutes": "45", "content_warnings": ""}
    ),
    "training:course-module-edit": Example(
        lambda s: {"title": "Recognising trauma", "duration_minutes": "60", "order": "1"}
    ),
    "training:course-module-delete": Example(),
    "training:course-material-create": Example(
        lambda s: {
            "title": "Slides",
            "file": Upload("slides.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        }
    ),
    "training:course-material-download": NO_CHANGE,
    "training:course-material-delete": Example(),
    "training:course-follow-up-create": Example(
        lambda s: {
            "name": "Refresher",
            "kind": "refresher",
            "offset": "12",
            "offset_unit": "months",
        }
    ),
    "training:course-follow-up-delete": Example(),
    "training:provider-list": NO_CHANGE,
    "training:provider-create": Example(
        lambda s: {"name": "Safe Spaces Training", "kind": "voluntary", "description": "Local"}
    ),
    "training:provider-detail": NO_CHANGE,
    "training:provider-edit": Example(
        lambda s: {"name": "Renamed Training Ltd", "kind": "in_house", "description": ""}
    ),
    "training:provider-delete": Example(),
    "training:trainer-create": Example(lambda s: {"name": "Dev Trainer", "role": "Nurse"}),
    "training:trainer-detail": NO_CHANGE,
    "training:trainer-edit": Example(lambda s: {"name": "Tess Renamed", "role": "Therapist"}),
    "training:trainer-delete": Example(),
    "training:trainer-answers": Example(lambda s: _trainer_answers()),
    "training:clearance-create": Example(
        lambda s: {
            "clearance_type": "nppv2",
            "status": "applied",
            "applied_on_day": "2",
            "applied_on_month": "3",
            "applied_on_year": "2026",
        }
    ),
    "training:clearance-edit": Example(
        lambda s: {
            "clearance_type": "dbs_enhanced_barred",
            "status": "granted",
            "issued_on_day": "6",
            "issued_on_month": "1",
            "issued_on_year": "2025",
            "expires_on_day": "6",
            "expires_on_month": "1",
            "expires_on_year": "2028",
        }
    ),
    "training:clearance-delete": Example(),
    "training:clearance-settings": NO_CHANGE,
    "training:clearance-planning": Example(
        lambda s: {"optimism_bias_percent": "60", "lead_dbs_enhanced": "35"}
    ),
    "training:setting-create": Example(
        lambda s: {
            "name": "Eastgate custody suite",
            "kind": "custody",
            "required_clearances": ["nppv2", "custody_access"],
        }
    ),
    "training:setting-edit": Example(
        lambda s: {"name": "All schools", "kind": "school", "required_clearances": ["dbs_basic"]}
    ),
    "training:setting-delete": Example(),
    "training:clearance-planner": NO_CHANGE,
    "training:course-cascade": NO_CHANGE,
    "training:certification-create": Example(
        lambda s: (
            {
                "trainer": s.tenant.toc["trainer"].pk,
                "course_version": s.tenant.toc["course_version"].pk,
                "certified_by": s.tenant.toc["cascade_trainer"].pk,
                "session": "",
            }
            | _cascade_dates("certified_on")
        )
    ),
    "training:certification-delete": Example(),
    "training:trainer-observations": NO_CHANGE,
    "training:observation-create": Example(
        lambda s: (
            {"observer": "Lead trainer", "session": "", "notes": "Calm and clear"}
            | _cascade_dates("observed_on")
            | {f"rating_{code}": str(r) for code, r in _CASCADE_RATINGS.items()}
        )
    ),
    "training:cascade-mine": NO_CHANGE,
    "training:cascade-acknowledge": Example(),
    "training:cascade-acknowledgement-record": Example(
        lambda s: {"recorded_means": "phone"} | _today_parts("recorded_on")
    ),
    "training:delivery-settings": Example(
        lambda s: {
            "offer_hours": "24",
            "reconfirm_days_virtual": "10, 3",
            "reconfirm_days_in_person": "7",
            "reconfirm_days_hybrid": "7",
            "check_in_retention_days": "5",
            "follow_up_reminder_days": "3",
            "observation_due_days": "60",
            "certification_lapses_days": "300",
        }
    ),
    "training:register-list": NO_CHANGE,
    "training:register": Example(_register_marks),
    "training:attendance-rates": NO_CHANGE,
    "training:certificate-download": NO_CHANGE,
    "training:my-record": NO_CHANGE,
    "training:my-record-csv": NO_CHANGE,
    "training:record-list": NO_CHANGE,
    "training:person-record": NO_CHANGE,
    "training:person-record-csv": NO_CHANGE,
    "training:course-follow-up-invitations": NO_CHANGE,
    "training:follow-up-invitation": Example(lambda s: {"status": "missed"}),
    "training:dashboard-list": NO_CHANGE,
    "training:programme-dashboard": NO_CHANGE,
    "training:programme-targets": Example(
        lambda s: (
            {"organisation": s.world.organisations[0].pk, "staff_group": "volunteers"}
            | {"people": "12"}
        )
    ),
    "training:target-edit": Example(
        lambda s: (
            {"organisation": s.world.organisations[0].pk, "staff_group": "managers"}
            | {"people": "25"}
        )
    ),
    "training:target-remove": Example(),
    "evaluation:index": NO_CHANGE,
    "evaluation:plan": NO_CHANGE,
    "evaluation:plan-edit": Example(
        lambda s: {
            "comparison_group": "yes",
            "comparison_description": "Staff trained next year",
            "anonymous": "booking",
            "link_mismatches": "1",
            "days_open": "14",
            "reminder_days": "3",
            "retention_days": "730",
        }
    ),
    "evaluation:wave-create": Example(
        lambda s: {"name": "Three months after", "kind": "follow_up", "offset_days": "91"}
    ),
    "evaluation:wave-edit": Example(
        lambda s: {"name": "The day after", "kind": "post", "offset_days": "1"}
    ),
    "evaluation:wave-remove": Example(),
    # The plan already uses tip-kac (_evaluation_plan).
    "evaluation:measure-create": Example(
        lambda s: {
            "instrument": "tip-feedback",
            "waves": [s.tenant.toc["wave_post"].pk],
            "outcomes": [s.tenant.toc["outcome"].pk],
        }
    ),
    "evaluation:measure-edit": Example(
        lambda s: {
            "instrument": "tip-kac",
            "waves": [s.tenant.toc["wave_baseline"].pk, s.tenant.toc["wave_post"].pk],
        }
    ),
    "evaluation:measure-remove": Example(),
    "evaluation:rates": NO_CHANGE,
    # Brings the invitations up to date: the programme's booked participants become respondents.
    "evaluation:invitations": Example(),
    "evaluation:cohort-list": NO_CHANGE,
    "evaluation:cohort-create": Example(
        lambda s: {"name": "Staff in partner schools", "reference_date": "1/10/2026"}
    ),
    "evaluation:cohort-edit": Example(
        lambda s: {"name": "Renamed cohort", "reference_date": "2/9/2026", "description": ""}
    ),
    "evaluation:cohort-remove": Example(),
    "evaluation:cohort-members": Example(lambda s: {"memberships": [s.tenant.person.pk]}),
    "evaluation:cohort-emails": Example(lambda s: {"emails": "three@cohort-new.example"}),
    "evaluation:cohort-member-remove": Example(),
    # Imports (views_imports): uploading and mapping only stage a file; the preview commits.
    "evaluation:import-start": Example(
        lambda s: {
            "wave": s.tenant.toc["wave_baseline"].pk,
            "instrument": "tip-kac",
            "group": "trained",
            "file": Upload("answers.csv", b"n,a01\n1,4\n", "text/csv"),
        },
        changes=False,
    ),
    "evaluation:artic-start": Example(
        lambda s: {
            "wave": s.tenant.toc["wave_baseline"].pk,
            "version": "ARTIC-45",
            "group": "trained",
            "file": Upload("artic.csv", b"ID,ARTIC total\n1,4.5\n", "text/csv"),
        },
        changes=False,
    ),
    "evaluation:import-columns": Example(
        lambda s: {"col_0": "respondent:number", "col_1": "item:a01", "date_order": "auto"},
        changes=False,
    ),
    "evaluation:import-preview": Example(),
    "evaluation:import-cancel": Example(changes=False),
    "evaluation:observation-list": NO_CHANGE,
    "evaluation:observation": NO_CHANGE,
    "evaluation:observation-create": Example(
        lambda s: (
            {"team": "Duty team", "observed_on_day": "2", "observed_on_month": "2"}
            | {"observed_on_year": "2026", "item_safety": "3", "item_trust": "not_applicable"}
        )
    ),
    "evaluation:observation-edit": Example(
        lambda s: (
            {"organisation": s.world.organisations[0].pk, "observed_on_day": "3"}
            | {"observed_on_month": "2", "observed_on_year": "2026", "item_safety": "4"}
        )
    ),
    "evaluation:observation-remove": Example(),
    "evaluation:instrument-list": NO_CHANGE,
    "evaluation:instrument-detail": NO_CHANGE,
    "evaluation:instrument-add": Example(lambda s: {"text": _instrument_text(2)}),
    "evaluation:instrument-remove": Example(),
    "evaluation:export": NO_CHANGE,
    "evaluation:export-answers": NO_CHANGE,
    "evaluation:export-observations": NO_CHANGE,
    "evaluation:export-package": NO_CHANGE,
    "evaluation:report-programme": NO_CHANGE,
    "evaluation:report-programme-pdf": NO_CHANGE,
    "evaluation:report-course": NO_CHANGE,
    "evaluation:report-course-pdf": NO_CHANGE,
    "evaluation:report-session": NO_CHANGE,
    "evaluation:report-session-pdf": NO_CHANGE,
    "evaluation:report-partnership": NO_CHANGE,
    "evaluation:report-partnership-pdf": NO_CHANGE,
    "evaluation:coding-codebook": NO_CHANGE,
    "evaluation:coding-code-create": Example(lambda s: {"label": "New code"}),
    "evaluation:coding-code-edit": Example(lambda s: {"label": "Renamed code"}),
    # The code is in use: it is retired.
    "evaluation:coding-code-retire": Example(),
    "evaluation:coding-texts": NO_CHANGE,
    "evaluation:coding-text": Example(lambda s: {"codes": [s.tenant.toc["coding_code"].pk]}),
    "evaluation:coding-sample": Example(lambda s: {"share": "20"}),
    "evaluation:coding-agreement": NO_CHANGE,
    "evaluation:coding-themes": NO_CHANGE,
    "evaluation:coding-quotes": NO_CHANGE,
    "national:index": NO_CHANGE,
    "national:share-list": NO_CHANGE,
    "national:share": Example(lambda s: {"action": "share", "named": "yes"}),
    "national:share-package": NO_CHANGE,
    # The language checker: checking stores nothing (not the text); "not relevant here" counts.
    "language:check": Example(
        lambda s: {"text": "She refused to engage.", "language": "en", "audience": "all"},
        changes=False,
    ),
    "language:check-json": Example(lambda s: {"text": "She refused to engage."}, changes=False),
    "language:feedback": Example(
        lambda s: {"rule": "refused-to-engage", "where": "language:check", "next": "/language/"}
    ),
    "language:rules": NO_CHANGE,
    "language:settings": NO_CHANGE,
    "language:rule-create": Example(lambda s: _language_rule_form("new-local-rule")),
    "language:rule-edit": Example(lambda s: _language_rule_form("local-jargon", "warning")),
    "language:rule-remove": Example(),
    "language:silence": Example(
        lambda s: {"language": "en", "rule_id": _shipped_rule(1), "reason": "Agreed locally"}
    ),
    "language:restore": Example(),
    "language:allow": Example(lambda s: {"phrase": "Rowan Lodge", "language": "en"}),
    "language:disallow": Example(),
    "api-1.0.0:language_check": Example(
        lambda s: {"text": "She refused to engage.", "audience": "children"}, changes=False
    ),
    "api-1.0.0:language_feedback": Example(
        lambda s: {"rule": "refused-to-engage", "where": "training:session-create"}
    ),
    "api-1.0.0:language_partnership_rule_create": Example(
        lambda s: (
            _LANGUAGE_RULE
            | {
                "rule_id": "api-rule",
                "phrases": ["=CIN"],
                "except": ["=CIN number"],
                "suggestions": ["a child in need"],
            }
        )
    ),
    "api-1.0.0:language_partnership_rule_delete": Example(),
    "api-1.0.0:register_update": Example(_api_register_marks),
    "training:venue-list": NO_CHANGE,
    "training:venue-create": Example(
        lambda s: (
            {"name": "Library", "step_free_access": "yes", "hearing_loop": "no"}
            | {"quiet_room": "unknown"}
        )
    ),
    "training:venue-edit": Example(
        lambda s: (
            {"name": "Renamed Centre", "step_free_access": "no", "hearing_loop": "yes"}
            | {"quiet_room": "yes", "setting": s.tenant.toc["setting"].pk}
        )
    ),
    "training:venue-delete": Example(),
    "training:session-list": NO_CHANGE,
    "training:sessions-teaching": NO_CHANGE,
    "training:session-create": Example(_session_form),
    "training:session-detail": NO_CHANGE,
    "training:session-edit": Example(
        lambda s: (
            {"format": "virtual", "online_link": "https://meet.example/moved"}
            | {"capacity": "30", "reconfirm_days": "7, 2"}
        )
    ),
    "training:session-part-create": Example(lambda s: _part_form(75)),
    "training:session-part-edit": Example(lambda s: _part_form(61)),
    "training:session-part-delete": Example(),
    "training:session-trainer-add": Example(
        lambda s: {"trainer": s.tenant.toc["second_trainer"].pk}
    ),
    "training:session-trainer-remove": Example(),
    "training:session-publish": Example(),
    "training:session-confirm": Example(),
    "training:session-cancel": Example(lambda s: {"reason": "The trainer is unwell"}),
    "training:trainer-account": Example(lambda s: {"membership": s.tenant.person.pk}),
    "training:my-training": NO_CHANGE,
    "training:my-booking": Example(lambda s: {"action": "confirm"}),
    "training:session-book": Example(lambda s: {"check_in": "on"}),
    "training:session-book-for-staff": Example(
        lambda s: {"person": s.world.members[Role.PRACTITIONER].pk}
    ),
    "training:session-bookings": NO_CHANGE,
    "training:session-check-ins": NO_CHANGE,
    "training:welfare-offer-list": NO_CHANGE,
    "training:welfare-offer-edit": Example(
        lambda s: {"offer": "Counselling through the EAP", "contacts": "0800 000 0000"}
    ),
    # API
    "api-1.0.0:session_create": Example(
        lambda s: {
            "course": s.tenant.toc["course"].pk,
            "format": "virtual",
            "online_link": "https://meet.example/api",
            "capacity": 15,
            "parts": [
                {
                    "date": (datetime.date.today() + datetime.timedelta(days=80)).isoformat(),
                    "starts": "10:00",
                    "ends": "12:00",
                }
            ],
        }
    ),
    "api-1.0.0:course_create": Example(
        lambda s: {
            "name": "Awareness for reception staff",
            "hours": 3,
            "programme": s.tenant.programme.pk,
        }
    ),
    "api-1.0.0:booking_create": Example(lambda s: {"session": s.tenant.toc["open_session"].pk}),
    "api-1.0.0:booking_cancel": Example(),
    "api-1.0.0:follow_up_invitation_update": Example(lambda s: {"status": "declined"}),
    # The tenant's programme already has a target for its first organisation (_training_dashboard).
    "api-1.0.0:target_create": Example(
        lambda s: (
            {"organisation": s.world.organisations[0].pk, "staff_group": "volunteers"}
            | {"people": 12}
        )
    ),
    "api-1.0.0:target_patch": Example(
        lambda s: {"organisation": s.world.organisations[0].pk, "staff_group": "managers"}
    ),
    "api-1.0.0:target_delete": Example(),
    "api-1.0.0:evaluation_plan_put": Example(
        lambda s: {"comparison_group": True, "comparison_description": "Staff trained next year"}
    ),
    "api-1.0.0:evaluation_wave_create": Example(
        lambda s: {"name": "Three months after", "kind": "follow_up", "offset_days": 91}
    ),
    "api-1.0.0:evaluation_wave_patch": Example(lambda s: {"offset_days": 1}),
    "api-1.0.0:evaluation_wave_delete": Example(),
    "api-1.0.0:evaluation_measure_create": Example(
        lambda s: {
            "instrument_id": "tip-feedback",
            "instrument_version": 1,
            "waves": [s.tenant.toc["wave_post"].pk],
        }
    ),
    "api-1.0.0:evaluation_measure_patch": Example(
        lambda s: {"waves": [s.tenant.toc["wave_baseline"].pk, s.tenant.toc["wave_post"].pk]}
    ),
    "api-1.0.0:evaluation_measure_delete": Example(),
    "api-1.0.0:evaluation_invitation_sync": Example(),
    "api-1.0.0:evaluation_cohort_create": Example(
        lambda s: {"name": "API cohort", "reference_date": "2026-10-01"}
    ),
    "api-1.0.0:evaluation_cohort_patch": Example(lambda s: {"name": "Renamed by the API"}),
    "api-1.0.0:evaluation_cohort_delete": Example(),
    "api-1.0.0:evaluation_cohort_members_add": Example(
        lambda s: {"emails": "four@cohort-new.example"}
    ),
    "api-1.0.0:evaluation_observation_create": Example(
        lambda s: {"team": "Duty team", "observed_on": "2026-02-02", "answers": {"safety": 3}}
    ),
    "api-1.0.0:evaluation_observation_delete": Example(),
    "api-1.0.0:evaluation_partnership_instrument_create": Example(
        lambda s: {"text": _instrument_text(2)}
    ),
    "api-1.0.0:evaluation_partnership_instrument_delete": Example(),
    "api-1.0.0:evaluation_response_import": Example(
        lambda s: {
            "wave": s.tenant.toc["wave_baseline"].pk,
            "instrument": "tip-kac",
            "csv": "n,a01\n1,4\n2,5\n",
            "mapping": {"n": "respondent:number", "a01": "item:a01"},
            "dry_run": False,
        }
    ),
    "api-1.0.0:organisation_create": Example(lambda s: dict(_NEW_ORGANISATION)),
    "api-1.0.0:organisation_put": Example(
        lambda s: {"name": "Renamed Schools", "sector": "health"}
    ),
    "api-1.0.0:organisation_patch": Example(lambda s: {"sector": "health"}),
    "api-1.0.0:organisation_delete": Example(),
    "api-1.0.0:programme_create": Example(lambda s: {"name": "Safer streets", "aims": "Calm"}),
    "api-1.0.0:element_create": Example(
        lambda s: (
            {"kind": "outcome", "title": "Fewer exclusions", "level": "sector"}
            | {"horizon": "long"}
        )
    ),
    "api-1.0.0:element_patch": Example(lambda s: {"title": "Staff notice trauma"}),
    "api-1.0.0:element_delete": Example(),
    "api-1.0.0:link_create": Example(
        lambda s: {
            "source": s.tenant.toc["outcome"].pk,
            "target": s.tenant.toc["later"].pk,
            "evidence": "emerging",
        }
    ),
    "api-1.0.0:link_delete": Example(),
    "api-1.0.0:provider_create": Example(lambda s: {"name": "Calm Minds CIC", "kind": "voluntary"}),
    "api-1.0.0:provider_patch": Example(lambda s: {"kind": "in_house"}),
    "api-1.0.0:provider_delete": Example(),
    "api-1.0.0:trainer_create": Example(lambda s: {"name": "Ola Trainer", "role": "Teacher"}),
    "api-1.0.0:trainer_delete": Example(),
    "api-1.0.0:certification_create": Example(
        lambda s: {
            "course_version": s.tenant.toc["course_version"].pk,
            "certified_on": "2026-03-01",
            "certified_by": s.tenant.toc["cascade_trainer"].pk,
        }
    ),
    "api-1.0.0:observation_create": Example(
        lambda s: {
            "observed_on": "2026-03-02",
            "observer": "Lead trainer",
            "ratings": dict(_CASCADE_RATINGS),
        }
    ),
    "api-1.0.0:readiness_answers_update": Example(
        lambda s: {
            "answers": {"follow_up_planned": {"answer": "yes"}, "course_hours": {"answer": 6}}
        }
    ),
    "api-1.0.0:element_note_create": Example(
        lambda s: {"kind": "barrier", "text": "Cover for staff is hard to find"}
    ),
    "api-1.0.0:link_note_create": Example(
        lambda s: {"kind": "enabler", "text": "Head teachers back the training"}
    ),
    "api-1.0.0:note_delete": Example(),
    "api-1.0.0:indicator_create": Example(
        lambda s: {"what": "Referrals", "how": "Records", "from_whom": "Schools", "when": "Yearly"}
    ),
    "api-1.0.0:indicator_delete": Example(),
    "api-1.0.0:question_create": Example(lambda s: {"text": "Do pupils feel safer at school?"}),
    "api-1.0.0:proposal_accept": Example(
        lambda s: {"text": "Does training change what staff notice?"}
    ),
    "api-1.0.0:proposal_dismiss": Example(),
    "api-1.0.0:assessment_create": Example(_api_self_assessment),
}

# The capability each API operation checks (None: any valid token).
API_CAPABILITIES: dict[str, str | None] = {
    "api-1.0.0:me": None,
    "api-1.0.0:course_list": VIEW_TRAINING,
    "api-1.0.0:course_create": MANAGE_TRAINING,
    "api-1.0.0:course_detail": VIEW_TRAINING,
    "api-1.0.0:session_list": VIEW_TRAINING,
    "api-1.0.0:session_detail": VIEW_TRAINING,
    "api-1.0.0:session_create": MANAGE_TRAINING,
    "api-1.0.0:booking_list": VIEW_TRAINING,
    "api-1.0.0:booking_create": VIEW_TRAINING,
    "api-1.0.0:booking_cancel": VIEW_TRAINING,
    "api-1.0.0:organisation_list": Capability.VIEW_ORGANISATIONS,
    "api-1.0.0:organisation_create": Capability.MANAGE_ORGANISATIONS,
    "api-1.0.0:organisation_detail": Capability.VIEW_ORGANISATIONS,
    "api-1.0.0:organisation_put": Capability.MANAGE_ORGANISATIONS,
    "api-1.0.0:organisation_patch": Capability.MANAGE_ORGANISATIONS,
    "api-1.0.0:organisation_delete": Capability.MANAGE_ORGANISATIONS,
    "api-1.0.0:person_list": Capability.VIEW_PEOPLE,
    "api-1.0.0:person_detail": Capability.VIEW_PEOPLE,
    "api-1.0.0:programme_list": VIEW_PROGRAMMES,
    "api-1.0.0:programme_create": MANAGE_PROGRAMMES,
    "api-1.0.0:programme_detail": VIEW_PROGRAMMES,
    "api-1.0.0:element_list": VIEW_PROGRAMMES,
    "api-1.0.0:element_create": MANAGE_PROGRAMMES,
    "api-1.0.0:element_detail": VIEW_PROGRAMMES,
    "api-1.0.0:element_patch": MANAGE_PROGRAMMES,
    "api-1.0.0:element_delete": MANAGE_PROGRAMMES,
    "api-1.0.0:link_list": VIEW_PROGRAMMES,
    "api-1.0.0:link_create": MANAGE_PROGRAMMES,
    "api-1.0.0:link_delete": MANAGE_PROGRAMMES,
    "api-1.0.0:readiness": VIEW_PROGRAMMES,
    "api-1.0.0:readiness_answers": VIEW_PROGRAMMES,
    "api-1.0.0:readiness_answers_update": MANAGE_PROGRAMMES,
    "api-1.0.0:provider_list": "view_training",
    "api-1.0.0:provider_create": "manage_training",
    "api-1.0.0:provider_detail": "view_training",
    "api-1.0.0:provider_patch": "manage_training",
    "api-1.0.0:provider_delete": "manage_training",
    "api-1.0.0:trainer_list": "view_trainer_records",
    "api-1.0.0:trainer_create": "manage_training",
    "api-1.0.0:trainer_detail": "view_trainer_records",
    "api-1.0.0:trainer_delete": "manage_training",
    "api-1.0.0:certification_list": "view_trainer_records",
    "api-1.0.0:certification_create": "manage_training",
    "api-1.0.0:observation_list": "view_trainer_records",
    "api-1.0.0:observation_create": "manage_training",
    "api-1.0.0:note_list": VIEW_PROGRAMMES,
    "api-1.0.0:element_note_list": VIEW_PROGRAMMES,
    "api-1.0.0:element_note_create": MANAGE_PROGRAMMES,
    "api-1.0.0:link_note_list": VIEW_PROGRAMMES,
    "api-1.0.0:link_note_create": MANAGE_PROGRAMMES,
    "api-1.0.0:note_delete": MANAGE_PROGRAMMES,
    "api-1.0.0:indicator_list": VIEW_PROGRAMMES,
    "api-1.0.0:element_indicator_list": VIEW_PROGRAMMES,
    "api-1.0.0:indicator_create": MANAGE_PROGRAMMES,
    "api-1.0.0:indicator_delete": MANAGE_PROGRAMMES,
    "api-1.0.0:question_list": VIEW_PROGRAMMES,
    "api-1.0.0:question_create": MANAGE_PROGRAMMES,
    "api-1.0.0:proposal_list": VIEW_PROGRAMMES,
    "api-1.0.0:proposal_accept": MANAGE_PROGRAMMES,
    "api-1.0.0:proposal_dismiss": MANAGE_PROGRAMMES,
    "api-1.0.0:assessment_components": VIEW_PROGRAMMES,
    "api-1.0.0:assessment_list": VIEW_PROGRAMMES,
    "api-1.0.0:assessment_latest": VIEW_PROGRAMMES,
    "api-1.0.0:assessment_detail": VIEW_PROGRAMMES,
    "api-1.0.0:assessment_create": ASSESS_ORGANISATIONS,
    "api-1.0.0:register_detail": "take_registers",
    "api-1.0.0:register_update": "take_registers",
    "api-1.0.0:my_record": VIEW_TRAINING,
    "api-1.0.0:my_follow_ups": VIEW_TRAINING,
    "api-1.0.0:follow_up_invitation_list": MANAGE_TRAINING,
    "api-1.0.0:follow_up_invitation_update": MANAGE_TRAINING,
    "api-1.0.0:delivery_dashboard": "view_delivery_dashboard",
    "api-1.0.0:target_list": MANAGE_TRAINING,
    "api-1.0.0:target_create": MANAGE_TRAINING,
    "api-1.0.0:target_detail": MANAGE_TRAINING,
    "api-1.0.0:target_patch": MANAGE_TRAINING,
    "api-1.0.0:target_delete": MANAGE_TRAINING,
    "api-1.0.0:evaluation_instrument_list": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_plan_get": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_plan_put": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_wave_list": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_wave_create": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_wave_patch": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_wave_delete": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_measure_list": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_measure_create": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_measure_patch": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_invitation_list": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_invitation_sync": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_rates": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_cohort_list": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_cohort_create": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_cohort_get": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_cohort_patch": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_cohort_delete": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_cohort_members_add": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_measure_delete": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_observation_list": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_observation_create": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_observation_get": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_observation_delete": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_partnership_instrument_list": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_partnership_instrument_create": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_partnership_instrument_get": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_partnership_instrument_delete": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_response_list": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_response_import": PLAN_EVALUATIONS,
    "api-1.0.0:evaluation_report_programme": VIEW_EVALUATION_REPORTS,
    "api-1.0.0:evaluation_report_course": VIEW_EVALUATION_REPORTS,
    "api-1.0.0:evaluation_report_session": VIEW_EVALUATION_REPORTS,
    "api-1.0.0:evaluation_report_partnership": VIEW_EVALUATION_REPORTS,
    "api-1.0.0:language_check": USE_LANGUAGE_CHECKER,
    "api-1.0.0:language_rules": USE_LANGUAGE_CHECKER,
    "api-1.0.0:language_feedback": USE_LANGUAGE_CHECKER,
    "api-1.0.0:language_partnership_rule_list": MANAGE_LANGUAGE_RULES,
    "api-1.0.0:language_partnership_rule_create": MANAGE_LANGUAGE_RULES,
    "api-1.0.0:language_partnership_rule_delete": MANAGE_LANGUAGE_RULES,
}


def example_for(route: Route) -> Example:
    if route.name not in EXAMPLES:
        raise LookupError(
            f"{route} ({route.route}) can change data, but EXAMPLES in tests/routes.py has no "
            "example for it. Add an Example with a valid body (or NO_CHANGE for a page whose "
            "POST changes nothing), so the route tests can prove it is audited."
        )
    return EXAMPLES[route.name]


def body_for(route: Route, side: Side) -> dict[str, Any]:
    return example_for(route).body(side) if route.mutating else {}
