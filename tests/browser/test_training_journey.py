"""A training session run end to end in real Chromium, by the three people who run it, in English
and in Welsh: the programme lead plans and publishes it, two practitioners book it (the second
joins the waiting list), the first re-confirms from the email asking them and then cancels, the
second takes the place offered, the trainer sees who asked to be checked in with and takes the
register, and the second practitioner downloads their certificate, whose code a stranger checks
signed out.

Each person signs in on the sign-in page (the programme lead with the second factor), the one
address they type; every other page is reached by following links and sending forms, except the
links that arrive by email, which are opened as a mail client would. Every page goes through
`submit` or `visit`, which run axe-core (WCAG 2.2 AA) on it; each is also checked for its
language and, in Welsh at 320 CSS pixels, for sideways scrolling (WCAG 1.4.10 Reflow).

Set up through the services beforehand, as a partnership would have them already: the course,
the setting, the venue, the provider, and the trainer's record with the clearance the setting
needs. Two things happen outside the browser, each where waiting would be: the sweep that asks
people to re-confirm is run at the moment it falls due, and later the session is moved into the
past so that its register can be taken.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import _PROBLEMS_KEY, OpenPage, _watch, submit, totp_code, visit
from tests.browser.test_pages import LANGUAGES, VIEWPORTS
from tests.conftest import World
from tests.factories import PASSWORD, verified_device
from tests.training.bookings_helpers import member
from tip.core.models import User
from tip.core.roles import Role
from tip.training import (
    selectors_bookings,
    services_bookings,
    services_clearances,
    services_courses,
    services_providers,
    services_sessions,
)
from tip.training.analysis.sessions import LONDON
from tip.training.models_bookings import Booking, BookingStatus, CheckInRequest
from tip.training.models_delivery import Certificate
from tip.training.models_sessions import Session, SessionPart, SessionStatus

pytestmark = pytest.mark.browser

TITLE = "Foundation day at Hill School"
COURSE = "Trauma-informed foundation day"


class Person:
    """One person's browser, in one language. Every page it reaches is checked: axe-core, one
    <h1>, no script errors (through `submit`/`visit`), its language and, in Welsh at 320
    pixels, no sideways scrolling."""

    def __init__(self, page: Page, language: str) -> None:
        self.page = page
        self.language = language
        page.set_viewport_size(VIEWPORTS[language])

    def t(self, text: str) -> str:
        """`text` as the person reads it, from the same catalogue the pages use."""
        with translation.override(self.language):
            return gettext(text)

    def tn(self, singular: str, plural: str, count: int) -> str:
        with translation.override(self.language):
            return ngettext(singular, plural, count) % {"count": count}

    @property
    def main(self) -> Locator:
        return self.page.locator("main")

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def arrived(self) -> None:
        lang = self.page.locator("html").get_attribute("lang")
        assert lang == self.language, f"{self.page.url}: <html lang={lang!r}>"
        width = self.page.evaluate("document.documentElement.scrollWidth")
        viewport = VIEWPORTS[self.language]["width"]
        assert width <= viewport, (
            f"{self.page.url} is {width}px wide in a {viewport}px window: it scrolls sideways"
        )

    def new_tab(self) -> Person:
        """Another tab of the same browser (signed in alike), as a mail client opens a link;
        watched for script errors and missing assets as `open_page` watches its pages."""
        page = self.page.context.new_page()
        setattr(page, _PROBLEMS_KEY, _watch(page))
        return Person(page, self.language)

    def open(self, url: str) -> None:
        """Open an address: the sign-in page, or a link that came by email."""
        visit(self.page, url)
        self.arrived()

    def go(self, control: Locator, *, status: int = 200) -> None:
        submit(self.page, control, status=status)
        self.arrived()

    def link(self, text: str, *, translate: bool = True, exact: bool = False) -> None:
        name = self.t(text) if translate else text
        self.go(self.main.get_by_role("link", name=name, exact=exact))

    def button(self, text: str, *, within: Locator | None = None) -> None:
        self.go((within or self.main).get_by_role("button", name=self.t(text), exact=True))

    def says(self, text: str, *, translate: bool = True) -> None:
        expect(self.main).to_contain_text(self.t(text) if translate else text)

    def label(self, text: str) -> Locator:
        return self.page.get_by_label(self.t(text), exact=True)

    def back(self, text: str = "Back") -> None:
        """The back link above the page's heading."""
        self.go(self.page.get_by_role("link", name=self.t(text), exact=True))

    def nav(self, text: str) -> None:
        """A section of the service navigation; on a narrow screen, behind its menu button."""
        header = self.page.locator("header")
        menu = header.get_by_role("button", name=self.t("Menu"))
        if menu.is_visible():
            menu.click()
        self.go(header.get_by_role("link", name=self.t(text), exact=True))


