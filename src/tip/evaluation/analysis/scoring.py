"""Checking one person's answers to an instrument, and scoring them. Plain Python, no Django.

Answers are a mapping of item id to raw value. ``clean_answer`` checks one against its item's
scale and returns the stored form (or raises ``AnswerError`` with a plain message):

* likert           one of the scale's point values (an int; "4" is read as 4)
* numeric          a number within the scale's minimum and maximum (a whole number if it says so)
* true_false       ``"true"``, ``"false"`` or ``"dont_know"`` (True and False are read too)
* single_choice    one option's value
* multiple_choice  a list of option values, none twice, at most ``max_selected``; returned as a
                   tuple in the options' order
* free_text        text within the scale's ``max_length``; returned without surrounding spaces

Nothing (None, empty text, an empty list) is a missing answer. ``"not_applicable"`` is accepted
where the scale offers it, and is scored as missing.

Scoring (``score``), for each subscale and the total:

* a rating item scores its value; a reverse-scored one scores ``low + high - value``, so on a 1
  to 5 scale 1 scores 5 and 4 scores 2;
* a knowledge item scores 1 when the answer matches its answer key and 0 when not; "don't know"
  scores 0, or is missing when the scale says ``dont_know: missing``;
* the score is the mean of the item scores, or their sum. When some items are missing, the sum is
  the mean times the number of items (so it stays comparable with people who answered all);
* when fewer than ``min_answered`` items have a score, there is no score (None).

Messages are English templates with ``%(name)s`` placeholders, kept as module constants so the
Django layer can translate them (pass ``gettext``); change their wording only together with the
Welsh catalogue.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .instrument_model import (
    DONT_KNOW,
    FALSE,
    NOT_APPLICABLE,
    TRUE,
    DontKnow,
    Instrument,
    Item,
    Method,
    ScaleType,
    Subscale,
    Text,
)

Translate = Callable[[str], str]
AnswerValue = int | float | str | tuple[str, ...]


def no_translation(message: str) -> str:
    return message


def gettext_noop(message: str) -> str:
    """Marks wording for translation (the Django layer's makemessages finds it by this name)
    without importing Django: the text is returned unchanged."""
    return message


NOT_ONE_OF = gettext_noop(
    "“%(value)s” is not one of the answers to this question. The answers are: %(choices)s."
)
NOT_APPLICABLE_REFUSED = gettext_noop(
    "“Not applicable” is not one of the answers to this question."
)
NOT_A_NUMBER = gettext_noop("Enter a number.")
NOT_WHOLE = gettext_noop("Enter a whole number.")
BETWEEN = gettext_noop("Enter a number between %(minimum)s and %(maximum)s.")
AT_LEAST = gettext_noop("Enter a number of at least %(minimum)s.")
AT_MOST = gettext_noop("Enter a number of no more than %(maximum)s.")
NOT_TEXT = gettext_noop("Enter the answer as text.")
TOO_LONG = gettext_noop(
    "The answer is %(length)s characters long; keep it to %(max_length)s characters or fewer."
)
CHOSEN_TWICE = gettext_noop("“%(value)s” is chosen more than once.")
TOO_MANY = gettext_noop("Choose no more than %(max_selected)s of the answers.")
REQUIRED = gettext_noop("Answer this question.")
UNKNOWN_ITEM = gettext_noop("There is no question “%(item)s” in this instrument.")

ANSWER_TEMPLATES = (
    NOT_ONE_OF,
    NOT_APPLICABLE_REFUSED,
    NOT_A_NUMBER,
    NOT_WHOLE,
    BETWEEN,
    AT_LEAST,
    AT_MOST,
    NOT_TEXT,
    TOO_LONG,
    CHOSEN_TWICE,
    TOO_MANY,
    REQUIRED,
    UNKNOWN_ITEM,
)


class AnswerError(ValueError):
    """An answer its item's scale does not accept. ``message`` says why, in plain words."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class InvalidAnswers(ValueError):
    """Some answers cannot be used: ``problems`` maps each item id to what is wrong."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.problems.items()))


# Checking answers -----------------------------------------------------------------------------


def clean_answer(
    item: Item, raw: object, *, translate: Translate = no_translation
) -> AnswerValue | None:
    """The answer in its stored form, None when there is none; raises ``AnswerError``."""
    if _blank(raw):
        return None
    scale = item.scale
    is_text = scale.type == ScaleType.FREE_TEXT
    if not is_text and isinstance(raw, str) and raw.strip() == NOT_APPLICABLE:
        if scale.allows_not_applicable:
            return NOT_APPLICABLE
        raise AnswerError(translate(NOT_APPLICABLE_REFUSED), "not_applicable")

    def refuse(template: str, code: str, **params: object) -> AnswerError:
        return AnswerError(translate(template) % params, code)

    def not_one_of(value: object, choices: list[str]) -> AnswerError:
        shown = value.strip() if isinstance(value, str) else value
        return refuse(NOT_ONE_OF, "invalid_choice", value=shown, choices=", ".join(choices))

    if scale.type == ScaleType.LIKERT:
        points = [p.value for p in scale.points]
        number = _number(raw)
        if number is None or not number.is_integer() or int(number) not in points:
            raise not_one_of(raw, [str(v) for v in points])
        return int(number)

    if scale.type == ScaleType.NUMERIC:
        number = _number(raw)
        if number is None:
            raise refuse(NOT_A_NUMBER, "not_a_number")
        if scale.whole_number and not number.is_integer():
            raise refuse(NOT_WHOLE, "not_whole")
        low, high = scale.minimum, scale.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            if low is None:
                raise refuse(AT_MOST, "out_of_range", maximum=_show(high))
            if high is None:
                raise refuse(AT_LEAST, "out_of_range", minimum=_show(low))
            raise refuse(BETWEEN, "out_of_range", minimum=_show(low), maximum=_show(high))
        return int(number) if number.is_integer() else number

    if scale.type == ScaleType.TRUE_FALSE:
        if raw is True:
            return TRUE
        if raw is False:
            return FALSE
        if isinstance(raw, str) and raw.strip().lower() in (TRUE, FALSE, DONT_KNOW):
            return raw.strip().lower()
        raise not_one_of(raw, [TRUE, FALSE, DONT_KNOW])

    if scale.type == ScaleType.SINGLE_CHOICE:
        values = [o.value for o in scale.options]
        if isinstance(raw, str) and raw.strip() in values:
            return raw.strip()
        raise not_one_of(raw, values)

    if scale.type == ScaleType.MULTIPLE_CHOICE:
        values = [o.value for o in scale.options]
        chosen = [raw] if isinstance(raw, str) else raw
        if not isinstance(chosen, list | tuple | set | frozenset):
            raise not_one_of(raw, values)
        seen: set[str] = set()
        for value in chosen:
            if not isinstance(value, str) or value.strip() not in values:
                raise not_one_of(value, values)
            if value.strip() in seen:
                raise refuse(CHOSEN_TWICE, "chosen_twice", value=value.strip())
            seen.add(value.strip())
        if scale.max_selected is not None and len(seen) > scale.max_selected:
            raise refuse(TOO_MANY, "too_many", max_selected=scale.max_selected)
        return tuple(v for v in values if v in seen)

    # free text
    if not isinstance(raw, str):
        raise refuse(NOT_TEXT, "not_text")
    text = raw.strip()
    if len(text) > scale.max_length:
        raise refuse(TOO_LONG, "too_long", length=len(text), max_length=scale.max_length)
    return text


def check_answers(
    instrument: Instrument,
    answers: Mapping[str, object],
    *,
    translate: Translate = no_translation,
    enforce_required: bool = True,
) -> dict[str, str]:
    """Every problem with a set of answers, by item id (empty when there are none): answers the
    scale does not accept, answers to questions the instrument does not have, and (unless
    ``enforce_required`` is False) required questions left unanswered."""
    problems: dict[str, str] = {}
    known = set(instrument.item_ids)
    for item_id in answers:
        if item_id not in known:
            problems[item_id] = translate(UNKNOWN_ITEM) % {"item": item_id}
    for item in instrument.items:
        try:
            value = clean_answer(item, answers.get(item.id), translate=translate)
        except AnswerError as exc:
            problems[item.id] = exc.message
            continue
        if value is None and item.required and enforce_required:
            problems[item.id] = translate(REQUIRED)
    return problems


def clean_answers(
    instrument: Instrument,
    answers: Mapping[str, object],
    *,
    translate: Translate = no_translation,
    enforce_required: bool = True,
) -> dict[str, AnswerValue]:
    """The answers in their stored form, leaving out the missing ones; raises
    ``InvalidAnswers`` listing every problem at once."""
    problems = check_answers(
        instrument, answers, translate=translate, enforce_required=enforce_required
    )
    if problems:
        raise InvalidAnswers(problems)
    cleaned: dict[str, AnswerValue] = {}
    for item in instrument.items:
        value = clean_answer(item, answers.get(item.id))
        if value is not None:
            cleaned[item.id] = value
    return cleaned


# Scoring --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscaleScore:
    id: str
    title: Text
    value: float | None  # None: fewer than min_answered items have a score
    answered: int  # items with a score
    item_count: int
    method: Method
    min_answered: int


@dataclass(frozen=True)
class Scores:
    instrument_id: str
    version: int
    subscales: tuple[SubscaleScore, ...]
    total: SubscaleScore | None

    def subscale(self, subscale_id: str) -> SubscaleScore:
        for found in self.subscales:
            if found.id == subscale_id:
                return found
        raise KeyError(subscale_id)

    def values(self) -> dict[str, float | None]:
        """Subscale id (and ``total``, when the instrument has one) -> score."""
        result = {s.id: s.value for s in self.subscales}
        if self.total is not None:
            result[self.total.id] = self.total.value
        return result


def item_score(item: Item, answer: AnswerValue | None) -> float | None:
    """One item's score from its cleaned answer; None when missing or not scored."""
    if answer is None or answer == NOT_APPLICABLE:
        return None
    scale = item.scale
    if scale.is_rating and isinstance(answer, int | float):
        if item.reverse and scale.low is not None and scale.high is not None:
            return scale.low + scale.high - answer
        return float(answer)
    if item.is_knowledge:
        if answer == DONT_KNOW:
            return None if scale.dont_know == DontKnow.MISSING else 0.0
        return 1.0 if (answer == TRUE) == item.answer_key else 0.0
    return None


def score_subscale(
    instrument: Instrument, subscale: Subscale, cleaned: Mapping[str, AnswerValue]
) -> SubscaleScore:
    """A subscale's score from cleaned answers (see ``clean_answers``)."""
    scores = [
        s
        for s in (item_score(instrument.item(i), cleaned.get(i)) for i in subscale.item_ids)
        if s is not None
    ]
    value: float | None = None
    if scores and len(scores) >= subscale.min_answered:
        mean = math.fsum(scores) / len(scores)
        if subscale.method == Method.MEAN:
            value = mean
        elif len(scores) == len(subscale.item_ids):
            value = math.fsum(scores)
        else:
            value = mean * len(subscale.item_ids)
    return SubscaleScore(
        id=subscale.id,
        title=subscale.title,
        value=value,
        answered=len(scores),
        item_count=len(subscale.item_ids),
        method=subscale.method,
        min_answered=subscale.min_answered,
    )


def score(instrument: Instrument, answers: Mapping[str, object]) -> Scores:
    """Every subscale's score and the total's, from one person's raw answers. Raises
    ``InvalidAnswers`` when any answer is not one the instrument accepts (required questions
    left unanswered are simply missing here)."""
    cleaned = clean_answers(instrument, answers, enforce_required=False)
    return Scores(
        instrument_id=instrument.id,
        version=instrument.version,
        subscales=tuple(score_subscale(instrument, s, cleaned) for s in instrument.subscales),
        total=(
            score_subscale(instrument, instrument.total, cleaned)
            if instrument.total is not None
            else None
        ),
    )


def _blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | tuple | set | frozenset) and not raw


def _number(raw: object) -> float | None:
    """A finite number from an int, float or text; None for anything else (including bools)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str):
        try:
            number = float(raw.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _show(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)
