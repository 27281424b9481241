"""The language checker for a partnership, and the changes a partnership makes to it.

``findings_for`` checks text against TIP's rules for the language, extended by the partnership's
own rules, less the TIP rules it silenced and never flagging its allowed phrases. The text is
only read: it is never stored, logged or written to the audit log.

The partnership's rule set is cached. Each change to its rules, silenced rules or allowed
phrases gives it a new random stamp (``RulesVersion``); the stamp is read from the database on
each check (one small query), so every process sees a change at once. Under a stamp, the
partnership's settings are kept in Django's cache and the rule set built from them in the
process, so a check runs no other query.

Every change is checked before anything is saved (a refusal is a ``ValidationError`` naming each
field, in words that say what to fix: a partnership rule is checked by the engine itself, as a
rule file is) and written to the audit log with the person and the partnership. Feedback ("not
relevant here") stores the rule, the language, the page or form and the day: never the text.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.language import selectors
from tip.language.checker import (
    AUDIENCES,
    LANGUAGES,
    Finding,
    PhraseError,
    RuleFileError,
    RuleSet,
    check,
    load_shipped,
    parse_phrase,
    rules_from_data,
    without_overlaps,
)
from tip.language.models import (
    PHRASE_LENGTH,
    RULE_ID_LENGTH,
    WHERE_LENGTH,
    AllowedPhrase,
    AppliesTo,
    Category,
    Feedback,
    PartnershipRule,
    RulesVersion,
    Severity,
    SilencedRule,
)

logger = logging.getLogger(__name__)

# The longest text checked at once (characters): about 30,000 words, a very long report.
MAX_TEXT = 200_000
MAX_EXPLANATION = 1000
MIN_EXPLANATION = 10
MAX_SUGGESTION = 300
MAX_REASON = 500
MAX_SOURCE = 300
RULE_FIELDS = (
    "rule_id",
    "language",
    "category",
    "applies_to",
    "severity",
    "phrases",
    "exceptions",
    "explanation",
    "suggestions",
    "source",
)
RULE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A page's or form's URL name ("training:session-create"), perhaps with a field ("#notes").
WHERE = re.compile(r"^[A-Za-z0-9_.:#/-]+$")
# The engine's name for a field of a rule -> ours.
ENGINE_FIELDS = {"id": "rule_id", "except": "exceptions", "sources": "source"}

CACHE_SECONDS = 60 * 60 * 24
_BUILT_LIMIT = 256
_built: OrderedDict[tuple[int, str, str], RuleSet] = OrderedDict()
_built_lock = threading.Lock()


def language_of(code: str | None) -> str:
    """A language the checker has rules for: "en" or "cy" ("cy-gb" is "cy"); else English."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


# --- The rule set and checking -----------------------------------------------------------------


def _stamp(partnership: Partnership) -> str:
    found = (
        RulesVersion.objects.filter(partnership=partnership)
        .values_list("version", flat=True)
        .first()
    )
    return str(found) if found else ""


def _renew_stamp(partnership: Partnership) -> None:
    """Called inside each change's transaction: the next check builds the rule set afresh."""
    stamp = uuid.uuid4().hex
    updated = RulesVersion.objects.filter(partnership=partnership).update(version=stamp)
    if not updated:
        RulesVersion.objects.update_or_create(partnership=partnership, defaults={"version": stamp})


def _settings_data(partnership: Partnership, language: str) -> dict[str, Any]:
    return {
        "rules": [r.as_rule_data() for r in selectors.partnership_rules(partnership, language)],
        "silenced": sorted(
            selectors.silenced_rules(partnership, language).values_list("rule_id", flat=True)
        ),
        "allowed": sorted(
            selectors.allowed_phrases(partnership, language).values_list("phrase", flat=True)
        ),
    }


def _own_rules(partnership: Partnership, language: str, rules: list[dict[str, Any]]) -> list[Any]:
    try:
        return rules_from_data(
            rules, language=language, source_title=_own_source_title(partnership)
        )
    except RuleFileError:
        # A rule saved before the engine changed may no longer be read: keep the others.
        kept = []
        for data in rules:
            try:
                kept += rules_from_data(
                    [data], language=language, source_title=_own_source_title(partnership)
                )
            except RuleFileError as exc:
                logger.warning(
                    "Partnership %s: language rule %s cannot be used: %s",
                    partnership.pk,
                    data.get("id"),
                    exc,
                )
        return kept


def _own_source_title(partnership: Partnership) -> str:
    """The source of a partnership's rule that names none: the partnership (a name reads the
    same in every language, and the rule set is kept whatever the reader's language)."""
    return partnership.name


