"""The checker's pages, without JavaScript: paste text and see each finding marked (not by
colour alone) and explained, with suggestions, quoted words apart and a rewrite preview; mark a
finding "not relevant here" (counted per rule, the text never stored); and the settings pages,
for admins and programme leads only, scoped to the partnership."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.language import services
from tip.language.models import AllowedPhrase, Feedback, PartnershipRule, SilencedRule

NOTE = (
    "Jay refused to engage with support and is putting himself at risk.\n"
    'He told me: "I refused to engage because nobody listened to me."'
)


def page(client: Client, name: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    url = reverse(name, kwargs=kwargs or None)
    return client.post(url, data) if data is not None else client.get(url)


def text_of(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def rule_form(**changes: str) -> dict[str, str]:
    return {
        "rule_id": "cin-jargon",
        "language": "en",
        "phrases": "=CIN",
        "exceptions": "",
        "category": "care-jargon",
        "applies_to": "all",
        "severity": "suggestion",
        "explanation": "Families read their records: an abbreviation tells them nothing.",
        "suggestions": "a child in need, with support from [say who]",
        "source": "",
    } | changes


@pytest.fixture
def practitioner(world_a: World) -> Client:
    return signed_in_client(world_a.user(Role.PRACTITIONER))


@pytest.fixture
def admin(world_a: World) -> Client:
    return signed_in_client(world_a.user(Role.PARTNERSHIP_ADMIN))


def test_the_check_page_works_without_javascript(practitioner: Client) -> None:
    response = page(practitioner, "language:check")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="text"' in body and 'value="en" checked' in body.replace("\n", " ")
    assert "<script" not in body.split("<main")[1].split("</main>")[0]


def test_findings_are_marked_explained_and_suggested(practitioner: Client) -> None:
    response = page(
        practitioner, "language:check", {"text": NOTE, "language": "en", "audience": "children"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    # Marked with <mark>, a visible number in brackets and the kind for screen readers.
    assert re.search(r"<mark[^>]*>refused to engage<span class=\"govuk-visually-hidden\">", body)
    assert 'href="#finding-1">[1]</a>' in body
    assert "finding 1: Service-centred language" in body
    text = text_of(response)
    assert "felt unable to accept support at this time because" in text
    # A slot: shown in brackets, read out as something to add.
    assert re.search(
        r'<span class="govuk-visually-hidden">you need to add: </span>\[say what got in the way\]',
        body,
    )
    assert "Not relevant here" in text
    # The person's own words are listed apart, not flagged.
    assert "In quotation marks (the person's own words): not flagged" in text
    assert "“I refused to engage because nobody listened to me.”" in text or (
        "“refused to engage”" in text
    )
    # The rewrite preview.
    assert "Your text with the first suggestions" in text
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )


def test_the_text_is_never_stored(practitioner: Client, world_a: World) -> None:
    before = AuditEntry.objects.count()
    page(practitioner, "language:check", {"text": NOTE, "language": "en", "audience": "all"})
    assert AuditEntry.objects.count() == before
    assert not Feedback.objects.exists()


def test_empty_and_too_long_text_are_refused_with_a_message(practitioner: Client) -> None:
    response = page(practitioner, "language:check", {"text": " ", "language": "en"})
    assert response.status_code == 400
    assert "Enter or paste the text to check" in text_of(response)
    response = page(
        practitioner,
        "language:check",
        {"text": "a" * (services.MAX_TEXT + 1), "language": "en", "audience": "all"},
    )
    assert response.status_code == 400
    assert "The text is too long" in text_of(response)


def test_not_relevant_here_counts_the_rule_and_keeps_the_results(
    practitioner: Client, world_a: World
) -> None:
    response = page(
        practitioner,
        "language:check",
        {"text": NOTE, "language": "en", "audience": "all", "not_relevant": "refused-to-engage"},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "“refused-to-engage” is counted as not relevant here" in text
    assert "What the checker found" in text
    feedback = Feedback.objects.get()
    assert (feedback.rule_id, feedback.where, feedback.language) == (
        "refused-to-engage",
        "language:check",
        "en",
    )
    entry = AuditEntry.objects.get(object_type="language.Feedback")
    assert (
        entry.actor == world_a.user(Role.PRACTITIONER)
        and "refused" not in entry.object_repr.split(":")[0]
    )
    assert "Jay" not in entry.object_repr


def test_the_feedback_page_counts_and_goes_back(practitioner: Client) -> None:
    response = page(
        practitioner,
        "language:feedback",
        {"rule": "placement", "where": "training:session-create", "next": "/training/"},
    )
    assert response.status_code == 302 and response["Location"] == "/training/"
    assert Feedback.objects.get().where == "training:session-create"
    # Somewhere else is not a place to go back to.
    response = page(
        practitioner,
        "language:feedback",
        {"rule": "placement", "where": "a:b", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("language:check")
    # An unknown rule is not counted.
    page(practitioner, "language:feedback", {"rule": "nope", "where": "a:b"})
    assert Feedback.objects.count() == 2
    assert page(practitioner, "language:feedback").status_code == 405


def test_check_json_for_live_hints(world_a: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world_a.user(Role.PRACTITIONER))
    url = reverse("language:check-json")
    # Without the CSRF token: refused.
    assert client.post(url, {"text": NOTE}).status_code == 403
    client.get(reverse("language:check"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        url,
        {"text": NOTE, "audience": "children"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    data = response.json()
    assert [f["rule"] for f in data["findings"]][:1] == ["refused-to-engage"]
    assert data["quoted"] and all(f["quoted"] for f in data["quoted"])
    assert {"start", "end", "text", "rule", "category", "suggestions"} <= set(data["findings"][0])
    assert data["preview"]["segments"]
    empty = client.post(
        url, {"text": ""}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert empty.json()["findings"] == []
    long = client.post(
        url,
        {"text": "a" * (services.MAX_TEXT + 1)},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert long.status_code == 422 and "too long" in long.json()["detail"]


def test_the_rules_page_lists_every_rule(practitioner: Client) -> None:
    response = page(practitioner, "language:rules")
    assert response.status_code == 200
    text = text_of(response)
    assert 'id="rule-refused-to-engage"' in response.content.decode()
    assert "felt unable to accept support" in text
    assert "Silence this rule" not in text  # a practitioner cannot change the settings


def test_settings_are_for_admins_and_programme_leads(world_a: World) -> None:
    for role in Role:
        client = signed_in_client(world_a.user(role))
        status = page(client, "language:settings").status_code
        allowed = role in {Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD}
        assert status == (200 if allowed else 403), role


def test_an_admin_adds_changes_and_removes_a_rule(admin: Client, world_a: World) -> None:
    response = page(admin, "language:rule-create", rule_form())
    assert response.status_code == 302
    rule = PartnershipRule.objects.get()
    assert rule.partnership == world_a.partnership and rule.created_by == world_a.user(
        Role.PARTNERSHIP_ADMIN
    )
    assert "cin-jargon" in text_of(page(admin, "language:settings"))
    edit = page(admin, "language:rule-edit", partnership_rule_id=rule.pk)
    assert edit.status_code == 200 and "=CIN" in text_of(edit)
    response = page(
        admin, "language:rule-edit", rule_form(severity="warning"), partnership_rule_id=rule.pk
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.severity == "warning"
    assert page(admin, "language:rule-remove", partnership_rule_id=rule.pk).status_code == 200
    assert page(admin, "language:rule-remove", {}, partnership_rule_id=rule.pk).status_code == 302
    assert not PartnershipRule.objects.exists()


def test_a_bad_rule_shows_an_error_naming_the_field(admin: Client) -> None:
    response = page(admin, "language:rule-create", rule_form(phrases="refuse *"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_phrases"' in body  # the error summary links to the field
    assert "govuk-error-message" in body
    assert not PartnershipRule.objects.exists()


def test_silence_restore_allow_and_disallow(admin: Client) -> None:
    form = page(admin, "language:silence")
    assert form.status_code == 200 and "refused-to-engage" in form.content.decode()
    response = page(
        admin,
        "language:silence",
        {"language": "en", "rule_id": "placement", "reason": "Agreed with foster carers."},
    )
    assert response.status_code == 302
    silenced = SilencedRule.objects.get()
    text = text_of(page(admin, "language:settings"))
    assert "Agreed with foster carers." in text
    rules = text_of(page(admin, "language:rules"))
    assert "Silenced in the partnership" in rules
    assert page(admin, "language:restore", {}, silenced_rule_id=silenced.pk).status_code == 302
    assert not SilencedRule.objects.exists()

    response = page(admin, "language:allow", {"phrase": "Hope House", "language": "en"})
    assert response.status_code == 302
    allowed = AllowedPhrase.objects.get()
    assert page(admin, "language:disallow", allowed_phrase_id=allowed.pk).status_code == 200
    assert page(admin, "language:disallow", {}, allowed_phrase_id=allowed.pk).status_code == 302
    assert not AllowedPhrase.objects.exists()
    assert (
        AuditEntry.objects.filter(
            object_type__startswith="language.", action=AuditAction.DELETE
        ).count()
        == 2
    )


def test_another_partnerships_ids_are_not_found(admin: Client, world_b: World) -> None:
    b_admin = world_b.user(Role.PARTNERSHIP_ADMIN)
    rule = services.partnership_rule_create(
        partnership=world_b.partnership,
        by=b_admin,
        **(rule_form() | {"phrases": ["=CIN"], "suggestions": ["a child in need"]}),
    )
    silenced = services.shipped_rule_silence(
        partnership=world_b.partnership, by=b_admin, rule_id="placement", language="en", reason="B"
    )
    allowed = services.phrase_allow(
        partnership=world_b.partnership, by=b_admin, phrase="Hope House", language="en"
    )
    for name, kwargs in [
        ("language:rule-edit", {"partnership_rule_id": rule.pk}),
        ("language:rule-remove", {"partnership_rule_id": rule.pk}),
        ("language:restore", {"silenced_rule_id": silenced.pk}),
        ("language:disallow", {"allowed_phrase_id": allowed.pk}),
    ]:
        assert page(admin, name, **kwargs).status_code == 404, name
        assert page(admin, name, {}, **kwargs).status_code == 404, name
    assert PartnershipRule.objects.count() == 1 and SilencedRule.objects.count() == 1
    settings = text_of(page(admin, "language:settings"))
    assert "cin-jargon" not in settings and "Hope House" not in settings


def test_the_check_page_is_in_the_navigation(practitioner: Client) -> None:
    body = page(practitioner, "core:dashboard").content.decode()
    assert reverse("language:check") in body
    assert reverse("language:settings") not in body


def test_the_check_page_in_welsh(practitioner: Client) -> None:
    practitioner.cookies["django_language"] = "cy"
    response = practitioner.get(reverse("language:check"), headers={"Accept-Language": "cy"})
    assert response.status_code == 200


def test_pages_run_the_same_queries_however_many_settings(admin: Client, world_a: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(name: str, data: dict[str, Any] | None = None) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = page(admin, name, data)
        assert response.status_code == 200
        return len(queries)

    check = {"text": NOTE, "language": "en", "audience": "all"}
    count("language:check", check)  # fills the caches
    few = {name: count(name) for name in ("language:settings", "language:rules")}
    few["check"] = count("language:check", check)
    by = world_a.user(Role.PARTNERSHIP_ADMIN)
    p = world_a.partnership
    for n in range(15):
        services.partnership_rule_create(
            partnership=p,
            by=by,
            **(rule_form(rule_id=f"rule-{n}") | {"phrases": [f"=word{n}"], "suggestions": ["x"]}),
        )
        services.phrase_allow(partnership=p, by=by, phrase=f"Place {n}", language="en")
        services.feedback_record(partnership=p, by=by, rule=f"rule-{n}", where="a:b")
    count("language:check", check)  # the rule set is built again once
    many = {name: count(name) for name in ("language:settings", "language:rules")}
    many["check"] = count("language:check", check)
    assert many == few
    assert max(many.values()) <= 15


def test_the_settings_show_which_rules_misfire_most(admin: Client, world_a: World) -> None:
    p, by = world_a.partnership, world_a.user(Role.PRACTITIONER)
    services.partnership_rule_create(
        partnership=p,
        by=world_a.user(Role.PARTNERSHIP_ADMIN),
        **(rule_form() | {"phrases": ["=CIN"], "suggestions": ["a child in need"]}),
    )
    for rule in ("placement", "placement", "placement", "cin-jargon", "refused-to-engage"):
        services.feedback_record(partnership=p, by=by, rule=rule, where="language:check")
    body = page(admin, "language:settings").content.decode()
    table = body.split('id="feedback"')[1].split('id="own-rules"')[0]
    assert table.index("placement") < table.index("cin-jargon")
    assert "rule=placement" in table  # TIP's rule can be silenced from here
    assert "rule=cin-jargon" not in table  # the partnership's own is changed, not silenced
    assert "the partnership's own" in html.unescape(table)