# Each language by its own name, as the account page offers them.
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}


def sign_in(open_page: OpenPage, user: User, language: str, *, device: Any = None) -> Person:
    """Sign in as a new user would, on the sign-in page; the second factor if their roles need
    one. They land on the dashboard and go to Training from there."""
    person = Person(open_page(language=language), language)
    person.open("/accounts/sign-in/")
    person.label("Email address").fill(user.email)
    person.label("Password").fill(PASSWORD)
    person.button("Sign in")
    if device is not None:
        person.label("Security code").fill(totp_code(device))
        person.button("Continue")
    assert person.path == "/dashboard/", person.page.url
    # Like a new user, they choose their language on their account, so TIP writes to them in it.
    person.link("Your account", exact=True)
    person.page.get_by_label(LANGUAGE_NAMES[language], exact=True).check()
    person.button("Save")
    person.says("Your language is saved")
    person.nav("Training")
    return person


def links_in(message: mail.EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", str(message.body))


def email_to(user: User, kind: str, language: str) -> mail.EmailMessage:
    """The one email of `kind` (see `services_bookings.SUBJECTS`) sent to `user`, its subject in
    `language`: the recipient's, whoever's action (or the nightly sweep) sent it."""
    with translation.override(language):
        template = gettext(services_bookings.SUBJECTS[kind])
    pattern = re.compile(".+".join(re.escape(piece) for piece in re.split(r"%\(\w+\)s", template)))
    found = [m for m in mail.outbox if user.email in m.to and pattern.fullmatch(str(m.subject))]
    assert len(found) == 1, (kind, [(m.to, m.subject) for m in mail.outbox])
    return found[0]


def _setup(world: World) -> dict[str, Any]:
    """What the partnership already has: a course with a content warning, a school setting
    that needs an enhanced DBS check, a venue there, and a trainer holding the check (their
    record not yet linked to their TIP account)."""
    lead = world.user(Role.PROGRAMME_LEAD)
    p = world.partnership
    course = services_courses.course_create(partnership=p, name=COURSE, hours=6, by=lead)
    services_courses.module_create(
        version=course.versions.get(),
        title="Recognising trauma",
        duration_minutes=90,
        content_warnings="A case study of exploitation and violence",
        by=lead,
    )
    setting = services_clearances.setting_create(
        partnership=p, name="Schools", kind="school", required_clearances=["dbs_enhanced"], by=lead
    )
    services_sessions.venue_create(
        partnership=p, name="Hill School", setting=setting, step_free_access="yes", by=lead
    )
    provider = services_providers.provider_create(
        partnership=p, name="Calm Minds", kind="specialist", by=lead
    )
    trainer = services_providers.trainer_create(provider=provider, name="Tess Jones", by=lead)
    services_clearances.clearance_create(
        trainer=trainer,
        clearance_type="dbs_enhanced",
        status="granted",
        issued_on=date.today() - timedelta(days=100),
        expires_on=date.today() + timedelta(days=900),
        by=lead,
    )
    return {"trainer": trainer}


def _into_the_past(session: Session) -> None:
    """Ten days pass: move the session, and every booking's times with it, so that the session
    started two hours ago (a register opens once the session has started). Moving the bookings
    too keeps what happened in the same order: the cancellation stays ten days before the
    start, not late."""
    first = session.parts.order_by("starts_at").first()
    assert first is not None
    shift = first.starts_at - (timezone.now() - timedelta(hours=2))
    SessionPart.objects.filter(session=session).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    bookings = Booking.objects.filter(session=session)
    for name in ("created_at", "confirmed_at", "waiting_since", "cancelled_at"):
        bookings.exclude(**{f"{name}__isnull": True}).update(**{name: F(name) - shift})


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_session_from_planning_to_certificate(
    world_a: World, open_page: OpenPage, live_server: Any, settings: Any, language: str
) -> None:
    # The links in emails point at the test's server.
    settings.TIP_BASE_URL = live_server.url
    trainer_record = _setup(world_a)["trainer"]
    lead_user = world_a.user(Role.PROGRAMME_LEAD)
    trainer_user = world_a.user(Role.TRAINER)
    first_user = world_a.user(Role.PRACTITIONER)  # "Alpha Practitioner"
    second = member(world_a.partnership, world_a.organisations[1], "Priya Patel")
    second_user = second.user
    day = timezone.localtime(timezone.now(), LONDON).date() + timedelta(days=10)

    # --- The programme lead links the trainer's record to their account, then plans the session.
    lead = sign_in(open_page, lead_user, language, device=verified_device(lead_user))
    lead.link("Providers and trainers")
    lead.link("Calm Minds", translate=False)
    lead.link("Tess Jones", translate=False)
    lead.link("the trainer's TIP account")
    lead.label("TIP account").select_option(label=f"Alpha Trainer ({trainer_user.email})")
    lead.button("Save")
    lead.says("Linked: they see the sessions they teach")

    lead.nav("Training")
    lead.link("Training sessions")
    lead.button("Add a session")  # a link that looks like a button
    lead.label("Course").select_option(label=COURSE)
    lead.label("Title (optional)").fill(TITLE)
    lead.label("Day").fill(str(day.day))
    lead.label("Month").fill(str(day.month))
    lead.label("Year").fill(str(day.year))
    lead.label("Start time").fill("09:30")
    lead.label("End time").fill("16:30")
    lead.main.get_by_role("radio", name=lead.t("In person"), exact=True).check()
    lead.label("Venue (in person and hybrid)").select_option(label="Hill School")
    lead.label("Places").fill("1")
    lead.label("Planned breaks (optional)").fill("11:00 to 11:15, lunch 12:30 to 13:15")
    lead.button("Save as draft")
    session = Session.objects.get(partnership=world_a.partnership, title=TITLE)
    assert lead.path == f"/training/sessions/{session.pk}/"
    lead.says("Draft session added: add its trainers, then open it for booking")

    lead.link("Add a trainer")
    lead.label("Trainer").select_option(label="Tess Jones (Calm Minds)")
    lead.button("Add trainer")
    lead.button("Confirm trainers")  # the link, then the form's button
    lead.button("Confirm trainers")
    lead.says("Trainers confirmed")
    lead.button("Open for booking")
    lead.button("Open for booking")
    lead.says("The session is open for booking")
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED and session.confirmed_at is not None
    assert session.session_trainers.get().trainer == trainer_record

    # --- The first practitioner books the only place and privately asks for a check-in.
    first = sign_in(open_page, first_user, language)
    first.link("My training: bookings, waiting lists and places offered")
    first.link(TITLE, translate=False)
    first.says("A case study of exploitation and violence", translate=False)
    first.label("I’d like a trainer to check in with me").check()
    first.button("Book my place")
    first.says("You are booked. We have emailed you the details.")
    booked = email_to(first_user, "booked", language)
    assert any(a[0] == "invite.ics" for a in booked.attachments)

    # --- The second practitioner finds it full and joins the waiting list, asking too.
    second_p = sign_in(open_page, second_user, language)
    second_p.link("Training sessions")
    second_p.link(TITLE, translate=False)
    second_p.link("Book a place")
    second_p.says(
        "This session is full. Join the waiting list and, if a place comes free, we will email "
        "you and keep it for you for a limited time."
    )
    second_p.label("I’d like a trainer to check in with me").check()
    second_p.button("Join the waiting list")
    second_p.says("You are on the waiting list")
    assert CheckInRequest.objects.filter(booking__membership=second).exists()
    email_to(second_user, "waiting", language)

    # The lead sees who is booked and waiting; nothing there says who asked for a check-in.
    lead.link("Who is booked, and the waiting list")
    expect(lead.main.get_by_role("row", name=re.compile("Alpha Practitioner"))).to_be_visible()
    expect(lead.main.get_by_role("row", name=re.compile("Priya Patel"))).to_be_visible()
    expect(lead.main).not_to_contain_text(lead.t("Check-in requests"))

    # --- The trainer sees the check-in requests of people holding a place: the first only.
    trainer = sign_in(open_page, trainer_user, language)
    trainer.link("Sessions I teach")
    trainer.link(TITLE, translate=False)
    trainer.link("Check-in requests (the session's trainers only)")
    expect(trainer.main.get_by_role("listitem")).to_have_text(["Alpha Practitioner (Alpha Police)"])

    # --- Seven days before the session the sweep asks the first practitioner to re-confirm;
    # it is run now, at that moment, rather than waited for.
    start = selectors_bookings.first_start(session)
    assert start is not None
    swept = services_bookings.sweep(now=start - timedelta(days=7, minutes=-5), session=session)
    assert swept["asked"] == 1
    ask = email_to(first_user, "reconfirm", language)
    (confirm_link,) = [u for u in links_in(ask) if u.endswith("#confirm")]
    first = first.new_tab()
    first.open(confirm_link)
    first.says("Please confirm your place")
    first.button("Confirm my place")
    first.says("Thank you: your place is confirmed")
    assert Booking.objects.get(membership__user=first_user).confirm_by is None

    # --- Then they cannot come after all, and cancel: the place is offered to the second.
    first.button("Cancel my booking")
    first.says("Your booking is cancelled")
    assert not CheckInRequest.objects.filter(booking__membership__user=first_user).exists()
    email_to(first_user, "cancelled", language)
    offer = email_to(second_user, "offered", language)
    offer_links = links_in(offer)
    mine = Booking.objects.get(membership=second)
    assert mine.status == BookingStatus.OFFERED
    assert f"{live_server.url}/training/my/bookings/{mine.pk}/#offer" in offer_links

    # The second practitioner accepts it from My training.
    second_p.back("Back to my training")
    second_p.says("Places offered to you")
    second_p.button("Accept the place")
    second_p.says("The place is yours: you are booked")
    email_to(second_user, "booked", language)
    mine.refresh_from_db()
    assert mine.status == BookingStatus.BOOKED

    # The trainer looks again: now the second practitioner only (the first's request went
    # with their booking).
    trainer.back("Back to training")
    trainer.link("Sessions I teach")
    trainer.link(TITLE, translate=False)
    trainer.link("Check-in requests (the session's trainers only)")
    expect(trainer.main.get_by_role("listitem")).to_have_text(["Priya Patel (Alpha Schools)"])

    # --- The day comes (see `_into_the_past`), and the trainer takes the register.
    _into_the_past(session)
    trainer.nav("Training")
    trainer.link("Attendance registers")
    trainer.link(TITLE, translate=False)
    person = trainer.main.get_by_role("group", name="Priya Patel")
    person.get_by_label(trainer.t("Attended"), exact=True).check()
    trainer.button("Save the register")
    trainer.says(
        trainer.tn(
            "Register saved: %(count)d person marked.",
            "Register saved: %(count)d people marked.",
            1,
        ),
        translate=False,
    )
    certificate = Certificate.objects.get()
    assert certificate.booking == mine

    # --- The second practitioner downloads the certificate from their training record.
    second_p.nav("Training")
    second_p.link("My training record")
    with second_p.page.expect_download() as info:
        second_p.main.get_by_role("link", name=re.compile(r"\(PDF\)")).click()
    path = info.value.path()
    assert path is not None, info.value.failure()
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Priya Patel" in text
    code = certificate.code
    assert code in re.sub(r"\s+", "", text), "the certificate's code is not printed on it"
    second_p.button("Sign out", within=second_p.page.locator("header"))

    # --- Anyone shown the certificate checks its code, signed out.
    visitor = Person(open_page(language=language), language)
    visitor.open("/training/certificates/check/")
    visitor.label("Certificate code").fill(code)
    visitor.button("Check the code")
    visitor.says("This certificate is genuine")
    visitor.says(COURSE, translate=False)
    expect(visitor.main).not_to_contain_text("Priya")
    expect(visitor.main).not_to_contain_text("Alpha")
