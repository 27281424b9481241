"""The demo's courses for Northshire's sample programme, built through the services so every
record is validated and audited like a real one: a one-day foundation course in two versions,
with content warnings, a material and follow-up activities, and a three-hour awareness course
for support staff (shorter than a day, so its page and the readiness check flag it). Idempotent.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from tip.core.models import Partnership, User
from tip.programmes.demo import LEAD, NAME, PARTNERSHIP
from tip.programmes.models import Programme
from tip.training import services_courses as services
from tip.training.models_courses import Course, CourseModule

FOUNDATION = "Trauma-informed practice: foundation day"
AWARENESS = "Trauma awareness for support staff"

# (title, minutes, summary, content warnings)
FOUNDATION_MODULES = [
    (
        "Welcome, safety and self-regulation",
        30,
        "How the day runs, breaks, and simple ways to ground yourself if you need to.",
        "",
    ),
    (
        "What trauma and ACEs are, and how they affect development",
        75,
        "Adverse childhood experiences, trauma, and their effects on the brain and body.",
        "Describes kinds of childhood abuse and neglect in general terms.",
    ),
    (
        "Recognising and responding to trauma",
        90,
        "Signs of trauma in young people and adults, and responses that help.",
        "A case study of a young person drawn into criminal exploitation, including violence "
        "and a stabbing.",
    ),
    (
        "Avoiding re-traumatisation in everyday practice",
        60,
        "Language, environments and processes that can re-traumatise, and alternatives.",
        "",
    ),
    (
        "Looking after yourself: vicarious trauma",
        45,
        "Recognising vicarious trauma and building resilience in teams.",
        "Staff describe the effect of distressing cases on them.",
    ),
    (
        "Putting it into practice in your service",
        60,
        "Planning one change to your own practice, with colleagues from other agencies.",
        "",
    ),
]
SELF_REGULATION = (
    "Tips for self-regulating during the training\n\n"
    "- Breathe in for four counts, hold for four, and out for six.\n"
    "- Press your thumb and fingers together, one at a time.\n"
    "- Take a short walk: you may leave the room at any time.\n"
    "- Cameras may be off in online sessions whenever you need.\n"
)


def seed_demo_courses() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    lead = User.objects.filter(email=LEAD).first()
    programme = Programme.objects.filter(partnership__name=PARTNERSHIP, name=NAME).first()
    if partnership is None or lead is None or programme is None:
        return "Demo courses skipped: the sample programme is missing."
    if Course.objects.filter(partnership=partnership, name=FOUNDATION).exists():
        return "Demo courses already there."
    with transaction.atomic():
        _foundation(partnership, programme, lead)
        _awareness(partnership, programme, lead)
    return f"Demo courses created: {FOUNDATION} (2 versions) and {AWARENESS}."


def _foundation(partnership: Partnership, programme: Programme, lead: User) -> None:
    course = services.course_create(
        partnership=partnership,
        programme=programme,
        name=FOUNDATION,
        summary="A full day, in person, for frontline staff and their managers from every "
        "partner agency, taught together so they share a language.",
        topics=[
            "aces_and_trauma",
            "recognising_and_responding",
            "avoiding_retraumatisation",
            "vicarious_trauma_resilience",
            "applying_in_practice",
        ],
        own_topics=["Working with young people at risk of serious violence"],
        audience_sectors=["police", "health", "education", "childrens_services"],
        audience_groups=["frontline", "managers"],
        hours=6,
        slides_sent=True,
        by=lead,
    )
    first = course.versions.get(number=1)
    for title, minutes, summary, warnings in FOUNDATION_MODULES:
        services.module_create(
            version=first,
            title=title,
            duration_minutes=minutes,
            summary=summary,
            content_warnings=warnings,
            by=lead,
        )
    services.material_add(
        version=first,
        title="Tips for self-regulating during the training",
        upload=ContentFile(SELF_REGULATION.encode(), name="self-regulation-tips.txt"),
        by=lead,
    )
    second = services.course_version_create(
        course=course,
        changes="The case study was rewritten with the youth forum, in young people's own "
        "words, and a module on first contact was added.",
        by=lead,
    )
    case_study = CourseModule.objects.get(version=second, order=3)
    services.module_update(
        module=case_study,
        content_warnings="A case study, told by a young person, of being drawn into criminal "
        "exploitation, including violence and a stabbing.",
        by=lead,
    )
    services.module_create(
        version=second,
        title="First contact: the first five minutes",
        duration_minutes=30,
        summary="Greeting, explaining and asking in ways that build trust from the start.",
        order=4,
        by=lead,
    )
    services.follow_up_create(
        course=course,
        name="Reflective practice session",
        kind="follow_up",
        offset=6,
        offset_unit="weeks",
        by=lead,
    )
    services.follow_up_create(
        course=course,
        name="Refresher morning",
        kind="refresher",
        offset=12,
        offset_unit="months",
        by=lead,
    )


def _awareness(partnership: Partnership, programme: Programme, lead: User) -> None:
    course = services.course_create(
        partnership=partnership,
        programme=programme,
        name=AWARENESS,
        summary="A short online session for reception, administrative and facilities staff, "
        "who are often the first people someone meets.",
        topics=["aces_and_trauma", "avoiding_retraumatisation"],
        audience_sectors=["police", "health", "education", "childrens_services", "housing"],
        audience_groups=["support_staff"],
        hours=3,
        by=lead,
    )
    version = course.versions.get(number=1)
    for title, minutes, warnings in (
        ("What trauma is and why it matters at the front desk", 60, ""),
        (
            "Triggers and re-traumatisation in waiting rooms and on the phone",
            60,
            "Short recorded accounts of people describing distressing first contacts.",
        ),
        ("Small changes that help", 60, ""),
    ):
        services.module_create(
            version=version,
            title=title,
            duration_minutes=minutes,
            content_warnings=warnings,
            by=lead,
        )