def _readable(phrases: Iterable[str], language: str) -> list[str]:
    kept = []
    for phrase in phrases:
        try:
            parse_phrase(phrase, language)
        except PhraseError:
            continue
        kept.append(phrase)
    return kept


def ruleset_for(partnership: Partnership | None, language: str) -> RuleSet:
    """TIP's rules for the language with the partnership's own, less its silenced rules, never
    flagging its allowed phrases. A partnership's rule with the id of one of TIP's replaces it.
    Without a partnership: TIP's rules alone."""
    language = language_of(language)
    shipped = load_shipped(language)
    if partnership is None:
        return shipped
    stamp = _stamp(partnership)
    if not stamp:
        return shipped  # the partnership has never changed anything
    key = (partnership.pk, language, stamp)
    with _built_lock:
        built = _built.get(key)
        if built is not None:
            _built.move_to_end(key)
            return built
    cache_key = f"tip:language:settings:{partnership.pk}:{language}:{stamp}"
    data = cache.get(cache_key)
    if data is None:
        data = _settings_data(partnership, language)
        cache.set(cache_key, data, CACHE_SECONDS)
    own = _own_rules(partnership, language, data["rules"])
    built = shipped.without(
        rule_ids=data["silenced"], allowed_phrases=_readable(data["allowed"], language)
    ).extended(own)
    with _built_lock:
        _built[key] = built
        while len(_built) > _BUILT_LIMIT:
            _built.popitem(last=False)
    return built


def findings_for(
    text: str, *, partnership: Partnership | None, language: str, audience: str = "all"
) -> list[Finding]:
    """Every finding in ``text`` for the partnership, sorted by where it starts; findings inside
    a person's own recorded words have ``quoted`` set. Empty text has none. ``audience``: "all",
    "children" or "adults" (anything else counts as "all")."""
    if not text or not text.strip():
        return []
    if audience not in AUDIENCES:
        audience = "all"
    return check(text, ruleset_for(partnership, language), audience=audience)


def findings_for_page(
    text: str, *, partnership: Partnership | None, page_language: str, audience: str = "all"
) -> list[Finding]:
    """Findings where nobody said which language the text is in (the hints in TIP's forms): on a
    Welsh page people write in Welsh or in English, so both rule sets are used; on an English
    page, the English rules. Overlaps are settled as within one rule set."""
    language = language_of(page_language)
    if language == "en":
        return findings_for(text, partnership=partnership, language="en", audience=audience)
    found = [
        *findings_for(text, partnership=partnership, language=language, audience=audience),
        *findings_for(text, partnership=partnership, language="en", audience=audience),
    ]
    return without_overlaps(found)


# --- Partnership rules -------------------------------------------------------------------------


def _lines(value: Any) -> list[str]:
    """A textarea's lines (or a list), each trimmed, blank ones dropped."""
    items = value.splitlines() if isinstance(value, str) else list(value or [])
    return [" ".join(str(item).split()) for item in items if str(item).strip()]


def _engine_errors(exc: RuleFileError) -> dict[str, list[str]]:
    """The engine's "rule <id>: <field>: <problem>" lines, by our field names."""
    errors: dict[str, list[str]] = {}
    for line in exc.errors:
        rest = re.sub(r"^rule [^:]*:\s*", "", line)
        where, _sep, problem = rest.partition(": ")
        name = re.split(r"[ .]", where, maxsplit=1)[0] if problem else ""
        field = ENGINE_FIELDS.get(name, name)
        if field not in RULE_FIELDS:
            field, problem = "phrases", rest
        detail = f"{where}: {problem}" if where != name else problem
        errors.setdefault(field, []).append(_("Check this: %(problem)s") % {"problem": detail})
    return errors


