"""Linking anonymous codes over time: reading the answers, linking two waves, chains of waves.

Pure: no Django, no database. Codes here are normalised answers rather than hashes; linking only
compares elements for equality, so it treats both alike (test_codes.py links hashed codes).
"""

from __future__ import annotations

import random
import string
from collections import defaultdict
from collections.abc import Mapping, Sequence

import pytest

from tip.evaluation.analysis.linking import (
    DONT_KNOW,
    ELEMENT_IDS,
    ELEMENTS,
    InvalidCode,
    Link,
    LinkResult,
    ProblemCode,
    link,
    link_waves,
    mismatches,
    normalise_code,
)

Code = tuple[str | None, ...]

ANSWERS = {
    "parent_initial": "M",
    "older_siblings": "2",
    "birth_day": "7",
    "birth_month": "3",
    "birthplace_initial": "C",
    "first_name_last_letter": "N",
}


def answers(**changes: str | None) -> dict[str, str | None]:
    return {**ANSWERS, **changes}


def code(text: str) -> Code:
    """A code from six characters, one per element; "?" is "I don't know"."""
    assert len(text) == len(ELEMENTS)
    return tuple(None if c == "?" else c for c in text)


# Reading the answers ----------------------------------------------------------------------------


def test_answers_are_read_in_the_elements_order() -> None:
    assert normalise_code(ANSWERS) == ("m", "2", "7", "3", "c", "n")
    assert tuple(ANSWERS) == ELEMENT_IDS


@pytest.mark.parametrize(
    ("element", "variants"),
    [
        ("parent_initial", ["M", "m", " m ", "M.", "\tM\n"]),
        ("parent_initial", ["É", "é", "e", "E", "Ê"]),
        ("birthplace_initial", ["Ŵ", "w", "ŵ"]),
        ("parent_initial", ["Ll", "LL", "ll", "l"]),  # Llinos: the Welsh double letter or L
        ("first_name_last_letter", ["dd", "D", "d"]),  # Gruffydd
        ("first_name_last_letter", ["ch", "h"]),  # last letter of a double letter
        ("older_siblings", ["0", "00", " 0 "]),
        ("birth_day", ["7", "07", " 07 ", "7th", "7fed", "０７"]),
        ("birth_day", ["21", "21st", "21ain"]),
        ("birth_month", ["3", "03", "March", "march", "MAR", "Mawrth", " mawrth "]),
        ("birth_month", ["5", "May", "Mai"]),
    ],
)
def test_variants_of_one_answer_read_the_same(element: str, variants: list[str]) -> None:
    position = ELEMENT_IDS.index(element)
    read = {normalise_code(answers(**{element: v}))[position] for v in variants}
    assert len(read) == 1, read


def test_different_answers_read_differently() -> None:
    assert normalise_code(answers(parent_initial="M")) != normalise_code(
        answers(parent_initial="N")
    )
    # Only the double letters of Welsh are read as one letter; "mr" is not a letter.
    with pytest.raises(InvalidCode):
        normalise_code(answers(parent_initial="mr"))


@pytest.mark.parametrize("dont_know", [None, DONT_KNOW])
def test_i_dont_know_leaves_the_element_blank(dont_know: str | None) -> None:
    read = normalise_code(answers(birth_day=dont_know, parent_initial=dont_know))
    assert read == (None, "2", None, "3", "c", "n")


