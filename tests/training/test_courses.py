"""Courses: the topics file, recognising uploaded files by their content, the services' rules
(versions, what can still change, materials), the readiness check's facts and the demo."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.conftest import World
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.programmes import services as programme_services
from tip.programmes.analysis.readiness import RECORDED, Status
from tip.programmes.models import Programme
from tip.programmes.readiness import readiness_report
from tip.programmes.services_readiness import readiness_answers_set
from tip.training import files_courses, selectors_courses
from tip.training import services_courses as services
from tip.training.models_courses import Course, CourseMaterial, CourseModule, CourseVersion
from tip.training.topic_library import TopicsError, load_topics

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office(*parts: str) -> bytes:
    """A minimal Office Open XML package holding these parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


def make_course(world: World, programme: Programme | None = None, **values: Any) -> Course:
    values = {"name": "Foundation day", "hours": 6, **values}
    return services.course_create(
        partnership=world.partnership,
        programme=programme,
        by=world.user(Role.PROGRAMME_LEAD),
        **values,
    )


@pytest.fixture
def lead(world_a: World) -> Any:
    return world_a.user(Role.PROGRAMME_LEAD)


@pytest.fixture
def programme(world_a: World) -> Programme:
    return programme_services.programme_create(
        partnership=world_a.partnership,
        name="Trauma-informed schools",
        aims="",
        by=world_a.user(Role.PROGRAMME_LEAD),
    )


@pytest.fixture
def other_programme(world_b: World) -> Programme:
    return programme_services.programme_create(
        partnership=world_b.partnership,
        name="Bravo youth work",
        aims="",
        by=world_b.user(Role.PROGRAMME_LEAD),
    )


# --- The topics file ------------------------------------------------------------------------------


def test_the_topics_are_the_guidance_list_in_english_and_welsh() -> None:
    topics = load_topics()
    codes = [t.code for t in topics]
    assert len(codes) == len(set(codes)) == 10
    assert "avoiding_retraumatisation" in codes
    for topic in topics:
        assert topic.title("en") and topic.title("cy-gb") and topic.title("cy") != topic.title("en")


def test_a_broken_topics_file_names_the_entry(tmp_path: Path) -> None:
    broken = tmp_path / "topics.yaml"
    broken.write_text(
        "topics:\n  - code: fine\n    title: {en: Fine, cy: Iawn}\n  - code: Bad Code\n"
    )
    with pytest.raises(TopicsError) as raised:
        load_topics(broken)
    assert "topic 2 (Bad Code)" in str(raised.value)
    broken.write_text(
        "topics:\n  - code: twice\n    title: {en: A, cy: A}\n"
        "  - code: twice\n    title: {en: B, cy: B}\n"
    )
    with pytest.raises(TopicsError, match="topic 2 \\(twice\\): the code is used"):
        load_topics(broken)


def test_the_system_check_reports_a_broken_topics_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from tip.training import apps_courses, topic_library

    assert apps_courses.topics_file() == []

    def broken() -> None:
        raise TopicsError("topics.yaml: topic 3 (x): broken.")

    monkeypatch.setattr(topic_library, "load_topics", broken)
    [error] = apps_courses.topics_file()
    assert error.id == "training.E101" and "topic 3" in error.msg


