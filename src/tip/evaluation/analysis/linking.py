"""Linking anonymous answers over time with a self-generated identification code (SGIC).

Plain Python, no Django. ``tip.evaluation.codes`` hashes the elements with a secret key;
docs/evaluation-linking.md says what people are asked and what TIP keeps.

People who answer anonymously are asked a few questions about stable facts only they can easily
recall. Their answers, each reduced to a canonical form (``normalise_code``) and then hashed one
by one, make a code that is the same at every wave of an evaluation. Matching element by element
rather than on the whole code lets a link survive one mistyped or misremembered answer, which
longitudinal research with such codes finds common (DiIorio et al. 2000; Yurek et al. 2008;
Schnell et al. 2010).

The elements (``ELEMENTS``, in this order; changing them, their order or their normalisation
breaks every link already possible, so add a new scheme instead) were chosen to be:

* stable over years: facts about birth and family, not address, job, phone or appearance;
* recallable without looking anything up, with an "I don't know" for anyone who cannot;
* not directly identifying: single letters and small numbers, never a name or a full date;
* varied enough between people: the day and month of birth carry most of the information, the
  letters and the number of older siblings the rest.

Normalisation:

* letters: spaces and punctuation dropped, accents removed ("É" is "e", "ŵ" is "w"), case
  folded; one letter, or a Welsh double letter (ch, dd, ff, ng, ll, ph, rh, th), read as its
  first letter, or its last for the element asking for a last letter (so "Ll" is "l");
* numbers: a whole number in range, leading zeros ignored ("07" is 7), with an ordinal ending
  allowed ("7th", "7fed"); months by number or by name in English or Welsh.

``None`` or ``DONT_KNOW`` is "I don't know": the element is blank and never matches. An empty or
unreadable answer is refused (``InvalidCode``, naming every such element at once). The messages
never repeat what was typed, so they can be logged without leaking an answer.

``link`` links each code of a later wave to at most one code of an earlier wave, allowing up to
``max_mismatches`` differing elements (blanks count as differing), and refuses ties.
``link_waves`` does it wave after wave and returns one chain per person.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

# An element's answer after normalisation, or None for "I don't know".
Part = str | None
# The normalised answers, one per element of ELEMENTS in order. Clear values: never stored.
NormalisedCode = tuple[Part, ...]
# The keyed hash of each normalised answer (hex), or None where the person did not know.
CodeHashes = tuple[str | None, ...]

# The answer meaning "I don't know" (None is read the same way).
DONT_KNOW = "dont_know"
DEFAULT_MAX_MISMATCHES = 1


class ElementKind(StrEnum):
    LETTER = "letter"
    NUMBER = "number"


@dataclass(frozen=True)
class CodeElement:
    """One question of the code. ``label`` (English) names it in messages; the questions people
    see, in English and Welsh, are in ``tip/evaluation/data/linking_code.yaml``."""

    id: str
    label: str
    kind: ElementKind
    # Letters: which letter of a Welsh double letter counts ("last" for a name's last letter).
    last_letter: bool = False
    # Numbers: the range allowed, and names accepted for a number (months).
    minimum: int = 0
    maximum: int = 0
    names: tuple[tuple[str, int], ...] = ()


_MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS_CY = [
    "ionawr",
    "chwefror",
    "mawrth",
    "ebrill",
    "mai",
    "mehefin",
    "gorffennaf",
    "awst",
    "medi",
    "hydref",
    "tachwedd",
    "rhagfyr",
]
MONTH_NAMES = tuple(
    sorted(
        {
            (name, number)
            for names in (_MONTHS_EN, _MONTHS_CY, [m[:3] for m in _MONTHS_EN])
            for number, name in enumerate(names, start=1)
        }
    )
)

ELEMENTS: tuple[CodeElement, ...] = (
    CodeElement("parent_initial", "first letter of your mother's first name", ElementKind.LETTER),
    CodeElement(
        "older_siblings",
        "number of older brothers and sisters",
        ElementKind.NUMBER,
        minimum=0,
        maximum=20,
    ),
    CodeElement(
        "birth_day",
        "day of the month you were born",
        ElementKind.NUMBER,
        minimum=1,
        maximum=31,
    ),
    CodeElement(
        "birth_month",
        "month you were born",
        ElementKind.NUMBER,
        minimum=1,
        maximum=12,
        names=MONTH_NAMES,
    ),
    CodeElement(
        "birthplace_initial",
        "first letter of the town or village you were born in",
        ElementKind.LETTER,
    ),
    CodeElement(
        "first_name_last_letter",
        "last letter of your first name",
        ElementKind.LETTER,
        last_letter=True,
    ),
)
ELEMENT_IDS = tuple(element.id for element in ELEMENTS)

WELSH_DOUBLE_LETTERS = frozenset({"ch", "dd", "ff", "ng", "ll", "ph", "rh", "th"})
# Abbreviated ordinals, English (1st, 2nd, 3rd, 4th) and Welsh (1af, 2il, 3ydd, 5ed, 7fed, 11eg).
_ORDINAL_ENDINGS = ("st", "nd", "rd", "th", "af", "il", "ydd", "fed", "ed", "eg", "ain")


class ProblemCode(StrEnum):
    EMPTY = "empty"
    NOT_A_LETTER = "not_a_letter"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    NOT_TEXT = "not_text"
    UNKNOWN_ELEMENT = "unknown_element"


@dataclass(frozen=True)
class CodeProblem:
    """What is wrong with one element's answer. ``message`` (English) names the element and never
    repeats the answer."""

    element: str
    code: ProblemCode
    message: str


class InvalidCode(ValueError):
    """Some answers to the code's questions cannot be used; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[CodeProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))

    @property
    def elements(self) -> tuple[str, ...]:
        return tuple(problem.element for problem in self.problems)


