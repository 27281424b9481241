"""The course pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA checks, no
sideways scrolling at 320px in Welsh, no script errors; and an upload refused without JavaScript,
its message naming the file."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tip.core.roles import Role
from tip.programmes import services as programme_services
from tip.training import selectors_courses
from tip.training import services_courses as services
from tip.training.models_courses import CourseMaterial

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_course_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    programme = programme_services.programme_create(
        partnership=world_a.partnership, name="Trauma-informed schools", aims="", by=lead
    )
    course = services.course_create(
        partnership=world_a.partnership,
        programme=programme,
        name="Trauma awareness for support staff",
        hours=3,
        topics=["aces_and_trauma", "avoiding_retraumatisation"],
        own_topics=["First contact at reception"],
        audience_sectors=["health", "education"],
        audience_groups=["support_staff", "senior_leaders"],
        slides_sent=True,
        by=lead,
    )
    first = selectors_courses.latest_version(course=course)
    module = services.module_create(
        version=first,
        title="Triggers in waiting rooms and on the phone",
        duration_minutes=60,
        summary="What can re-traumatise, and small changes that help.",
        content_warnings="Recorded accounts of distressing first contacts.",
        by=lead,
    )
    material = services.material_add(
        version=first,
        title="Tips for self-regulation",
        upload=ContentFile(b"Breathe in for four, out for six.\n", name="tips.txt"),
        by=lead,
    )
    follow_up = services.follow_up_create(
        course=course,
        name="Reflective practice session",
        kind="follow_up",
        offset=6,
        offset_unit="weeks",
        by=lead,
    )
    second = services.course_version_create(course=course, changes="A new case study", by=lead)
    latest_module = second.modules.get()
    latest_material = second.materials.get()
    base = f"/training/courses/{course.pk}"
    page = open_page(user=lead, language=language)
    sweep(
        page,
        language,
        [
            ("/training/", 200),
            ("/training/courses/", 200),
            ("/training/courses/new/", 200),
            (f"{base}/", 200),
            (f"{base}/edit/", 200),
            (f"{base}/versions/new/", 200),
            (f"{base}/versions/{first.pk}/", 200),
            (f"{base}/versions/{second.pk}/", 200),
            (f"{base}/modules/new/", 200),
            (f"{base}/modules/{latest_module.pk}/edit/", 200),
            (f"{base}/modules/{latest_module.pk}/remove/", 200),
            (f"{base}/materials/new/", 200),
            (f"{base}/materials/{latest_material.pk}/remove/", 200),
            (f"{base}/follow-ups/new/", 200),
            (f"{base}/follow-ups/{follow_up.pk}/remove/", 200),
        ],
    )
    assert module.pk != latest_module.pk and material.pk != latest_material.pk


def test_a_wrong_file_is_refused_without_javascript(world_a: World, open_page: OpenPage) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    course = services.course_create(
        partnership=world_a.partnership, name="Foundation day", hours=6, by=lead
    )
    page = open_page(user=lead, javascript=False)
    visit(page, f"/training/courses/{course.pk}/materials/new/")
    page.get_by_label("Upload a file").set_input_files(
        {"name": "slides.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    submit(page, page.get_by_role("button", name="Upload", exact=True), status=400)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "“slides.pdf” is named as a PDF but its content is a PNG image" in summary
    assert not CourseMaterial.objects.exists()

    page.get_by_label("Upload a file").set_input_files(
        {"name": "slides.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    submit(page, page.get_by_role("button", name="Upload", exact=True))
    assert page.url.endswith(f"/training/courses/{course.pk}/#materials")
    assert page.get_by_role("link", name="download slides.pdf").count() == 1
