"""The language checker in the JSON API, under /api/language: check text (the same answer the
live hints get), list the rules a check uses, count a finding as "not relevant here", and a
partnership's own rules. Registered from LanguageConfig.ready().

The text sent to check is only read: never stored, logged or audited. Changes are made by the
same services as the pages, so the API refuses what the pages refuse (422, naming the field) and
writes the same audit entries. Ids of another partnership's rules answer 404."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field, field_validator

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.languages import language_for
from tip.language import presentation, selectors, services
from tip.language.roles import MANAGE_LANGUAGE_RULES, USE_LANGUAGE_CHECKER

router = Router(tags=["language"])

LanguageCode = Literal["en", "cy"]
Audience = Literal["all", "children", "adults"]
# The services' names for a rule's fields -> the API's.
API_FIELDS = {"exceptions": "except"}


class LanguageSource(Schema):
    key: str
    title: str
    url: str | None


class LanguageFinding(Schema):
    start: int = Field(description="Where the words start: a character offset into the text.")
    end: int = Field(description="Where they end (exclusive).")
    text: str = Field(description="The words found, as written.")
    rule: str = Field(description="The id of the rule that found them.")
    category: str
    category_label: str = Field(description="The category in the reader's language.")
    severity: str = Field(description="suggestion, warning or error.")
    severity_label: str
    explanation: str = Field(description="Why this wording can harm.")
    suggestions: list[str] = Field(
        description="What to write instead, best first; '[...]' marks what the writer must add."
    )
    sources: list[LanguageSource]
    applies_to: str
    quoted: bool = Field(
        description="Inside quotation marks recording a person's own words: shown, not to change."
    )


class LanguageSegment(Schema):
    kind: str = Field(description="text, replaced (a suggestion's words) or slot ('[...]').")
    text: str
    rule: str | None


class LanguagePreview(Schema):
    text: str = Field(description="The text with each finding replaced by its first suggestion.")
    segments: list[LanguageSegment]


class LanguageCheckOut(Schema):
    language: str
    audience: str
    findings: list[LanguageFinding] = Field(description="Wording to think about changing.")
    quoted: list[LanguageFinding] = Field(
        description="Found inside a person's own recorded words: not to change."
    )
    preview: LanguagePreview


class LanguageCheckIn(Schema):
    """Text to check. Not stored."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="Up to 200,000 characters; empty text has no findings.")
    language: LanguageCode | None = Field(
        default=None, description="The text's language; the token owner's language if left out."
    )
    audience: Audience = Field(
        default="all", description="Who the text is about: rules for the other group are skipped."
    )

    @field_validator("text")
    @classmethod
    def _not_too_long(cls, value: str) -> str:
        if len(value) > services.MAX_TEXT:
            raise ValueError(
                _(
                    "The text is too long: %(length)s characters. Check %(max)s characters or "
                    "fewer at a time, in parts."
                )
                % {"length": f"{len(value):,}", "max": f"{services.MAX_TEXT:,}"}
            )
        return value


@router.post(
    "/check",
    summary="Check text for wording that may harm",
    description=(
        "The findings of TIP's rules for the language with the partnership's own, less the "
        "rules it silenced and its allowed phrases: the words' offsets, why they may harm, what "
        "to write instead, and the source. Findings inside a person's own recorded words are "
        "listed apart, as `quoted`. The text is never stored."
    ),
    **_documented({200: LanguageCheckOut}, 400, 401, 403, 409, 422),
)
def language_check(request: HttpRequest, payload: LanguageCheckIn) -> Any:
    m = _need(request, USE_LANGUAGE_CHECKER)
    language = payload.language or language_for(m.user)
    findings = services.findings_for(
        payload.text, partnership=m.partnership, language=language, audience=payload.audience
    )
    return presentation.check_json(
        payload.text, findings, language=language, audience=payload.audience
    )


class LanguageRuleOut(Schema):
    id: str
    language: str
    category: str
    applies_to: str
    severity: str
    phrases: list[str]
    excepts: list[str] = Field(alias="except", description="Harmless uses of the same words.")
    explanation: str
    suggestions: list[str]
    sources: list[LanguageSource]
    origin: str = Field(description="shipped (TIP's) or partnership (the partnership's own).")
    silenced: bool = Field(description="Silenced by the partnership: it flags nothing.")


class LanguageRulesQuery(Schema):
    language: LanguageCode = "en"