def _clean_rule(
    *,
    partnership: Partnership,
    rule_id: Any,
    language: Any,
    category: Any,
    applies_to: Any,
    severity: Any,
    phrases: Any,
    exceptions: Any = (),
    explanation: Any,
    suggestions: Any,
    source: Any = "",
    rule: PartnershipRule | None = None,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    rule_id = str(rule_id or "").strip().lower()
    language = str(language or "")
    phrase_list = _lines(phrases)
    except_list = _lines(exceptions)
    suggestion_list = _lines(suggestions)
    explanation = " ".join(str(explanation or "").split())
    source = " ".join(str(source or "").split())
    if not rule_id:
        refuse("rule_id", _("Enter an id for the rule, like “case-closed”"))
    elif len(rule_id) > RULE_ID_LENGTH or not RULE_ID.match(rule_id):
        refuse(
            "rule_id",
            _(
                "Use lower-case letters and numbers joined by single hyphens for the id, "
                "like “case-closed”, in %(max)s characters or fewer"
            )
            % {"max": RULE_ID_LENGTH},
        )
    if language not in LANGUAGES:
        refuse("language", _("Choose the language of the text the rule checks"))
    elif rule_id:
        clash = PartnershipRule.objects.filter(
            partnership=partnership, language=language, rule_id=rule_id
        )
        if rule is not None:
            clash = clash.exclude(pk=rule.pk)
        if clash.exists():
            refuse(
                "rule_id",
                _("The partnership already has a rule “%(id)s”: choose another id")
                % {"id": rule_id},
            )
    if category not in Category.values:
        refuse("category", _("Choose the kind of wording the rule finds"))
    if applies_to not in AppliesTo.values:
        refuse("applies_to", _("Choose who the rule is about"))
    if severity not in Severity.values:
        refuse("severity", _("Choose how strongly to flag the wording"))
    if not phrase_list:
        refuse("phrases", _("Enter at least one phrase to find, one on each line"))
    for field, items, limit in (
        ("phrases", phrase_list, PHRASE_LENGTH),
        ("exceptions", except_list, PHRASE_LENGTH),
        ("suggestions", suggestion_list, MAX_SUGGESTION),
    ):
        for item in items:
            if len(item) > limit:
                refuse(
                    field,
                    _("Shorten “%(item)s…” to %(max)s characters or fewer")
                    % {"item": item[:30], "max": limit},
                )
    if len(explanation) < MIN_EXPLANATION:
        refuse("explanation", _("Say why this wording can harm, in a sentence or two"))
    elif len(explanation) > MAX_EXPLANATION:
        refuse(
            "explanation",
            _("Say why in %(max)s characters or fewer") % {"max": MAX_EXPLANATION},
        )
    if not suggestion_list:
        refuse(
            "suggestions",
            _("Enter at least one thing to write instead, one on each line"),
        )
    if len(source) > MAX_SOURCE:
        refuse("source", _("Name the source in %(max)s characters or fewer") % {"max": MAX_SOURCE})
    values = {
        "rule_id": rule_id,
        "language": language,
        "category": category,
        "applies_to": applies_to,
        "severity": severity,
        "phrases": phrase_list,
        "exceptions": except_list,
        "explanation": explanation,
        "suggestions": suggestion_list,
        "source": source,
    }
    if not errors:
        try:
            rules_from_data(
                [PartnershipRule(**values).as_rule_data()],
                language=language,
                source_title=_own_source_title(partnership),
            )
        except RuleFileError as exc:
            errors = _engine_errors(exc)
    if errors:
        raise ValidationError(errors)
    return values


def _audit(action: str, obj: Any, by: User, fields: Iterable[str], via: str) -> None:
    audit_change(
        actor=by,
        action=action,
        obj=obj,
        partnership=obj.partnership,
        changed_fields=fields,
        via=via,
    )


@transaction.atomic
def partnership_rule_create(
    *, partnership: Partnership, by: User, via: str = "web", **fields: Any
) -> PartnershipRule:
    """Add a rule of the partnership's own (``fields``: those of RULE_FIELDS)."""
    values = _clean_rule(partnership=partnership, **fields)
    rule = PartnershipRule.objects.create(
        partnership=partnership, created_by=by, updated_by=by, **values
    )
    _renew_stamp(partnership)
    _audit(AuditAction.CREATE, rule, by, RULE_FIELDS, via)
    return rule


@transaction.atomic
def partnership_rule_update(
    *, rule: PartnershipRule, by: User, via: str = "web", **fields: Any
) -> PartnershipRule:
    values = _clean_rule(partnership=rule.partnership, rule=rule, **fields)
    changed = [name for name, value in values.items() if getattr(rule, name) != value]
    for name, value in values.items():
        setattr(rule, name, value)
    rule.updated_by = by
    rule.save()
    _renew_stamp(rule.partnership)
    _audit(AuditAction.UPDATE, rule, by, changed, via)
    return rule


@transaction.atomic
def partnership_rule_delete(*, rule: PartnershipRule, by: User, via: str = "web") -> None:
    _audit(AuditAction.DELETE, rule, by, (), via)
    partnership = rule.partnership
    rule.delete()
    _renew_stamp(partnership)


# --- Silencing TIP's rules ---------------------------------------------------------------------


@transaction.atomic
def shipped_rule_silence(
    *,
    partnership: Partnership,
    by: User,
    rule_id: Any,
    language: Any,
    reason: Any,
    via: str = "web",
) -> SilencedRule:
    """Stop one of TIP's rules flagging anything in the partnership, giving the reason."""
    errors: dict[str, str] = {}
    rule_id = str(rule_id or "").strip()
    language = str(language or "")
    reason = " ".join(str(reason or "").split())
    if language not in LANGUAGES:
        errors["language"] = _("Choose the language of the rule")
    elif rule_id not in selectors.shipped_rule_ids(language):
        errors["rule_id"] = _("Choose one of TIP's rules")
    elif SilencedRule.objects.filter(
        partnership=partnership, language=language, rule_id=rule_id
    ).exists():
        errors["rule_id"] = _("The rule “%(id)s” is already silenced") % {"id": rule_id}
    if not reason:
        errors["reason"] = _("Say why the partnership does not want this rule")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("Say why in %(max)s characters or fewer") % {"max": MAX_REASON}
    if errors:
        raise ValidationError(errors)
    silenced = SilencedRule.objects.create(
        partnership=partnership, rule_id=rule_id, language=language, reason=reason, silenced_by=by
    )
    _renew_stamp(partnership)
    _audit(AuditAction.CREATE, silenced, by, ["rule_id", "language", "reason"], via)
    return silenced


@transaction.atomic
def shipped_rule_restore(*, silenced: SilencedRule, by: User, via: str = "web") -> None:
    """Flag with the TIP rule again."""
    _audit(AuditAction.DELETE, silenced, by, (), via)
    partnership = silenced.partnership
    silenced.delete()
    _renew_stamp(partnership)


# --- Allowed phrases ---------------------------------------------------------------------------


@transaction.atomic
def phrase_allow(
    *, partnership: Partnership, by: User, phrase: Any, language: Any, via: str = "web"
) -> AllowedPhrase:
    """Never flag words this phrase matches (written as a rule's phrase is)."""
    errors: dict[str, str] = {}
    phrase = " ".join(str(phrase or "").split())
    language = str(language or "")
    if language not in LANGUAGES:
        errors["language"] = _("Choose the language of the phrase")
    if not phrase:
        errors["phrase"] = _("Enter the words never to flag")
    elif len(phrase) > PHRASE_LENGTH:
        errors["phrase"] = _("Enter %(max)s characters or fewer") % {"max": PHRASE_LENGTH}
    elif language in LANGUAGES:
        try:
            parse_phrase(phrase, language)
        except PhraseError as exc:
            errors["phrase"] = _("Check the phrase: %(problem)s") % {"problem": exc}
        else:
            if AllowedPhrase.objects.filter(
                partnership=partnership, language=language, phrase__iexact=phrase
            ).exists():
                errors["phrase"] = _("“%(phrase)s” is already allowed") % {"phrase": phrase}
    if errors:
        raise ValidationError(errors)
    allowed = AllowedPhrase.objects.create(
        partnership=partnership, phrase=phrase, language=language, added_by=by
    )
    _renew_stamp(partnership)
    _audit(AuditAction.CREATE, allowed, by, ["phrase", "language"], via)
    return allowed


@transaction.atomic
def phrase_disallow(*, allowed: AllowedPhrase, by: User, via: str = "web") -> None:
    _audit(AuditAction.DELETE, allowed, by, (), via)
    partnership = allowed.partnership
    allowed.delete()
    _renew_stamp(partnership)


# --- "Not relevant here" -----------------------------------------------------------------------


def known_rule(partnership: Partnership, language: str, rule_id: str) -> bool:
    """One of TIP's rules for the language, or one of the partnership's own."""
    return (
        rule_id in selectors.shipped_rule_ids(language)
        or selectors.partnership_rules(partnership, language).filter(rule_id=rule_id).exists()
    )


@transaction.atomic
def feedback_record(
    *,
    partnership: Partnership,
    by: User,
    rule: Any,
    where: Any,
    language: Any = "en",
    on: datetime.date | None = None,
    via: str = "web",
) -> Feedback:
    """Count one "not relevant here" for ``rule`` on the page or form ``where`` (its URL name).
    Stores no text and not who it was; the audit log records who."""
    errors: dict[str, str] = {}
    rule_id = str(rule or "").strip()
    where = str(where or "").strip()
    language = str(language or "")
    if language not in LANGUAGES:
        errors["language"] = _("Choose the language of the text: en or cy")
    elif not rule_id or not known_rule(partnership, language, rule_id):
        errors["rule"] = _("There is no language rule “%(id)s”") % {"id": rule_id[:RULE_ID_LENGTH]}
    if not where or len(where) > WHERE_LENGTH or not WHERE.match(where):
        errors["where"] = _(
            "Name the page or form by its address's name, like “training:session-create”"
        )
    if errors:
        raise ValidationError(errors)
    feedback = Feedback.objects.create(
        partnership=partnership,
        rule_id=rule_id,
        language=language,
        where=where,
        recorded_on=on or timezone.localdate(),
    )
    _audit(AuditAction.CREATE, feedback, by, ["rule_id", "language", "where"], via)
    return feedback


# The name the hints on other apps' forms know it by.
record_feedback = feedback_record
