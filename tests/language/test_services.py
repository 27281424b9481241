"""A partnership's language settings: its own rules extend TIP's (and may replace one), silenced
rules and allowed phrases hide TIP's findings, another partnership's settings never apply,
every change is audited, a bad rule is refused naming the field, and feedback is counted per
rule without the text."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import World
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.language import selectors, services
from tip.language.checker import load_shipped
from tip.language.models import AllowedPhrase, Feedback, PartnershipRule, SilencedRule

NOTE = "She refused to engage with support. The CIN plan was reviewed at Hope House."


def rule_fields(**changes: Any) -> dict[str, Any]:
    return {
        "rule_id": "cin-jargon",
        "language": "en",
        "category": "care-jargon",
        "applies_to": "children",
        "severity": "suggestion",
        "phrases": "=CIN plan\n=CIN",
        "exceptions": "",
        "explanation": "Families read their records: an abbreviation tells them nothing.",
        "suggestions": "the plan for the support [name] gets as a child in need",
        "source": "Alpha language guide",
    } | changes


def rules_of(world: World, text: str = NOTE, **kwargs: Any) -> list[str]:
    found = services.findings_for(
        text, partnership=world.partnership, language=kwargs.pop("language", "en"), **kwargs
    )
    return [f.rule for f in found if not f.quoted]


def test_tip_rules_apply_to_every_partnership(world_a: World) -> None:
    assert "refused-to-engage" in rules_of(world_a)
    assert services.findings_for("", partnership=world_a.partnership, language="en") == []
    assert services.findings_for("   \n", partnership=world_a.partnership, language="en") == []


def test_own_rule_extends_and_never_reaches_another_partnership(
    world_a: World, world_b: World
) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    rule = services.partnership_rule_create(
        partnership=world_a.partnership, by=admin, **rule_fields()
    )
    assert rule.phrases == ["=CIN plan", "=CIN"]
    assert "cin-jargon" in rules_of(world_a)
    assert "cin-jargon" not in rules_of(world_b)
    finding = next(
        f
        for f in services.findings_for(NOTE, partnership=world_a.partnership, language="en")
        if f.rule == "cin-jargon"
    )
    assert finding.sources[0].title == "Alpha language guide"
    # Rules for children are left out of a text about an adult.
    assert "cin-jargon" not in rules_of(world_a, audience="adults")
    # Changing it takes effect at once; removing it too.
    services.partnership_rule_update(rule=rule, by=admin, **rule_fields(applies_to="all"))
    assert "cin-jargon" in rules_of(world_a, audience="adults")
    services.partnership_rule_delete(rule=rule, by=admin)
    assert "cin-jargon" not in rules_of(world_a)


def test_own_rule_with_a_tip_id_replaces_it(world_a: World) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    services.partnership_rule_create(
        partnership=world_a.partnership,
        by=admin,
        **rule_fields(
            rule_id="refused-to-engage",
            phrases="refuse to * engage",
            explanation="Our own words about engagement, agreed with our youth panel.",
            suggestions="did not take up the support because [say why]",
        ),
    )
    found = [
        f
        for f in services.findings_for(NOTE, partnership=world_a.partnership, language="en")
        if f.rule == "refused-to-engage"
    ]
    assert found and found[0].suggestions == ("did not take up the support because [say why]",)


def test_silenced_rules_and_allowed_phrases_hide_findings(world_a: World, world_b: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    silenced = services.shipped_rule_silence(
        partnership=world_a.partnership,
        by=lead,
        rule_id="refused-to-engage",
        language="en",
        reason="We are trying other wording with our youth panel.",
    )
    assert "refused-to-engage" not in rules_of(world_a)
    assert "refused-to-engage" in rules_of(world_b)
    services.shipped_rule_restore(silenced=silenced, by=lead)
    assert "refused-to-engage" in rules_of(world_a)

    text = "They met at the contact centre."
    before = rules_of(world_a, text)
    assert before, "a TIP rule flags 'contact centre'"
    allowed = services.phrase_allow(
        partnership=world_a.partnership, by=lead, phrase="contact centre", language="en"
    )
    assert rules_of(world_a, text) == []
    assert rules_of(world_b, text) == before
    services.phrase_disallow(allowed=allowed, by=lead)
    assert rules_of(world_a, text) == before


def test_every_change_is_audited_with_the_person_and_partnership(world_a: World) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    p = world_a.partnership
    rule = services.partnership_rule_create(partnership=p, by=admin, **rule_fields())
    services.partnership_rule_update(rule=rule, by=admin, **rule_fields(severity="warning"))
    silenced = services.shipped_rule_silence(
        partnership=p, by=admin, rule_id="placement", language="en", reason="Agreed wording."
    )
    allowed = services.phrase_allow(partnership=p, by=admin, phrase="Hope House", language="en")
    feedback = services.feedback_record(
        partnership=p, by=admin, rule="placement", where="training:session-create"
    )
    services.shipped_rule_restore(silenced=silenced, by=admin)
    services.phrase_disallow(allowed=allowed, by=admin)
    services.partnership_rule_delete(rule=rule, by=admin)
    entries = list(AuditEntry.objects.filter(object_type__startswith="language.").order_by("pk"))
    assert [(e.action, e.object_type) for e in entries] == [
        (AuditAction.CREATE, "language.PartnershipRule"),
        (AuditAction.UPDATE, "language.PartnershipRule"),
        (AuditAction.CREATE, "language.SilencedRule"),
        (AuditAction.CREATE, "language.AllowedPhrase"),
        (AuditAction.CREATE, "language.Feedback"),
        (AuditAction.DELETE, "language.SilencedRule"),
        (AuditAction.DELETE, "language.AllowedPhrase"),
        (AuditAction.DELETE, "language.PartnershipRule"),
    ]
    assert all(e.actor_id == admin.pk and e.partnership_id == p.pk for e in entries)
    assert entries[1].changed_fields == ["severity"]
    assert str(feedback.pk) == entries[4].object_id


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rule_id": "Not An Id"}, "rule_id"),
        ({"phrases": ""}, "phrases"),
        ({"phrases": "* engage"}, "phrases"),
        ({"exceptions": "refuse *"}, "exceptions"),
        ({"explanation": "Short"}, "explanation"),
        ({"suggestions": ""}, "suggestions"),
        ({"category": "rude"}, "category"),
        ({"language": "fr"}, "language"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(
    world_a: World, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.partnership_rule_create(
            partnership=world_a.partnership,
            by=world_a.user(Role.PARTNERSHIP_ADMIN),
            **rule_fields(**changes),
        )
    assert field in caught.value.message_dict, caught.value.message_dict
    assert not PartnershipRule.objects.exists()
    assert not AuditEntry.objects.filter(object_type="language.PartnershipRule").exists()


def test_ids_are_unique_per_partnership_and_language(world_a: World, world_b: World) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    services.partnership_rule_create(partnership=world_a.partnership, by=admin, **rule_fields())
    with pytest.raises(ValidationError) as caught:
        services.partnership_rule_create(partnership=world_a.partnership, by=admin, **rule_fields())
    assert "rule_id" in caught.value.message_dict
    # The same id in Welsh, or in another partnership, is another rule.
    services.partnership_rule_create(
        partnership=world_a.partnership,
        by=admin,
        **rule_fields(language="cy", phrases="=CIN"),
    )
    services.partnership_rule_create(
        partnership=world_b.partnership, by=world_b.user(Role.PARTNERSHIP_ADMIN), **rule_fields()
    )


def test_silencing_and_allowing_are_checked(world_a: World) -> None:
    p, admin = world_a.partnership, world_a.user(Role.PARTNERSHIP_ADMIN)
    with pytest.raises(ValidationError) as caught:
        services.shipped_rule_silence(
            partnership=p, by=admin, rule_id="no-such-rule", language="en", reason="Why not"
        )
    assert "rule_id" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.shipped_rule_silence(
            partnership=p, by=admin, rule_id="placement", language="en", reason=" "
        )
    assert "reason" in caught.value.message_dict
    services.shipped_rule_silence(
        partnership=p, by=admin, rule_id="placement", language="en", reason="Agreed."
    )
    with pytest.raises(ValidationError):
        services.shipped_rule_silence(
            partnership=p, by=admin, rule_id="placement", language="en", reason="Again."
        )
    with pytest.raises(ValidationError) as caught:
        services.phrase_allow(partnership=p, by=admin, phrase="* centre", language="en")
    assert "phrase" in caught.value.message_dict
    services.phrase_allow(partnership=p, by=admin, phrase="Hope House", language="en")
    with pytest.raises(ValidationError):
        services.phrase_allow(partnership=p, by=admin, phrase="hope  house", language="en")
    assert SilencedRule.objects.count() == 1 and AllowedPhrase.objects.count() == 1


def test_feedback_is_counted_per_rule_without_the_text(world_a: World, world_b: World) -> None:
    p, who = world_a.partnership, world_a.user(Role.PRACTITIONER)
    today = timezone.localdate()
    for days in (1, 10, 200):
        services.feedback_record(
            partnership=p,
            by=who,
            rule="placement",
            where="language:check",
            on=today - datetime.timedelta(days=days),
        )
    services.feedback_record(partnership=p, by=who, rule="refused-to-engage", where="a:b")
    services.feedback_record(partnership=p, by=who, rule="refused-to-engage", where="a:b")
    services.feedback_record(
        partnership=world_b.partnership,
        by=world_b.user(Role.PRACTITIONER),
        rule="placement",
        where="language:check",
    )
    counts = selectors.feedback_counts(p)
    assert [(c.rule_id, c.recent, c.total) for c in counts] == [
        ("placement", 2, 3),
        ("refused-to-engage", 2, 2),
    ]
    assert counts[0].last == today - datetime.timedelta(days=1)
    stored = Feedback.objects.filter(partnership=p).values()[0]
    assert set(stored) == {"id", "partnership_id", "rule_id", "language", "where", "recorded_on"}


def test_feedback_is_checked(world_a: World) -> None:
    p, who = world_a.partnership, world_a.user(Role.PRACTITIONER)
    with pytest.raises(ValidationError) as caught:
        services.feedback_record(partnership=p, by=who, rule="no-such-rule", where="a:b")
    assert "rule" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.feedback_record(
            partnership=p, by=who, rule="placement", where="She refused to engage"
        )
    assert "where" in caught.value.message_dict
    assert not Feedback.objects.exists()
    # A partnership's own rule can be marked too.
    services.partnership_rule_create(
        partnership=p, by=world_a.user(Role.PARTNERSHIP_ADMIN), **rule_fields()
    )
    services.feedback_record(partnership=p, by=who, rule="cin-jargon", where="language:check")


def test_the_rule_set_is_cached_until_the_partnership_changes_it(
    world_a: World, django_assert_num_queries: Any
) -> None:
    p, admin = world_a.partnership, world_a.user(Role.PARTNERSHIP_ADMIN)
    services.partnership_rule_create(partnership=p, by=admin, **rule_fields())
    services.findings_for(NOTE, partnership=p, language="en")
    with django_assert_num_queries(1):  # only the partnership's stamp
        first = services.ruleset_for(p, "en")
    assert services.ruleset_for(p, "en") is first
    services.phrase_allow(partnership=p, by=admin, phrase="Hope House", language="en")
    assert services.ruleset_for(p, "en") is not first
    assert services.ruleset_for(None, "en") is load_shipped("en")


def test_welsh_uses_the_welsh_rules(world_a: World) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    services.partnership_rule_create(
        partnership=world_a.partnership,
        by=admin,
        **rule_fields(
            rule_id="achos-cau",
            language="cy",
            phrases="achos",
            explanation="Mae pobl yn darllen eu cofnodion eu hunain: dywedwch beth ddigwyddodd.",
            suggestions="[dywedwch beth ddigwyddodd]",
            applies_to="all",
        ),
    )
    assert "achos-cau" in rules_of(world_a, "Roedd yr achos ar gau.", language="cy")
    assert "achos-cau" not in rules_of(world_a, "Roedd yr achos ar gau.", language="en")


def test_hints_on_a_welsh_page_use_the_welsh_and_the_english_rules(world_a: World) -> None:
    english = "She refused to engage with support."
    welsh = "Mae hi wedi gwrthod ymgysylltu â'r gwasanaeth."
    on_welsh_page = services.findings_for_page(
        f"{english} {welsh}", partnership=world_a.partnership, page_language="cy"
    )
    assert [f.text for f in on_welsh_page] == ["refused to engage", "gwrthod ymgysylltu"]
    on_english_page = services.findings_for_page(
        f"{english} {welsh}", partnership=world_a.partnership, page_language="en"
    )
    assert [f.text for f in on_english_page] == ["refused to engage"]