class _Refused(ValueError):
    def __init__(self, code: ProblemCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normalise_part(element: CodeElement, raw: object) -> Part:
    """One answer in its canonical form, None for "I don't know"; raises ``InvalidCode``."""
    try:
        return _normalise(element, raw)
    except _Refused as exc:
        raise InvalidCode([CodeProblem(element.id, exc.code, exc.message)]) from None


def normalise_code(answers: Mapping[str, object]) -> NormalisedCode:
    """The answers (element id to what was typed or chosen) in canonical form, in the order of
    ``ELEMENTS``. Raises ``InvalidCode`` listing every element that is missing, empty or cannot
    be read, and every answer to a question the code does not have."""
    problems: list[CodeProblem] = []
    parts: list[Part] = []
    for element in ELEMENTS:
        try:
            if element.id not in answers:
                raise _Refused(ProblemCode.EMPTY, _empty_message(element))
            parts.append(_normalise(element, answers[element.id]))
        except _Refused as exc:
            problems.append(CodeProblem(element.id, exc.code, exc.message))
    for name in answers:
        if name not in ELEMENT_IDS:
            message = f"“{name}” is not one of the code's questions ({', '.join(ELEMENT_IDS)})."
            problems.append(CodeProblem(str(name), ProblemCode.UNKNOWN_ELEMENT, message))
    if problems:
        raise InvalidCode(problems)
    return tuple(parts)


def _empty_message(element: CodeElement) -> str:
    return f"{_capital(element.label)}: answer it, or choose “I don't know”."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _normalise(element: CodeElement, raw: object) -> Part:
    if raw is None or raw == DONT_KNOW:
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise _Refused(ProblemCode.NOT_TEXT, f"{_capital(element.label)}: enter it as text.")
    text = str(raw)
    if not text.strip():
        raise _Refused(ProblemCode.EMPTY, _empty_message(element))
    if element.kind == ElementKind.LETTER:
        return _letter(element, text)
    return _number(element, text)


def _letter(element: CodeElement, text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        char
        for char in decomposed
        # Accents (combining marks), spaces and punctuation are not part of the letter.
        if not unicodedata.combining(char)
        and not char.isspace()
        and unicodedata.category(char)[0] != "P"
    ).casefold()
    if len(kept) == 1 and kept.isalpha():
        return kept
    if kept in WELSH_DOUBLE_LETTERS:
        return kept[-1] if element.last_letter else kept[0]
    raise _Refused(ProblemCode.NOT_A_LETTER, f"{_capital(element.label)}: enter one letter.")


def _number(element: CodeElement, text: str) -> str:
    cleaned = unicodedata.normalize("NFKC", text).strip().casefold()
    for name, number in element.names:
        if cleaned == name:
            return str(number)
    digits = cleaned
    for ending in _ORDINAL_ENDINGS:
        if digits.endswith(ending) and digits[: -len(ending)].strip().isdecimal():
            digits = digits[: -len(ending)].strip()
            break
    span = f"from {element.minimum} to {element.maximum}"
    if not digits.isdecimal():
        kind = "a month, as a number " if element.names else "a whole number "
        raise _Refused(ProblemCode.NOT_A_NUMBER, f"{_capital(element.label)}: enter {kind}{span}.")
    value = int(digits)
    if not element.minimum <= value <= element.maximum:
        raise _Refused(
            ProblemCode.OUT_OF_RANGE, f"{_capital(element.label)}: enter a number {span}."
        )
    return str(value)


# Linking ----------------------------------------------------------------------------------------

A = TypeVar("A", bound=Hashable)
B = TypeVar("B", bound=Hashable)
K = TypeVar("K", bound=Hashable)

Code = Sequence[str | None]


def mismatches(first: Code, second: Code) -> int:
    """How many elements differ; an element either person did not know always differs."""
    return sum(1 for x, y in zip(first, second, strict=True) if x is None or y is None or x != y)


@dataclass(frozen=True)
class LinkReport:
    """How well one wave linked onto an earlier one.

    ``linked + ambiguous + unlinked == later``. ``unlinkable`` (part of ``unlinked``) counts the
    later codes with more blank elements than ``max_mismatches``, which no code could match.
    ``by_mismatches[n]`` is how many links have ``n`` differing elements.
    """

    earlier: int
    later: int
    linked: int
    ambiguous: int
    unlinked: int
    unlinkable: int
    by_mismatches: tuple[int, ...]
    max_mismatches: int

    @property
    def link_rate(self) -> float | None:
        """Linked later codes as a share of all later codes (0 to 1); None with none."""
        return self.linked / self.later if self.later else None


@dataclass(frozen=True)
class Link(Generic[A]):
    earlier: A
    mismatches: int


@dataclass(frozen=True)
class LinkResult(Generic[A, B]):
    """``links``: each linked later id to its earlier id and the number of differing elements.
    ``ambiguous``: later ids refused because two earlier codes were equally close, or because
    another later code was as close to the same earlier one. ``unlinked``: later ids with no
    earlier code close enough, or whose closest was taken by a closer later code."""

    links: Mapping[B, Link[A]]
    ambiguous: frozenset[B]
    unlinked: frozenset[B]
    report: LinkReport


def link(
    earlier: Mapping[A, Code],
    later: Mapping[B, Code],
    *,
    max_mismatches: int = DEFAULT_MAX_MISMATCHES,
) -> LinkResult[A, B]:
    """Links each later code to at most one earlier code, one to one.

    A later code's candidates are the earlier codes with at most ``max_mismatches`` differing
    elements; it claims the closest. It is refused (ambiguous) when two or more candidates are
    equally closest. An earlier code claimed by several later codes goes to the strictly closest;
    when the closest are equally close, all of them are refused (ambiguous), and the others stay
    unlinked. Nothing is guessed: a refused code is never linked to its second choice.
    """
    if isinstance(max_mismatches, bool) or not isinstance(max_mismatches, int):
        raise TypeError("max_mismatches must be a whole number")
    if max_mismatches < 0:
        raise ValueError("max_mismatches must be 0 or more")
    width = _width([*earlier.values(), *later.values()])
    if width and max_mismatches >= width:
        # Otherwise two codes agreeing on nothing at all would link.
        raise ValueError(f"max_mismatches must be fewer than the code's {width} elements")

    candidates_of = _candidates(earlier, width, max_mismatches)
    ambiguous: set[B] = set()
    unlinked: set[B] = set()
    claims: dict[A, list[tuple[int, B]]] = defaultdict(list)
    for b_id, b_code in later.items():
        scored = [(mismatches(earlier[a_id], b_code), a_id) for a_id in candidates_of(b_code)]
        scored = [(n, a_id) for n, a_id in scored if n <= max_mismatches]
        if not scored:
            unlinked.add(b_id)
            continue
        best = min(n for n, _ in scored)
        closest = [a_id for n, a_id in scored if n == best]
        if len(closest) > 1:
            ambiguous.add(b_id)
        else:
            claims[closest[0]].append((best, b_id))

    links: dict[B, Link[A]] = {}
    for a_id, claimants in claims.items():
        best = min(n for n, _ in claimants)
        nearest = [b_id for n, b_id in claimants if n == best]
        if len(nearest) > 1:
            ambiguous.update(nearest)
        else:
            links[nearest[0]] = Link(a_id, best)
        unlinked.update(b_id for n, b_id in claimants if n != best)

    by_mismatches = [0] * (max_mismatches + 1)
    for found in links.values():
        by_mismatches[found.mismatches] += 1
    report = LinkReport(
        earlier=len(earlier),
        later=len(later),
        linked=len(links),
        ambiguous=len(ambiguous),
        unlinked=len(unlinked),
        unlinkable=sum(
            1 for code in later.values() if sum(p is None for p in code) > max_mismatches
        ),
        by_mismatches=tuple(by_mismatches),
        max_mismatches=max_mismatches,
    )
    return LinkResult(links, frozenset(ambiguous), frozenset(unlinked), report)


def _width(codes: Iterable[Code]) -> int:
    widths = {len(code) for code in codes}
    if 0 in widths:
        raise ValueError("a code has at least one element")
    if len(widths) > 1:
        raise ValueError(f"every code must have the same number of elements, not {sorted(widths)}")
    return widths.pop() if widths else 0


def _candidates(
    earlier: Mapping[A, Code], width: int, max_mismatches: int
) -> Callable[[Code], Sequence[A]]:
    """A function giving the earlier ids that may be within ``max_mismatches`` of a code.

    Split the elements into ``max_mismatches + 1`` groups: two codes with at most
    ``max_mismatches`` differing elements agree exactly, with nothing blank, on at least one
    group. Indexing the earlier codes by each group finds every candidate without comparing
    every pair (which a wave of thousands would make slow).
    """
    groups = max_mismatches + 1  # at most width: link() refuses more
    positions = [tuple(range(g, width, groups)) for g in range(groups)]
    index: dict[tuple[int, tuple[str | None, ...]], list[A]] = defaultdict(list)
    for a_id, code in earlier.items():
        for g, where in enumerate(positions):
            key = tuple(code[i] for i in where)
            if None not in key:
                index[(g, key)].append(a_id)

    def find(code: Code) -> tuple[A, ...]:
        found: dict[A, None] = {}
        for g, where in enumerate(positions):
            key = tuple(code[i] for i in where)
            if None not in key:
                found.update(dict.fromkeys(index.get((g, key), ())))
        return tuple(found)

    return find


# Several waves ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveChains(Generic[K]):
    """One chain per person: their code's id at each wave, None where they did not answer (or
    their code could not be linked, in which case it starts a chain of its own).

    ``reports[i]`` and ``ambiguous[i]`` are for wave ``i + 1`` linked onto the people seen at
    the waves before it.
    """

    chains: tuple[tuple[K | None, ...], ...]
    reports: tuple[LinkReport, ...]
    ambiguous: tuple[frozenset[K], ...]

    def complete(self) -> tuple[tuple[K, ...], ...]:
        """The chains with a code at every wave."""
        return tuple(
            tuple(i for i in chain if i is not None) for chain in self.chains if None not in chain
        )


def link_waves(
    waves: Sequence[Mapping[K, Code]], *, max_mismatches: int = DEFAULT_MAX_MISMATCHES
) -> WaveChains[K]:
    """Links waves in order (baseline, then after training, then six months on).

    Each wave is linked onto every person seen so far, by the code they gave most recently, so
    someone who missed a wave can still be linked at the next. A code that links nowhere
    (including a refused, ambiguous one) starts a new chain.
    """
    _width(code for wave in waves for code in wave.values())
    chains: list[list[K | None]] = []
    latest: dict[int, Code] = {}
    reports: list[LinkReport] = []
    ambiguous: list[frozenset[K]] = []
    for number, wave in enumerate(waves):
        if number == 0:
            result_links: Mapping[K, Link[int]] = {}
        else:
            result = link(latest, wave, max_mismatches=max_mismatches)
            result_links = result.links
            reports.append(result.report)
            ambiguous.append(result.ambiguous)
        for chain in chains:
            chain.append(None)
        for code_id, code in wave.items():
            found = result_links.get(code_id)
            if found is None:
                chains.append([None] * number + [code_id])
                person = len(chains) - 1
            else:
                person = found.earlier
                chains[person][number] = code_id
            latest[person] = code
    return WaveChains(
        chains=tuple(tuple(chain) for chain in chains),
        reports=tuple(reports),
        ambiguous=tuple(ambiguous),
    )