def test_every_problem_is_reported_at_once_naming_its_element() -> None:
    given: dict[str, str | None] = {
        "parent_initial": "Xylophone",
        "older_siblings": "-1",
        "birth_day": "32",
        "birth_month": "Smarch",
        "birthplace_initial": "   ",
        # first_name_last_letter is missing
        "favourite_colour": "Teal",
    }
    with pytest.raises(InvalidCode) as caught:
        normalise_code(given)
    problems = {p.element: p for p in caught.value.problems}
    assert set(problems) == {*ELEMENT_IDS, "favourite_colour"}
    assert problems["parent_initial"].code == ProblemCode.NOT_A_LETTER
    assert problems["older_siblings"].code == ProblemCode.NOT_A_NUMBER
    assert problems["birth_day"].code == ProblemCode.OUT_OF_RANGE
    assert problems["birth_month"].code == ProblemCode.NOT_A_NUMBER
    assert problems["birthplace_initial"].code == ProblemCode.EMPTY
    assert problems["first_name_last_letter"].code == ProblemCode.EMPTY
    assert problems["favourite_colour"].code == ProblemCode.UNKNOWN_ELEMENT
    assert problems["parent_initial"].message == (
        "First letter of your mother's first name: enter one letter."
    )
    assert problems["birth_day"].message == (
        "Day of the month you were born: enter a number from 1 to 31."
    )
    assert problems["birthplace_initial"].message == (
        "First letter of the town or village you were born in: answer it, or choose “I don't know”."
    )
    # What was typed is never repeated, so the error can be logged safely.
    for typed in ("Xylophone", "-1", "32", "Smarch", "Teal"):
        assert typed not in str(caught.value)


@pytest.mark.parametrize(
    ("element", "value"),
    [
        ("birth_day", "0"),
        ("birth_month", "13"),
        ("older_siblings", "21"),
        ("birth_day", "7.0"),
        ("birth_day", "seven"),
        ("parent_initial", "1"),
        ("parent_initial", ""),
    ],
)
def test_answers_out_of_range_or_of_the_wrong_kind_are_refused(element: str, value: str) -> None:
    with pytest.raises(InvalidCode) as caught:
        normalise_code(answers(**{element: value}))
    assert caught.value.elements == (element,)


# Linking two waves ------------------------------------------------------------------------------


def test_one_mistyped_element_still_links() -> None:
    result = link({"a1": code("m273cn")}, {"b1": code("m273xn")})
    assert result.links == {"b1": Link("a1", 1)}
    assert not result.ambiguous and not result.unlinked


def test_two_mistyped_elements_link_only_when_two_are_allowed() -> None:
    earlier, later = {"a1": code("m273cn")}, {"b1": code("m283xn")}
    assert link(earlier, later).unlinked == {"b1"}
    assert link(earlier, later, max_mismatches=2).links == {"b1": Link("a1", 2)}
    assert link({"a1": code("m273cn")}, {"b1": code("m273cn")}, max_mismatches=0).links == {
        "b1": Link("a1", 0)
    }


def test_a_code_one_element_from_two_earlier_codes_is_refused_as_ambiguous() -> None:
    # a1 and a2 each differ from b1 in one element, a different one each: equally close.
    earlier = {"a1": code("x273cn"), "a2": code("m273cy")}
    result = link(earlier, {"b1": code("m273cn")})
    assert result.links == {}
    assert result.ambiguous == {"b1"}
    assert result.report.ambiguous == 1


def test_the_closest_candidate_wins_over_one_further_away() -> None:
    earlier = {"a1": code("m273cn"), "a2": code("m273cy")}
    assert link(earlier, {"b1": code("m273cn")}).links == {"b1": Link("a1", 0)}


def test_two_later_codes_claiming_one_earlier_code_equally_are_both_refused() -> None:
    result = link({"a1": code("m273cn")}, {"b1": code("x273cn"), "b2": code("m273cy")})
    assert result.links == {}
    assert result.ambiguous == {"b1", "b2"}


def test_a_later_code_closer_to_the_earlier_one_takes_it() -> None:
    result = link({"a1": code("m273cn")}, {"b1": code("m273cn"), "b2": code("m273cy")})
    assert result.links == {"b1": Link("a1", 0)}
    assert result.unlinked == {"b2"}
    assert not result.ambiguous