@router.get(
    "/rules",
    summary="The rules a check uses",
    description=(
        "TIP's rules for the language, and the partnership's own (which replace TIP's rule "
        "with the same id); the ones the partnership silenced are marked."
    ),
    by_alias=True,
    **_documented({200: list[LanguageRuleOut]}, 401, 403, 422),
)
def language_rules(request: HttpRequest, query: Query[LanguageRulesQuery]) -> Any:
    m = _need(request, USE_LANGUAGE_CHECKER)
    language = query.language
    silenced = set(
        selectors.silenced_rules(m.partnership, language).values_list("rule_id", flat=True)
    )
    rules = services.ruleset_for(m.partnership, language)
    own = {rule.id for rule in rules if rule.origin != "shipped"}
    listed = [
        rule.to_dict() | {"language": language, "silenced": False}
        for rule in rules
        if rule.origin != "shipped" or rule.id not in silenced
    ]
    listed += [
        rule.to_dict() | {"language": language, "silenced": True}
        for rule in selectors.shipped_rules(language)
        if rule.id in silenced and rule.id not in own
    ]
    return listed


class LanguageFeedbackIn(InputSchema):
    rule: str = Field(max_length=80, description="The id of the finding's rule.")
    where: str = Field(
        max_length=200,
        description="The page or form's URL name, like 'training:session-create'.",
    )
    language: LanguageCode = Field(default="en", description="The language of the text.")


class LanguageFeedbackOut(Schema):
    rule: str = Field(validation_alias="rule_id")
    language: str
    where: str
    recorded_on: datetime.date


@router.post(
    "/feedback",
    summary="Count a finding as not relevant here",
    description=(
        "Adds one to the rule's 'not relevant here' count, which the partnership's admins see "
        "on the settings page. Send no text: only the rule, the language and where."
    ),
    **_documented({201: LanguageFeedbackOut}, 400, 401, 403, 409, 422),
)
def language_feedback(request: HttpRequest, payload: LanguageFeedbackIn) -> Any:
    m = _need(request, USE_LANGUAGE_CHECKER)
    feedback = services.feedback_record(
        partnership=m.partnership,
        by=m.user,
        rule=payload.rule,
        where=payload.where,
        language=payload.language,
        via=VIA,
    )
    return Status(201, feedback)


class LanguagePartnershipRuleOut(Schema):
    id: int = Field(description="The record's id, to remove it.")
    rule_id: str
    language: str
    category: str
    applies_to: str
    severity: str
    phrases: list[str]
    exceptions: list[str] = Field(serialization_alias="except")
    explanation: str
    suggestions: list[str]
    source: str
    updated_at: datetime.datetime


class LanguagePartnershipRuleIn(InputSchema):
    """A rule as a rule file writes it; ``rule_id`` is its ``id``."""

    rule_id: str = Field(description="Lower-case words joined by hyphens, like 'case-closed'.")
    language: LanguageCode
    category: Literal[
        "victim-blaming", "deficit-label", "care-jargon", "service-centred", "dehumanising"
    ]
    applies_to: Audience
    severity: Literal["suggestion", "warning", "error"]
    phrases: list[str] = Field(min_length=1)
    exceptions: list[str] = Field(default=[], alias="except")
    explanation: str
    suggestions: list[str] = Field(min_length=1)
    source: str = ""


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {API_FIELDS.get(field, field): messages for field, messages in exc.message_dict.items()}
    )


@router.get(
    "/partnership-rules",
    summary="The partnership's own rules",
    by_alias=True,
    **_documented({200: list[LanguagePartnershipRuleOut]}, 401, 403),
)
def language_partnership_rule_list(request: HttpRequest) -> Any:
    m = _need(request, MANAGE_LANGUAGE_RULES)
    return list(selectors.partnership_rules(m.partnership))


@router.post(
    "/partnership-rules",
    summary="Add a rule of the partnership's own",
    description=(
        "Checked as a rule file is: a phrase the engine cannot read is refused with 422, "
        "naming the field. With the id of one of TIP's rules, it replaces that rule."
    ),
    by_alias=True,
    **_documented({201: LanguagePartnershipRuleOut}, 400, 401, 403, 409, 422),
)
def language_partnership_rule_create(
    request: HttpRequest, payload: LanguagePartnershipRuleIn
) -> Any:
    m = _need(request, MANAGE_LANGUAGE_RULES)
    try:
        rule = services.partnership_rule_create(
            partnership=m.partnership, by=m.user, via=VIA, **payload.dict()
        )
    except ValidationError as exc:
        raise _renamed(exc) from exc
    return Status(201, rule)


@router.delete(
    "/partnership-rules/{int:partnership_rule_id}",
    summary="Remove a rule of the partnership's own",
    **_documented({204: None}, 401, 403, 404),
)
def language_partnership_rule_delete(request: HttpRequest, partnership_rule_id: int) -> Any:
    m = _need(request, MANAGE_LANGUAGE_RULES)
    rule = selectors.partnership_rule_get(
        partnership=m.partnership, partnership_rule_id=partnership_rule_id
    )
    services.partnership_rule_delete(rule=rule, by=m.user, via=VIA)
    return Status(204, None)