# --- What a file really is ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (office("word/document.xml"), "docx"),
        (office("ppt/presentation.xml"), "pptx"),
        (office("xl/workbook.xml"), "xlsx"),
        (office("word/document.xml", "word/vbaProject.bin"), files_courses.MACROS),
        (office("other.xml"), files_courses.ZIP),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "jpeg"),
        (b"GIF89a" + b"\x00" * 8, "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, files_courses.LEGACY_OFFICE),
        ("Tips for self-regulation\n– breathe\n".encode(), "text"),
        (b"\xef\xbb\xbfWith a byte-order mark\n", "text"),
        (b"MZ\x90\x00\x03\x00\x00\x00", files_courses.UNKNOWN),
        (b"<svg onload=alert(1)>\x00", files_courses.UNKNOWN),
        (b"\x1b[31mterminal codes", files_courses.UNKNOWN),
    ],
)
def test_files_are_recognised_by_their_content(content: bytes, kind: str) -> None:
    stream = io.BytesIO(content)
    assert files_courses.sniff(stream) == kind
    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "“empty.pdf” is empty"),
        ("script.exe", b"MZ", "“script.exe” is not a type of file TIP accepts"),
        ("drawing.svg", b"<svg/>", "“drawing.svg” is not a type of file TIP accepts"),
        ("slides.pdf", office("ppt/presentation.xml"), "its content is a PowerPoint"),
        ("notes.docx", b"plain words", "its content is plain text"),
        ("report.pdf", b"\x00\x01binary", "“report.pdf” is named as a PDF but its content is not"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "not a type of file"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "older Office format"),
        ("macro.docx", office("word/document.xml", "word/vbaProject.bin"), "contains macros"),
    ],
)
def test_refused_files_are_named_with_what_to_do(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        services.check_material(name=name, size=len(content), stream=io.BytesIO(content))
    assert message in " ".join(raised.value.messages)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(ValidationError) as raised:
        services.check_material(
            name="film.pdf", size=files_courses.MAX_BYTES + 1, stream=io.BytesIO(PDF)
        )
    text = " ".join(raised.value.messages)
    assert "“film.pdf”" in text and "20.0\xa0MB" in text and "Make it smaller" in text


# --- Courses and versions -------------------------------------------------------------------------


def test_a_new_course_has_version_one_and_is_audited(world_a: World, lead: Any) -> None:
    course = make_course(
        world_a,
        topics=["vicarious_trauma_resilience", "aces_and_trauma", "aces_and_trauma"],
        own_topics=["  County lines  ", "", "County lines"],
        audience_sectors=["police", "health"],
        audience_groups=["support_staff", "senior_leaders"],
        hours="3.5",
    )
    assert [v.number for v in course.versions.all()] == [1]
    # Stored in the list's order, once each.
    assert course.topics == ["aces_and_trauma", "vicarious_trauma_resilience"]
    assert course.own_topics == ["County lines"]
    assert course.audience_groups == ["senior_leaders", "support_staff"]
    assert course.is_short and course.length_text == "3.5 hours"
    entries = AuditEntry.objects.filter(actor=lead, action=AuditAction.CREATE)
    assert {e.object_type for e in entries} >= {"training.Course", "training.CourseVersion"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"topics": ["not_a_topic"]}, "topics"),
        ({"audience_sectors": ["space"]}, "audience_sectors"),
        ({"audience_groups": ["everyone"]}, "audience_groups"),
        ({"hours": "0.2"}, "hours"),
        ({"hours": "201"}, "hours"),
        ({"hours": "2.25"}, "hours"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_course_values_are_refused_by_field(
    world_a: World, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        make_course(world_a, **values)
    assert field in raised.value.message_dict
    assert not Course.objects.exists()


def test_names_are_unique_in_a_partnership_only(world_a: World, world_b: World) -> None:
    make_course(world_a)
    with pytest.raises(ValidationError, match="already exists"):
        make_course(world_a, name="FOUNDATION DAY")
    make_course(world_b)  # another partnership may use the same name


def test_another_partnerships_programme_is_refused(
    world_a: World, other_programme: Programme
) -> None:
    with pytest.raises(ValidationError) as raised:
        make_course(world_a, programme=other_programme)
    assert "programme" in raised.value.message_dict


def _content(course: Course, lead: Any) -> CourseVersion:
    first = selectors_courses.latest_version(course=course)
    services.module_create(
        version=first, title="Welcome", duration_minutes=30, by=lead, content_warnings=""
    )
    services.module_create(
        version=first,
        title="Case study",
        duration_minutes=90,
        content_warnings="Describes a stabbing",
        by=lead,
    )
    services.material_add(
        version=first, title="", upload=ContentFile(PDF, name="outline.pdf"), by=lead
    )
    return first


def test_a_new_version_copies_the_latest_and_says_what_changed(world_a: World, lead: Any) -> None:
    course = make_course(world_a)
    first = _content(course, lead)
    with pytest.raises(ValidationError) as raised:
        services.course_version_create(course=course, changes="  ", by=lead)
    assert "changes" in raised.value.message_dict

    second = services.course_version_create(course=course, changes="New case study", by=lead)
    assert second.number == 2 and second.changes == "New case study"
    old, new = (selectors_courses.version_content(version=v) for v in (first, second))
    assert [(m.title, m.content_warnings, m.order) for m in new.modules] == [
        (m.title, m.content_warnings, m.order) for m in old.modules
    ]
    assert [m.pk for m in new.modules] != [m.pk for m in old.modules]
    [copy] = new.materials
    [original] = old.materials
    assert copy.title == "outline.pdf" and copy.kind == "pdf"
    assert copy.file.name == original.file.name and copy.pk != original.pk
    third = services.course_version_create(course=course, changes="Shorter", by=lead)
    assert third.number == 3


def test_only_the_latest_version_changes(world_a: World, lead: Any) -> None:
    course = make_course(world_a)
    first = _content(course, lead)
    services.course_version_create(course=course, changes="New case study", by=lead)
    module = CourseModule.objects.filter(version=first).first()
    assert module is not None
    with pytest.raises(ValidationError, match="replaced by version 2"):
        services.module_update(module=module, title="Changed", by=lead)
    with pytest.raises(ValidationError, match="replaced by version 2"):
        services.module_create(version=first, title="More", duration_minutes=5, by=lead)
    with pytest.raises(ValidationError, match="replaced by version 2"):
        services.material_delete(material=first.materials.get(), by=lead)
    module.refresh_from_db()
    assert module.title == "Welcome"


def test_a_version_in_use_is_locked_through_the_extension_point(
    world_a: World, lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = make_course(world_a)
    version = _content(course, lead)
    module = version.modules.first()
    assert module is not None
    assert selectors_courses.course_version_is_locked(version) is False

    taught = {version.pk}
    monkeypatch.setattr(selectors_courses, "_LOCKS", [])
    selectors_courses.register_version_lock(lambda v: v.pk in taught)
    assert selectors_courses.course_version_is_locked(version) is True
    with pytest.raises(ValidationError, match="has been taught"):
        services.module_delete(module=module, by=lead)
    with pytest.raises(ValidationError, match="has been taught"):
        services.material_add(
            version=version, title="x", upload=ContentFile(PDF, name="x.pdf"), by=lead
        )
    # A new version is the way to change the content.
    second = services.course_version_create(course=course, changes="After the pilot", by=lead)
    assert selectors_courses.course_version_is_locked(second) is False
    services.module_create(version=second, title="New", duration_minutes=10, by=lead)


def test_modules_go_at_the_end_unless_placed_and_stay_numbered(world_a: World, lead: Any) -> None:
    version = selectors_courses.latest_version(course=make_course(world_a))

    def titles() -> list[tuple[int, str]]:
        content = selectors_courses.version_content(version=version)
        return [(m.order, m.title) for m in content.modules]

    a = services.module_create(version=version, title="A", duration_minutes=10, by=lead)
    services.module_create(version=version, title="B", duration_minutes=10, by=lead)
    services.module_create(version=version, title="C", duration_minutes=10, order=1, by=lead)
    services.module_create(version=version, title="D", duration_minutes=10, order=99, by=lead)
    assert titles() == [(1, "C"), (2, "A"), (3, "B"), (4, "D")]
    services.module_update(module=a, order=4, by=lead)
    assert titles() == [(1, "C"), (2, "B"), (3, "D"), (4, "A")]
    services.module_delete(module=CourseModule.objects.get(version=version, title="B"), by=lead)
    assert titles() == [(1, "C"), (2, "D"), (3, "A")]
    assert selectors_courses.version_content(version=version).minutes == 30
    moves = AuditEntry.objects.filter(
        object_type="training.CourseModule", action=AuditAction.UPDATE, changed_fields=["order"]
    )
    assert moves.exists()
    with pytest.raises(ValidationError):
        services.module_create(version=version, title="Long", duration_minutes=0, by=lead)


def test_removing_a_material_keeps_the_file_an_earlier_version_uses(
    world_a: World, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    course = make_course(world_a)
    first = _content(course, lead)
    services.course_version_create(course=course, changes="Slides updated", by=lead)
    latest = selectors_courses.latest_version(course=course)
    copy = latest.materials.get()
    name = str(copy.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(material=copy, by=lead)
    assert default_storage.exists(name)
    assert first.materials.get().file.name == name

    added = services.material_add(
        version=latest, title="Handout", upload=ContentFile(b"Notes\n", name="notes.txt"), by=lead
    )
    assert added.content_type.startswith("text/plain") and added.original_name == "notes.txt"
    stored = str(added.file.name)
    assert stored.startswith(f"training/materials/{world_a.partnership.pk}/")
    assert "notes" not in stored  # the uploader's file name is kept apart from the path
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(material=added, by=lead)
    assert not default_storage.exists(stored)
    assert (
        AuditEntry.objects.filter(
            object_type="training.CourseMaterial", action=AuditAction.DELETE
        ).count()
        == 2
    )


def test_a_refused_upload_stores_nothing(world_a: World, lead: Any) -> None:
    version = selectors_courses.latest_version(course=make_course(world_a))
    with pytest.raises(ValidationError, match=r"“slides\.pdf”"):
        services.material_add(
            version=version, title="", upload=ContentFile(PNG, name="slides.pdf"), by=lead
        )
    assert not CourseMaterial.objects.exists()


def test_follow_ups_are_checked_and_ordered_by_when(world_a: World, lead: Any) -> None:
    course = make_course(world_a)
    services.follow_up_create(
        course=course, name="Refresher", kind="refresher", offset=12, offset_unit="months", by=lead
    )
    services.follow_up_create(
        course=course, name="Reflect", kind="follow_up", offset=6, offset_unit="weeks", by=lead
    )
    assert [f.name for f in selectors_courses.follow_up_list(course=course)] == [
        "Reflect",
        "Refresher",
    ]
    with pytest.raises(ValidationError) as raised:
        services.follow_up_create(
            course=course, name="", kind="party", offset=1, offset_unit="days", by=lead
        )
    assert set(raised.value.message_dict) == {"name", "kind", "offset_unit"}


# --- The readiness check --------------------------------------------------------------------------


def _statuses(programme: Programme) -> dict[str, Status]:
    return {f.id: f.status for f in readiness_report(programme).findings}


def test_the_readiness_report_changes_when_a_short_course_is_added(
    world_a: World, programme: Programme, lead: Any, django_assert_max_num_queries: Any
) -> None:
    readiness_answers_set(
        programme=programme,
        answers={"course_hours": {"answer": 6}, "follow_up_planned": {"answer": "no"}},
        by=lead,
    )
    before = _statuses(programme)
    assert before["course_length"] is Status.MET
    assert before["follow_up"] is Status.NOT_MET

    make_course(world_a, programme, name="Full day", hours=7)
    short = make_course(world_a, programme, name="Awareness hour", hours="1.5")
    make_course(world_a, None, name="Not in the programme", hours=1)
    report = readiness_report(programme)
    found = {f.id: f for f in report.findings}
    assert found["course_length"].status is Status.NOT_MET
    deciding = report.facts["course_hours"]
    assert deciding is not None and deciding.weight == RECORDED and deciding.value == 1.5
    assert "“Awareness hour”" in deciding.evidence and "2 courses" in deciding.evidence
    assert deciding.link.endswith(f"/training/courses/{short.pk}/")
    # No course defines follow-up: the planning answer still decides, with the courses as evidence.
    assert found["follow_up"].status is Status.NOT_MET
    assert any(
        f.source == "Training courses" and f.value is None for f in found["follow_up"].evidence
    )

    services.follow_up_create(
        course=short, name="Refresher", kind="refresher", offset=6, offset_unit="months", by=lead
    )
    after = _statuses(programme)
    assert after["follow_up"] is Status.MET

    # One query for the courses, whatever their number.
    from tip.training.readiness_courses import course_facts

    for i in range(5):
        make_course(world_a, programme, name=f"Extra {i}", hours=8)
    with django_assert_max_num_queries(1):
        list(course_facts(programme))


def test_a_course_for_senior_leaders_is_more_evidence_of_senior_staff(
    world_a: World, programme: Programme, lead: Any
) -> None:
    assert _statuses(programme)["senior_staff"] is Status.UNKNOWN
    make_course(world_a, programme, audience_groups=["senior_leaders"])
    assert _statuses(programme)["senior_staff"] is Status.MET
    # Who the programme itself is for is recorded too; both are shown as evidence.
    programme_services.programme_update(
        programme=programme,
        name=programme.name,
        aims=programme.aims,
        target_sectors=[],
        target_groups=["frontline"],
        by=lead,
    )
    finding = next(f for f in readiness_report(programme).findings if f.id == "senior_staff")
    sources = {f.source for f in finding.evidence}
    assert {"Training courses", "Who the programme is for"} <= sources


def test_a_programme_without_courses_gets_no_course_facts(programme: Programme) -> None:
    from tip.training.readiness_courses import course_facts

    assert list(course_facts(programme)) == []


# --- The demo -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_gives_the_sample_programme_two_courses() -> None:
    from django.core.management import call_command

    from tip.programmes.demo import NAME
    from tip.training.demo_courses import AWARENESS, FOUNDATION

    call_command("seed_demo", stdout=io.StringIO())
    programme = Programme.objects.get(name=NAME)
    foundation = Course.objects.get(name=FOUNDATION, programme=programme)
    awareness = Course.objects.get(name=AWARENESS, programme=programme)
    assert [v.number for v in foundation.versions.all()] == [1, 2]
    latest = selectors_courses.version_content(
        version=selectors_courses.latest_version(course=foundation)
    )
    assert latest.warnings and latest.materials and latest.minutes >= 360
    assert foundation.follow_ups.count() == 2
    assert awareness.is_short and not foundation.is_short
    found = _statuses(programme)
    assert found["course_length"] is Status.NOT_MET
    assert found["follow_up"] is Status.MET

    before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert AuditEntry.objects.count() == before
    assert "Demo courses already there." in out.getvalue()