def test_blanks_never_match() -> None:
    # Blank where the other knows, or blank on both sides: a mismatch either way.
    assert mismatches(code("?273cn"), code("m273cn")) == 1
    assert mismatches(code("?273cn"), code("?273cn")) == 1
    assert link({"a1": code("?273cn")}, {"b1": code("?273cn")}).links == {"b1": Link("a1", 1)}
    result = link({"a1": code("??73cn")}, {"b1": code("??73cn")})
    assert result.unlinked == {"b1"}
    assert result.report.unlinkable == 1
    # Two identical codes of nothing but blanks never link, whatever is allowed.
    blank = code("??????")
    with pytest.raises(ValueError, match="fewer than"):
        link({"a1": blank}, {"b1": blank}, max_mismatches=6)
    assert link({"a1": blank}, {"b1": blank}, max_mismatches=5).unlinked == {"b1"}


def test_the_report_on_a_small_known_example() -> None:
    earlier = {
        "a1": code("m273cn"),
        "a2": code("j015sa"),
        "a3": code("r1129e"),  # a3 and a4 differ only in the last element
        "a4": code("r1129a"),
        "a5": code("t3309l"),
    }
    later = {
        "b1": code("m273cn"),  # a1, exactly
        "b2": code("j015sa"),  # a2, exactly
        "b3": code("t3308l"),  # a5, one element mistyped
        "b4": code("r1129?"),  # a3 or a4: ambiguous
        "b5": code("k4412p"),  # nobody
        "b6": code("??1?9e"),  # too many blanks to link
    }
    result = link(earlier, later)
    assert dict(result.links) == {"b1": Link("a1", 0), "b2": Link("a2", 0), "b3": Link("a5", 1)}
    assert result.ambiguous == {"b4"}
    assert result.unlinked == {"b5", "b6"}
    report = result.report
    assert (report.earlier, report.later) == (5, 6)
    assert (report.linked, report.ambiguous, report.unlinked, report.unlinkable) == (3, 1, 2, 1)
    assert report.link_rate == 0.5
    assert report.by_mismatches == (2, 1)
    assert report.max_mismatches == 1


def test_an_empty_later_wave_has_no_link_rate() -> None:
    result = link({"a1": code("m273cn")}, {})
    assert result.report.link_rate is None
    assert result.report.later == 0


def test_codes_of_different_lengths_and_bad_allowances_are_refused() -> None:
    with pytest.raises(ValueError, match="same number"):
        link({"a1": ("m", "2")}, {"b1": code("m273cn")})
    with pytest.raises(ValueError, match="0 or more"):
        link({"a1": code("m273cn")}, {"b1": code("m273cn")}, max_mismatches=-1)
    with pytest.raises(TypeError):
        link({"a1": code("m273cn")}, {"b1": code("m273cn")}, max_mismatches=True)


# Several waves ----------------------------------------------------------------------------------


def test_chains_across_three_waves() -> None:
    baseline = {"p1": code("m273cn"), "p2": code("j015sa"), "p3": code("r1129e")}
    post = {
        "q1": code("m273cn"),  # p1
        "q3": code("r1129x"),  # p3, one element mistyped
        "q4": code("k4412p"),  # someone new
    }
    six_months = {
        "s1": code("m273cx"),  # p1, mistyped this time
        "s2": code("j015sa"),  # p2, who missed the post-training wave
        "s3": code("r1129x"),  # p3, the same as at post
        "s5": code("z9999z"),  # someone new
    }
    result = link_waves([baseline, post, six_months])
    assert set(result.chains) == {
        ("p1", "q1", "s1"),
        ("p2", None, "s2"),
        ("p3", "q3", "s3"),
        (None, "q4", None),
        (None, None, "s5"),
    }
    assert set(result.complete()) == {("p1", "q1", "s1"), ("p3", "q3", "s3")}
    assert [r.linked for r in result.reports] == [2, 3]
    assert [r.link_rate for r in result.reports] == [2 / 3, 3 / 4]
    assert result.ambiguous == (frozenset(), frozenset())


def test_an_ambiguous_code_starts_a_chain_of_its_own() -> None:
    baseline = {"p1": code("x273cn"), "p2": code("m273cy")}
    result = link_waves([baseline, {"q1": code("m273cn")}])
    assert set(result.chains) == {("p1", None), ("p2", None), (None, "q1")}
    assert result.ambiguous == (frozenset({"q1"}),)
    assert link_waves([]).chains == ()


