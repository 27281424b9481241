"""What an evaluation instrument is, as plain frozen values: its text in English and Welsh, its
response scales, items, sections, subscales and total.

``tip.evaluation.instruments`` builds these from a checked file; scoring and answer checks
(``tip.evaluation.analysis.scoring``) read them. No Django import, so both can be used and
tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ScaleType(StrEnum):
    LIKERT = "likert"
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"
    FREE_TEXT = "free_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"


class Method(StrEnum):
    MEAN = "mean"
    SUM = "sum"


class Respondent(StrEnum):
    SELF = "self"  # people answer about themselves
    OBSERVER = "observer"  # someone records what they observed


class DontKnow(StrEnum):
    """How a "don't know" answer to a knowledge item is scored."""

    INCORRECT = "incorrect"
    MISSING = "missing"


# The stored form of the answers that are words rather than numbers or choices.
TRUE = "true"
FALSE = "false"
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"

ENGLISH = "en"
WELSH = "cy"
LANGUAGES = (ENGLISH, WELSH)

# The 4 Rs of trauma-informed practice (the guidance's "Intervention summary"): what an item can
# say it covers, besides the training topics.
FOUR_RS = ("realise", "recognise", "respond", "resist_retraumatisation")

# A free-text answer's limit when the scale does not set one.
DEFAULT_MAX_LENGTH = 2000


def is_welsh(language: str) -> bool:
    return language.lower().replace("_", "-").split("-")[0] == WELSH


@dataclass(frozen=True)
class Text:
    """Words in English and Welsh."""

    en: str
    cy: str

    def in_language(self, language: str) -> str:
        """The Welsh for "cy" (or "cy-gb"); otherwise the English."""
        return self.cy if is_welsh(language) and self.cy else self.en


@dataclass(frozen=True)
class Point:
    """One point of a Likert scale: the number stored and the words shown."""

    value: int
    label: Text


@dataclass(frozen=True)
class Option:
    """One answer of a single- or multiple-choice question."""

    value: str
    label: Text


@dataclass(frozen=True)
class Scale:
    """How a question is answered. Which fields matter depends on ``type``:

    likert           ``points`` (ordered by value); optional ``not_applicable``
    true_false       ``true_label``, ``false_label``, ``dont_know_label``, ``dont_know``
    numeric          optional ``minimum``, ``maximum``, ``whole_number``, ``unit``,
                     ``not_applicable``
    free_text        ``max_length``
    single_choice    ``options``; optional ``not_applicable``
    multiple_choice  ``options``; optional ``max_selected``
    """

    id: str
    type: ScaleType
    points: tuple[Point, ...] = ()
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    whole_number: bool = False
    unit: Text | None = None
    max_length: int = DEFAULT_MAX_LENGTH
    max_selected: int | None = None
    not_applicable: Text | None = None
    true_label: Text | None = None
    false_label: Text | None = None
    dont_know_label: Text | None = None
    dont_know: DontKnow = DontKnow.INCORRECT

    @property
    def low(self) -> float | None:
        """The lowest possible score: a Likert scale's first point, a numeric scale's minimum."""
        if self.type == ScaleType.LIKERT:
            return float(self.points[0].value) if self.points else None
        if self.type == ScaleType.NUMERIC:
            return self.minimum
        return None

    @property
    def high(self) -> float | None:
        if self.type == ScaleType.LIKERT:
            return float(self.points[-1].value) if self.points else None
        if self.type == ScaleType.NUMERIC:
            return self.maximum
        return None

    @property
    def is_ordinal(self) -> bool:
        """Ordered with both ends known, so an item on it can be reverse-scored."""
        return self.type in (ScaleType.LIKERT, ScaleType.NUMERIC) and (
            self.low is not None and self.high is not None
        )

    @property
    def is_rating(self) -> bool:
        """Answered with a number that is the item's score (Likert or numeric)."""
        return self.type in (ScaleType.LIKERT, ScaleType.NUMERIC)

    @property
    def allows_not_applicable(self) -> bool:
        return self.not_applicable is not None


@dataclass(frozen=True)
class Anchor:
    """What a rating looks like for one item (for example on an observation form)."""

    value: int
    text: Text


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    scale: Scale
    hint: Text | None = None
    section: str | None = None
    required: bool = False
    reverse: bool = False
    answer_key: bool | None = None
    anchors: tuple[Anchor, ...] = ()
    covers: tuple[str, ...] = ()

    @property
    def is_knowledge(self) -> bool:
        """Scored correct or incorrect against its answer key."""
        return self.scale.type == ScaleType.TRUE_FALSE and self.answer_key is not None

    @property
    def is_scorable(self) -> bool:
        return self.scale.is_rating or self.is_knowledge


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    intro: Text | None = None


@dataclass(frozen=True)
class Subscale:
    """A score made from some of the items: their mean or their sum, or no score (None) when
    fewer than ``min_answered`` of them were answered. The instrument's total is one too, with
    the id ``total``."""

    id: str
    title: Text
    item_ids: tuple[str, ...]
    method: Method
    min_answered: int


TOTAL = "total"


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    languages: tuple[str, ...]
    title: Text
    description: Text
    respondent: Respondent
    licence: str
    source: Text
    validated: bool
    validation_note: Text
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    instructions: Text | None = None
    sections: tuple[Section, ...] = ()
    subscales: tuple[Subscale, ...] = ()
    total: Subscale | None = None

    def item(self, item_id: str) -> Item:
        """The item with this id; KeyError when there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(scale_id)

    def subscale(self, subscale_id: str) -> Subscale:
        for subscale in self.subscales:
            if subscale.id == subscale_id:
                return subscale
        raise KeyError(subscale_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)
