"""Assumptions, barriers and enablers, indicators and evaluation questions through the API: round
trips, the same refusals as the pages, other partnerships' ids, roles, the audit trail and the
schema."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import World
from tests.core.test_api import assert_json_error, call, token_for
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.programmes.models import EvaluationQuestion, Indicator, Note


def _theory_of_change(key: str, name: str = "Schools") -> tuple[str, dict[str, int]]:
    """Training -> Staff trained (an output) -> Staff notice trauma (an outcome), the second
    link weakly evidenced, so TIP proposes a question about it and one about the outcome."""
    pid = call("post", "/api/programmes", key, {"name": name}).json()["id"]
    base = f"/api/programmes/{pid}"
    ids: dict[str, int] = {}
    for kind, title, extra in [
        ("activity", "Training", {}),
        ("output", "Staff trained", {}),
        ("outcome", "Staff notice trauma", {"level": "practitioners", "horizon": "short"}),
    ]:
        made = call("post", f"{base}/elements", key, {"kind": kind, "title": title, **extra})
        ids[title] = made.json()["id"]
    for source, target, evidence in [
        ("Training", "Staff trained", "strong"),
        ("Staff trained", "Staff notice trauma", "emerging"),
    ]:
        body = {"source": ids[source], "target": ids[target], "evidence": evidence}
        ids[f"{source} link"] = call("post", f"{base}/links", key, body).json()["id"]
    return base, ids


INDICATOR = ("what", "how", "from_whom", "when")


def _api_entries(world: World, object_type: str) -> Any:
    return AuditEntry.objects.filter(
        partnership=world.partnership, via="api", object_type=object_type
    )


def test_notes_on_elements_and_links(world_a: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, ids = _theory_of_change(key)
    on_element = call(
        "post",
        f"{base}/elements/{ids['Training']}/notes",
        key,
        {"kind": "assumption", "text": "  Staff can be released to attend  "},
    )
    assert on_element.status_code == 201, on_element.content
    assert on_element.json() | {"id": 0} == {
        "id": 0,
        "kind": "assumption",
        "text": "Staff can be released to attend",
        "element": ids["Training"],
        "link": None,
    }
    link = ids["Training link"]
    on_link = call(
        "post", f"{base}/links/{link}/notes", key, {"kind": "barrier", "text": "Cover is scarce"}
    )
    assert on_link.status_code == 201, on_link.content
    assert on_link.json()["link"] == link and on_link.json()["element"] is None

    everything = call("get", f"{base}/notes", key).json()
    assert [n["kind"] for n in everything] == ["assumption", "barrier"]
    element_notes = call("get", f"{base}/elements/{ids['Training']}/notes", key).json()
    assert [n["id"] for n in element_notes] == [on_element.json()["id"]]
    assert [n["id"] for n in call("get", f"{base}/links/{link}/notes", key).json()] == [
        on_link.json()["id"]
    ]

    assert call("delete", f"{base}/notes/{on_link.json()['id']}", key).status_code == 204
    assert list(Note.objects.values_list("kind", flat=True)) == ["assumption"]
    entries = _api_entries(world_a, "programmes.Note")
    assert sorted(entries.values_list("action", flat=True)) == sorted(
        [AuditAction.CREATE, AuditAction.CREATE, AuditAction.DELETE]
    )
    assert entries.filter(actor=world_a.user(Role.PROGRAMME_LEAD)).count() == 3


def test_a_bad_note_is_refused_naming_the_field(world_a: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, ids = _theory_of_change(key)
    url = f"{base}/elements/{ids['Training']}/notes"
    kind = assert_json_error(call("post", url, key, {"kind": "worry", "text": "x"}), 422)
    assert kind["errors"][0]["field"] == "kind"
    assert "assumption" in kind["errors"][0]["message"]
    blank = assert_json_error(call("post", url, key, {"kind": "barrier", "text": "   "}), 422)
    assert blank["errors"][0]["field"] == "text"
    missing = assert_json_error(call("post", url, key, {"kind": "barrier"}), 422)
    assert missing["errors"] == [{"field": "text", "message": "This field is required."}]
    extra = assert_json_error(
        call("post", url, key, {"kind": "barrier", "text": "x", "element": 1}), 422
    )
    assert extra["errors"][0]["field"] == "element"
    assert not Note.objects.exists()


def test_indicators_on_outcomes(world_a: World) -> None:
    key = token_for(world_a.members[Role.EVALUATOR])
    base, ids = _theory_of_change(key)
    outcome = ids["Staff notice trauma"]
    body = {
        "what": "Confidence responding to disclosures",
        "how": "A short survey",
        "from_whom": "Teaching staff",
        "when": "Before and 3 months after",
    }
    made = call("post", f"{base}/elements/{outcome}/indicators", key, body)
    assert made.status_code == 201, made.content
    assert made.json() | {"id": 0} == {"id": 0, "outcome": outcome, **body}
    assert [i["what"] for i in call("get", f"{base}/indicators", key).json()] == [body["what"]]
    per_outcome = call("get", f"{base}/elements/{outcome}/indicators", key).json()
    assert [i["id"] for i in per_outcome] == [made.json()["id"]]
    assert call("get", f"{base}/elements/{ids['Training']}/indicators", key).json() == []

    refused = assert_json_error(
        call("post", f"{base}/elements/{ids['Training']}/indicators", key, body), 422
    )
    assert "Only outcomes have indicators." in refused["detail"]
    too_long = assert_json_error(
        call("post", f"{base}/elements/{outcome}/indicators", key, body | {"how": "x" * 301}),
        422,
    )
    assert too_long["errors"] == [{"field": "how", "message": "Use 300 characters or fewer."}]
    missing = assert_json_error(
        call("post", f"{base}/elements/{outcome}/indicators", key, {"what": "x"}), 422
    )
    assert {e["field"] for e in missing["errors"]} == {"how", "from_whom", "when"}

    assert call("delete", f"{base}/indicators/{made.json()['id']}", key).status_code == 204
    assert not Indicator.objects.exists()
    actions = _api_entries(world_a, "programmes.Indicator").values_list("action", flat=True)
    assert sorted(actions) == sorted([AuditAction.CREATE, AuditAction.DELETE])


def test_decide_on_proposed_questions_and_add_your_own(world_a: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, ids = _theory_of_change(key)
    proposals = call("get", f"{base}/proposals", key).json()
    keys = [p["key"] for p in proposals]
    link_key = f"link:{ids['Staff trained link']}"
    outcome_key = f"indicator:{ids['Staff notice trauma']}"
    assert keys == [link_key, outcome_key]
    assert "Emerging" in proposals[0]["text"] and proposals[0]["reason"]
    assert proposals[1]["about"] == str(ids["Staff notice trauma"])

    edited = call(
        "post", f"{base}/proposals/{link_key}/accept", key, {"text": "Does training work?"}
    )
    assert edited.status_code == 201, edited.content
    assert edited.json()["status"] == "accepted"
    assert edited.json()["text"] == "Does training work?"
    assert edited.json()["proposal_key"] == link_key
    again = assert_json_error(call("post", f"{base}/proposals/{link_key}/accept", key), 404)
    assert "already" in again["detail"]

    dismissed = call("post", f"{base}/proposals/{outcome_key}/dismiss", key)
    assert dismissed.status_code == 201, dismissed.content
    assert dismissed.json()["status"] == "dismissed"
    assert call("get", f"{base}/proposals", key).json() == []

    own = call("post", f"{base}/questions", key, {"text": "Do pupils feel safer at school?"})
    assert own.status_code == 201 and own.json()["proposal_key"] == ""
    decided = call("get", f"{base}/questions", key).json()
    assert [(q["text"], q["status"]) for q in decided] == [
        ("Does training work?", "accepted"),
        (proposals[1]["text"], "dismissed"),
        ("Do pupils feel safer at school?", "accepted"),
    ]
    assert _api_entries(world_a, "programmes.EvaluationQuestion").count() == 3


def test_accepting_as_proposed_needs_no_body(world_a: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, _ids = _theory_of_change(key)
    proposed = call("get", f"{base}/proposals", key).json()[0]
    accepted = call("post", f"{base}/proposals/{proposed['key']}/accept", key)
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["text"] == proposed["text"]


def test_an_empty_question_is_refused_as_on_the_page(world_a: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, ids = _theory_of_change(key)
    link_key = f"link:{ids['Staff trained link']}"
    blank = assert_json_error(
        call("post", f"{base}/proposals/{link_key}/accept", key, {"text": "  "}), 422
    )
    assert blank["errors"] == [{"field": "text", "message": "Enter the question"}]
    empty_own = assert_json_error(call("post", f"{base}/questions", key, {"text": ""}), 422)
    assert empty_own["errors"][0]["field"] == "text"
    unknown = assert_json_error(call("post", f"{base}/proposals/link:999999/accept", key), 404)
    assert "link:999999" in unknown["detail"]
    assert not EvaluationQuestion.objects.exists()


def test_other_partnerships_ids_are_not_found(world_a: World, world_b: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, _ids = _theory_of_change(key)
    b_key = token_for(world_b.members[Role.PROGRAMME_LEAD])
    b_base, b_ids = _theory_of_change(b_key, "Bravo schools")
    b_note = call(
        "post",
        f"{b_base}/elements/{b_ids['Training']}/notes",
        b_key,
        {"kind": "enabler", "text": "B"},
    ).json()["id"]
    indicator = {"what": "w", "how": "h", "from_whom": "f", "when": "w"}
    b_outcome = b_ids["Staff notice trauma"]
    b_indicator = call(
        "post", f"{b_base}/elements/{b_outcome}/indicators", b_key, indicator
    ).json()["id"]

    note = {"kind": "barrier", "text": "x"}
    for method, path, body in [
        ("get", f"{b_base}/notes", None),
        ("get", f"{b_base}/indicators", None),
        ("get", f"{b_base}/questions", None),
        ("get", f"{b_base}/proposals", None),
        ("post", f"{base}/elements/{b_ids['Training']}/notes", note),
        ("post", f"{base}/links/{b_ids['Training link']}/notes", note),
        ("get", f"{base}/elements/{b_ids['Training']}/notes", None),
        ("delete", f"{base}/notes/{b_note}", None),
        ("delete", f"{b_base}/notes/{b_note}", None),
        ("post", f"{base}/elements/{b_outcome}/indicators", indicator),
        ("delete", f"{base}/indicators/{b_indicator}", None),
        ("post", f"{b_base}/questions", {"text": "x"}),
        ("post", f"{b_base}/proposals/indicator:{b_outcome}/dismiss", None),
        # A's programme, B's outcome: not one of A's proposals.
        ("post", f"{base}/proposals/indicator:{b_outcome}/dismiss", None),
    ]:
        assert_json_error(call(method, path, key, body), 404)
    assert Note.objects.filter(partnership=world_b.partnership).count() == 1
    assert Note.objects.filter(partnership=world_a.partnership).count() == 0
    assert Indicator.objects.filter(pk=b_indicator).exists()
    assert not EvaluationQuestion.objects.exists()


def test_roles_decide_who_may_change(world_a: World) -> None:
    base, ids = _theory_of_change(token_for(world_a.members[Role.PROGRAMME_LEAD]))
    key = token_for(world_a.members[Role.PRACTITIONER])
    for path in ("notes", "indicators", "questions", "proposals"):
        assert call("get", f"{base}/{path}", key).status_code == 200, path
    outcome = ids["Staff notice trauma"]
    for method, path, body in [
        ("post", f"{base}/elements/{outcome}/notes", {"kind": "barrier", "text": "x"}),
        ("post", f"{base}/elements/{outcome}/indicators", {k: "x" for k in INDICATOR}),
        ("post", f"{base}/questions", {"text": "x"}),
        ("post", f"{base}/proposals/indicator:{outcome}/dismiss", None),
    ]:
        body_error = assert_json_error(call(method, path, key, body), 403)
        assert "roles" in body_error["detail"]
    assert not Note.objects.exists() and not EvaluationQuestion.objects.exists()


def test_the_schema_lists_and_documents_the_operations(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    base = "/api/programmes/{programme_id}"
    expected = {
        f"{base}/notes": {"get"},
        f"{base}/elements/{{element_id}}/notes": {"get", "post"},
        f"{base}/links/{{link_id}}/notes": {"get", "post"},
        f"{base}/notes/{{note_id}}": {"delete"},
        f"{base}/indicators": {"get"},
        f"{base}/elements/{{element_id}}/indicators": {"get", "post"},
        f"{base}/indicators/{{indicator_id}}": {"delete"},
        f"{base}/questions": {"get", "post"},
        f"{base}/proposals": {"get"},
        f"{base}/proposals/{{proposal_key}}/accept": {"post"},
        f"{base}/proposals/{{proposal_key}}/dismiss": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            op = paths[path][method]
            assert op["summary"] and "programmes" in op["tags"], (method, path)
            assert {"401", "403", "404"} <= set(op["responses"]), (method, path)
    schemas = schema["components"]["schemas"]
    for name in ("NoteIn", "IndicatorIn", "QuestionIn", "AcceptIn"):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["NoteOut"]["properties"]["kind"]
