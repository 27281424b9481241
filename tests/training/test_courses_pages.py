"""The course pages and API: the flow a programme lead follows, the short-course flag, content
warnings, uploads refused with messages naming the file, private audited downloads, roles and
other partnerships' ids."""

from __future__ import annotations

import html
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tests.core.test_api import assert_json_error, call, token_for
from tests.training.test_courses import PDF, PNG, make_course, office
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.programmes import services as programme_services
from tip.training import selectors_courses
from tip.training import services_courses as services
from tip.training.models_courses import Course, CourseMaterial, CourseModule


def url(name: str, course: Course | None = None, **kw: Any) -> str:
    if course is not None:
        kw = {"course_id": course.pk, **kw}
    return reverse(f"training:{name}", kwargs=kw or None)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_a_lead_adds_a_course_with_content_and_follow_up(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    programme = programme_services.programme_create(
        partnership=world_a.partnership, name="Safer schools", aims="", by=lead
    )
    client = signed_in_client(lead)
    form = client.get(url("course-create"))
    assert form.status_code == 200
    assert "Avoiding re-traumatisation" in text(form) and "Safer schools" in text(form)

    response = client.post(
        url("course-create"),
        {
            "name": "Awareness for reception staff",
            "programme": programme.pk,
            "topics": ["aces_and_trauma", "avoiding_retraumatisation"],
            "own_topics": "First contact\nPhone calls",
            "audience_sectors": ["health"],
            "audience_groups": ["support_staff"],
            "hours": "3",
            "slides_sent": "yes",
            "train_the_trainer": "no",
        },
    )
    course = Course.objects.get(name="Awareness for reception staff")
    assert response.status_code == 302 and response["Location"] == url("course-detail", course)
    assert course.programme == programme and course.slides_sent and not course.train_the_trainer
    assert course.own_topics == ["First contact", "Phone calls"]

    added = client.post(
        url("course-module-create", course),
        {
            "title": "Triggers in waiting rooms",
            "duration_minutes": "60",
            "content_warnings": "Recorded accounts of distressing first contacts",
        },
    )
    assert added.status_code == 302
    upload = SimpleUploadedFile("tips.pdf", PDF, content_type="application/pdf")
    uploaded = client.post(url("course-material-create", course), {"title": "", "file": upload})
    assert uploaded.status_code == 302, text(uploaded)
    followed = client.post(
        url("course-follow-up-create", course),
        {"name": "Refresher", "kind": "refresher", "offset": "12", "offset_unit": "months"},
    )
    assert followed.status_code == 302

    page = text(client.get(url("course-detail", course)))
    assert "This course is shorter than a day (6 hours)" in page
    assert "section “Training content and length”" in page
    assert "Recorded accounts of distressing first contacts" in page
    assert "tips.pdf" in page and "Refresher" in page and "12 months after" in page
    assert "Content: version 1" in page and "First contact" in page

    started = client.post(url("course-version-create", course), {"changes": "New module"})
    assert started.status_code == 302
    page = text(client.get(url("course-detail", course)))
    assert "Content: version 2" in page and "New module" in page
    first = course.versions.get(number=1)
    old = text(client.get(url("course-version-detail", course, course_version_id=first.pk)))
    assert "This is an earlier version" in old and "Triggers in waiting rooms" in old
    # The earlier version's content is shown, but offers no change.
    assert "/modules/" not in old.split("Modules", 1)[1]
    listed = text(client.get(url("course-list")))
    assert "Awareness for reception staff" in listed and "Shorter than a day" in listed


def test_a_full_day_is_not_flagged(world_a: World) -> None:
    course = make_course(world_a, hours=6)
    page = text(signed_in_client(world_a.user(Role.PRACTITIONER)).get(url("course-detail", course)))
    assert "shorter than a day" not in page.lower()


def test_form_errors_are_shown_and_change_nothing(world_a: World) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    response = client.post(url("course-create"), {"name": "", "hours": "three"})
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and "Enter the course's name" in page
    assert "Enter the length as a number of hours" in page
    assert "Say whether the slides are sent to participants" in page
    assert not Course.objects.exists()

    course = make_course(world_a)
    refused = client.post(url("course-version-create", course), {"changes": " "})
    assert refused.status_code == 400 and "Say what changes in this version" in text(refused)


def test_a_wrong_or_oversized_file_is_refused_naming_it(world_a: World, settings: Any) -> None:
    course = make_course(world_a)
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    for name, content, message in [
        ("slides.pptx", PNG, "“slides.pptx” is named as a PowerPoint presentation"),
        ("virus.exe", b"MZ", "“virus.exe” is not a type of file TIP accepts"),
        ("macros.docx", office("word/document.xml", "word/vbaProject.bin"), "contains macros"),
        ("empty.txt", b"", "“empty.txt” is empty"),
    ]:
        upload = SimpleUploadedFile(name, content)
        response = client.post(url("course-material-create", course), {"file": upload})
        assert response.status_code == 400, name
        page = text(response)
        assert message in page and 'href="#id_file"' in page, name
    response = client.post(url("course-material-create", course), {"title": "No file"})
    assert response.status_code == 400 and "Choose a file to upload" in text(response)
    assert not CourseMaterial.objects.exists()


def test_materials_download_privately_and_each_download_is_audited(
    world_a: World, world_b: World
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    course = make_course(world_a)
    version = selectors_courses.latest_version(course=course)
    material = services.material_add(
        version=version, title="Outline", upload=ContentFile(PDF, name="Outline v1.pdf"), by=lead
    )
    practitioner = world_a.user(Role.PRACTITIONER)
    path = url("course-material-download", course, course_material_id=material.pk)
    response = signed_in_client(practitioner).get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Outline v1.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.filter(actor=practitioner, action=AuditAction.EXPORT).get()
    assert entry.object_type == "training.CourseMaterial" and entry.purpose
    assert entry.partnership == world_a.partnership

    outsider = signed_in_client(world_b.user(Role.PARTNERSHIP_ADMIN))
    assert outsider.get(path).status_code == 404
    # No public address: the stored file's name is not a URL anyone can open.
    assert (
        signed_in_client(practitioner).get("/media/" + str(material.file.name)).status_code == 404
    )


def test_practitioners_see_courses_but_cannot_change_them(world_a: World) -> None:
    course = make_course(world_a)
    module = services.module_create(
        version=selectors_courses.latest_version(course=course),
        title="Welcome",
        duration_minutes=20,
        by=world_a.user(Role.PROGRAMME_LEAD),
    )
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    page = text(client.get(url("course-detail", course)))
    assert "Welcome" in page and "Add a module" not in page and "Start a new version" not in page
    for path in (
        url("course-create"),
        url("course-edit", course),
        url("course-version-create", course),
        url("course-module-create", course),
        url("course-module-edit", course, course_module_id=module.pk),
        url("course-material-create", course),
        url("course-follow-up-create", course),
    ):
        assert client.get(path).status_code == 403, path
        assert client.post(path, {}).status_code == 403, path


def test_other_partnerships_courses_are_not_found(world_a: World, world_b: World) -> None:
    theirs = make_course(world_b, name="Bravo course")
    module = services.module_create(
        version=selectors_courses.latest_version(course=theirs),
        title="Theirs",
        duration_minutes=20,
        by=world_b.user(Role.PROGRAMME_LEAD),
    )
    client = signed_in_client(world_a.user(Role.PARTNERSHIP_ADMIN))
    assert "Bravo course" not in text(client.get(url("course-list")))
    assert client.get(url("course-detail", theirs)).status_code == 404
    mine = make_course(world_a)
    # Their module under my course's address: not found either.
    path = url("course-module-delete", mine, course_module_id=module.pk)
    assert client.post(path).status_code == 404
    assert CourseModule.objects.filter(pk=module.pk).exists()


def test_editing_a_replaced_version_is_refused_with_a_message(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    course = make_course(world_a)
    first = selectors_courses.latest_version(course=course)
    module = services.module_create(version=first, title="Old", duration_minutes=20, by=lead)
    services.course_version_create(course=course, changes="Rewritten", by=lead)
    client = signed_in_client(lead)
    path = url("course-module-edit", course, course_module_id=module.pk)
    response = client.post(path, {"title": "New", "duration_minutes": "20", "order": "1"})
    assert response.status_code == 400
    assert "replaced by version 2" in text(response)
    removed = client.post(url("course-module-delete", course, course_module_id=module.pk))
    assert removed.status_code == 400 and "replaced by version 2" in text(removed)


# --- API ------------------------------------------------------------------------------------------


def test_courses_through_the_api(world_a: World, world_b: World) -> None:
    lead_key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    programme = programme_services.programme_create(
        partnership=world_a.partnership,
        name="Safer streets",
        aims="",
        by=world_a.user(Role.PROGRAMME_LEAD),
    )
    made = call(
        "post",
        "/api/training/courses",
        lead_key,
        {
            "name": "Foundation day",
            "hours": 6,
            "programme": programme.pk,
            "topics": ["aces_and_trauma"],
            "audience_groups": ["senior_leaders"],
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["programme"] == programme.pk and body["shorter_than_a_day"] is False
    course = Course.objects.get(pk=body["id"])
    assert AuditEntry.objects.filter(object_type="training.Course", via="api").exists()

    lead = world_a.user(Role.PROGRAMME_LEAD)
    services.module_create(
        version=selectors_courses.latest_version(course=course),
        title="Case study",
        duration_minutes=60,
        content_warnings="Violence",
        by=lead,
    )
    services.follow_up_create(
        course=course, name="Reflect", kind="follow_up", offset=6, offset_unit="weeks", by=lead
    )
    practitioner_key = token_for(world_a.members[Role.PRACTITIONER])
    detail = call("get", f"/api/training/courses/{course.pk}", practitioner_key).json()
    [version] = detail["versions"]
    assert version["number"] == 1
    assert version["modules"][0]["content_warnings"] == "Violence"
    assert detail["follow_ups"][0]["offset_unit"] == "weeks"
    listed = call("get", "/api/training/courses", practitioner_key).json()
    assert [c["name"] for c in listed] == ["Foundation day"]

    new = {"name": "Practitioner's course", "hours": 6}
    assert_json_error(call("post", "/api/training/courses", practitioner_key, new), 403)
    theirs = make_course(world_b, name="Bravo course")
    assert_json_error(call("get", f"/api/training/courses/{theirs.pk}", lead_key), 404)
    other_programme = programme_services.programme_create(
        partnership=world_b.partnership, name="Bravo", aims="", by=world_b.user(Role.PROGRAMME_LEAD)
    )
    refused = call(
        "post",
        "/api/training/courses",
        lead_key,
        {"name": "Sneaky", "hours": 6, "programme": other_programme.pk},
    )
    assert_json_error(refused, 404)
    duplicate = call(
        "post", "/api/training/courses", lead_key, {"name": "foundation DAY", "hours": 6}
    )
    assert duplicate.status_code in {409, 422}
    assert "already exists" in duplicate.content.decode()
    bad = call(
        "post", "/api/training/courses", lead_key, {"name": "Short", "hours": 0.1, "colour": "red"}
    )
    assert_json_error(bad, 422)
    assert not Course.objects.filter(name__in=["Sneaky", "Short"]).exists()