# Generated codes --------------------------------------------------------------------------------

LETTERS = string.ascii_lowercase


def random_code(rng: random.Random) -> Code:
    return (
        rng.choice(LETTERS),
        str(rng.choice([0, 0, 0, 1, 1, 2, 3, 4])),
        str(rng.randint(1, 31)),
        str(rng.randint(1, 12)),
        rng.choice(LETTERS),
        rng.choice(LETTERS),
    )


def test_exact_codes_always_link_one_to_one() -> None:
    rng = random.Random(20240605)
    for _ in range(5):
        codes = list(dict.fromkeys(random_code(rng) for _ in range(400)))  # no code twice
        earlier = {f"a{i}": c for i, c in enumerate(codes)}
        answered = rng.sample(range(len(codes)), k=300)
        later = {f"b{i}": codes[i] for i in answered}
        for allowed in (0, 1, 2):
            result = link(earlier, later, max_mismatches=allowed)
            assert result.links == {f"b{i}": Link(f"a{i}", 0) for i in answered}
            assert result.report.link_rate == 1.0


def reference_link(
    earlier: Mapping[str, Code], later: Mapping[str, Code], max_mismatches: int
) -> tuple[dict[str, Link[str]], set[str], set[str]]:
    """The linking rules written out plainly, comparing every pair."""
    claims: dict[str, list[tuple[int, str]]] = defaultdict(list)
    ambiguous: set[str] = set()
    unlinked: set[str] = set()
    for b, b_code in later.items():
        near = sorted((mismatches(a_code, b_code), a) for a, a_code in earlier.items())
        near = [(n, a) for n, a in near if n <= max_mismatches]
        if not near:
            unlinked.add(b)
        elif len(near) > 1 and near[0][0] == near[1][0]:
            ambiguous.add(b)
        else:
            n, a = near[0]
            claims[a].append((n, b))
    links: dict[str, Link[str]] = {}
    for a, claimants in claims.items():
        best = min(n for n, _ in claimants)
        tied = [b for n, b in claimants if n == best]
        if len(tied) > 1:
            ambiguous.update(tied)
        else:
            links[tied[0]] = Link(a, best)
        unlinked.update(b for n, b in claimants if n != best)
    return links, ambiguous, unlinked


def noisy(rng: random.Random, source: Code, alphabet: Sequence[Code]) -> Code:
    """The code with up to two elements mistyped (to another person's answer) or forgotten."""
    parts = list(source)
    for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
        i = rng.randrange(len(parts))
        parts[i] = None if rng.random() < 0.2 else rng.choice(alphabet)[i]
    return tuple(parts)


def test_linking_noisy_codes_keeps_its_promises() -> None:
    """On generated codes with typos, blanks and shared codes (a small range of answers makes
    near-collisions common): links are one to one, within the allowance, every later code is
    linked, ambiguous or unlinked, and the indexed search finds what comparing every pair does."""
    rng = random.Random(7)
    for allowed in (0, 1, 2):
        small = [(*random_code(rng)[:2], "1", "1", *random_code(rng)[4:]) for _ in range(60)]
        earlier = {f"a{i}": c for i, c in enumerate(small)}
        later = {f"b{i}": noisy(rng, rng.choice(small), small) for i in range(80)}
        result: LinkResult[str, str] = link(earlier, later, max_mismatches=allowed)

        assert len({found.earlier for found in result.links.values()}) == len(result.links)
        assert all(
            mismatches(earlier[f.earlier], later[b]) == f.mismatches <= allowed
            for b, f in result.links.items()
        )
        parts = [set(result.links), set(result.ambiguous), set(result.unlinked)]
        assert set().union(*parts) == set(later)
        assert sum(map(len, parts)) == len(later)
        assert result.report.linked + result.report.ambiguous + result.report.unlinked == 80
        assert sum(result.report.by_mismatches) == result.report.linked

        links, ambiguous, unlinked = reference_link(earlier, later, allowed)
        assert dict(result.links) == links
        assert result.ambiguous == ambiguous
        assert result.unlinked == unlinked
