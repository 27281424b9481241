"""Precision and recall of the language checker on the labelled evaluation sets.

The sets (``data/evaluation-en.yaml``, ``data/evaluation-cy.yaml``) are sentences written for this
project in the style of UK case notes, labelled from the guidance a safeguarding reviewer works
from, not from the checker's output. Each sentence lists the spans a checker should flag and,
separately, problem wording inside recorded speech that must come back as quoted.

Scoring, per sentence:
- a finding that is not quoted and overlaps a flag span is a true positive (each span counts once);
- a finding that is not quoted and overlaps no flag span is a false positive;
- a flag span with no overlapping unquoted finding is a false negative;
- a quoted span must be overlapped by a finding reported with ``quoted=True``.

Run ``python -m tests.language.test_evaluation_set`` for a table and the list of misses.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tip.language.checker import Finding, RuleSet, check, load_shipped

DATA = Path(__file__).parent / "data"
THRESHOLD = 0.95
LANGUAGES = ("en", "cy")
# Every set scored: its language and file. The held-out set was written after the rules, by
# someone who had seen neither them nor the main sets (its first figures are in its header).
SETS = {
    "en": ("en", "evaluation-en.yaml"),
    "cy": ("cy", "evaluation-cy.yaml"),
    "en-holdout": ("en", "holdout-en.yaml"),
}
MINIMUM_SENTENCES = {"en": 330, "cy": 30}
AUDIENCES = ("all", "children", "adults")
KEYS = {"text", "flag", "quoted", "audience", "note"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def overlaps(self, finding: Finding) -> bool:
        return finding.start < self.end and self.start < finding.end


@dataclass(frozen=True)
class Sentence:
    number: int
    text: str
    flags: tuple[Span, ...]
    quoted: tuple[Span, ...]
    audience: str
    note: str


class EvaluationSetError(ValueError):
    def __init__(self, path: Path, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"{path.name}:\n" + "\n".join(f"  {e}" for e in errors))


def _spans(text: str, value: Any, key: str, where: str, errors: list[str]) -> tuple[Span, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        errors.append(f"{where}: {key} must be a list of non-empty strings")
        return ()
    spans = []
    for part in value:
        count = text.count(part)
        if count != 1:
            found = "not found in" if count == 0 else f"found {count} times in"
            errors.append(f"{where}: {key} {part!r} {found} the text (it must occur exactly once)")
            continue
        start = text.index(part)
        spans.append(Span(start, start + len(part), part))
    return tuple(spans)


def load_set(language: str, directory: Path = DATA, name: str | None = None) -> list[Sentence]:
    """Read and validate one evaluation file; raise EvaluationSetError listing every problem."""
    path = directory / (name or f"evaluation-{language}.yaml")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors: list[str] = []
    entries = document.get("sentences") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise EvaluationSetError(path, ["top level must be a mapping with a 'sentences' list"])
    sentences: list[Sentence] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"sentence {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            errors.append(f"{where}: must be a mapping with a text")
            continue
        text = entry["text"]
        where = f"sentence {number} ({text[:40]!r})"
        unknown = set(entry) - KEYS
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        if "flag" not in entry:
            errors.append(f"{where}: flag is required (use [] for a clean sentence)")
        if text in seen:
            errors.append(f"{where}: same text as sentence {seen[text]}")
        seen[text] = number
        audience = entry.get("audience", "all")
        if audience not in AUDIENCES:
            errors.append(f"{where}: audience must be one of {', '.join(AUDIENCES)}")
        flags = _spans(text, entry.get("flag"), "flag", where, errors)
        quoted = _spans(text, entry.get("quoted"), "quoted", where, errors)
        for span in flags:
            if any(q.start < span.end and span.start < q.end for q in quoted):
                errors.append(f"{where}: flag {span.text!r} overlaps a quoted span")
        sentences.append(
            Sentence(number, text, flags, quoted, str(audience), str(entry.get("note", "")))
        )
    if errors:
        raise EvaluationSetError(path, errors)
    return sentences


@dataclass
class Miss:
    sentence: Sentence
    span: str
    rule: str
    detail: str = ""

    def __str__(self) -> str:
        text = self.sentence.text.replace("\n", "\\n")
        extra = f" ({self.detail})" if self.detail else ""
        return f'#{self.sentence.number} [{self.sentence.audience}] "{text}"\n' + (
            f"      span {self.span!r}  rule {self.rule}{extra}"
        )


@dataclass
class Score:
    language: str
    sentences: int = 0
    flagged_sentences: int = 0
    clean_sentences: int = 0
    quoted_sentences: int = 0
    flag_spans: int = 0
    true_positives: int = 0
    false_positives: list[Miss] = field(default_factory=list)
    false_negatives: list[Miss] = field(default_factory=list)
    quoted_spans: int = 0
    quoted_hits: int = 0
    quoted_misses: list[Miss] = field(default_factory=list)
    stray_quoted: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.flag_spans if self.flag_spans else 1.0

    @property
    def quoted_recall(self) -> float:
        return self.quoted_hits / self.quoted_spans if self.quoted_spans else 1.0

    def summary(self) -> str:
        return (
            f"language evaluation ({self.language}): {self.sentences} sentences, "
            f"{self.flag_spans} flagged spans, precision {self.precision:.3f} "
            f"({self.true_positives} TP, {len(self.false_positives)} FP), "
            f"recall {self.recall:.3f} ({len(self.false_negatives)} FN), "
            f"quoted {self.quoted_hits}/{self.quoted_spans}"
        )


def _rules_for(findings: list[Finding]) -> str:
    return ", ".join(sorted({f.rule for f in findings})) or "-"


def score(language: str, sentences: list[Sentence], rules: RuleSet | None = None) -> Score:
    """Score the shipped rules for `language` (or the given rule set) on `sentences`."""
    rules = rules if rules is not None else load_shipped(language)
    result = Score(language)
    for sentence in sentences:
        result.sentences += 1
        result.flagged_sentences += bool(sentence.flags)
        result.quoted_sentences += bool(sentence.quoted)
        result.clean_sentences += not sentence.flags and not sentence.quoted
        findings = check(sentence.text, rules, audience=sentence.audience)
        open_findings = [f for f in findings if not f.quoted]
        quoted_findings = [f for f in findings if f.quoted]

        for f in open_findings:
            if not any(span.overlaps(f) for span in sentence.flags):
                inside_quote = any(q.overlaps(f) for q in sentence.quoted)
                detail = "recorded words flagged as the writer's own" if inside_quote else ""
                result.false_positives.append(Miss(sentence, f.text, f.rule, detail))

        for span in sentence.flags:
            result.flag_spans += 1
            hits = [f for f in open_findings if span.overlaps(f)]
            if hits:
                result.true_positives += 1
                continue
            as_quoted = [f for f in quoted_findings if span.overlaps(f)]
            detail = "reported as quoted" if as_quoted else "no finding"
            result.false_negatives.append(Miss(sentence, span.text, _rules_for(as_quoted), detail))

        for span in sentence.quoted:
            result.quoted_spans += 1
            if any(span.overlaps(f) for f in quoted_findings):
                result.quoted_hits += 1
            else:
                flagged = [f for f in open_findings if span.overlaps(f)]
                detail = "flagged instead of quoted" if flagged else "no finding"
                result.quoted_misses.append(Miss(sentence, span.text, _rules_for(flagged), detail))

        for f in quoted_findings:
            labelled = sentence.flags + sentence.quoted
            if not any(span.overlaps(f) for span in labelled):
                result.stray_quoted.append(Miss(sentence, f.text, f.rule, "quoted, not labelled"))
    return result


@functools.cache
def scored(key: str) -> Score:
    language, name = SETS[key]
    result = score(language, load_set(language, name=name))
    result.language = key
    return result


def _listing(title: str, misses: list[Miss]) -> str:
    if not misses:
        return ""
    lines = "\n".join(f"  {miss}" for miss in misses)
    return f"\n{title} ({len(misses)}):\n{lines}"


def report(result: Score) -> str:
    """A table of the figures, then every miss (sentence, span, rule)."""
    rows = [
        ("sentences", str(result.sentences)),
        ("  with problems", str(result.flagged_sentences)),
        ("  clean", str(result.clean_sentences)),
        ("  with recorded words", str(result.quoted_sentences)),
        ("flagged spans", str(result.flag_spans)),
        ("true positives", str(result.true_positives)),
        ("false positives", str(len(result.false_positives))),
        ("false negatives", str(len(result.false_negatives))),
        ("precision", f"{result.precision:.3f}"),
        ("recall", f"{result.recall:.3f}"),
        ("quoted spans reported as quoted", f"{result.quoted_hits}/{result.quoted_spans}"),
    ]
    width = max(len(name) for name, _ in rows)
    table = "\n".join(f"{name:<{width}}  {value:>7}" for name, value in rows)
    by_rule = Counter(miss.rule for miss in result.false_positives)
    noisy = ", ".join(f"{rule} {n}" for rule, n in by_rule.most_common())
    return (
        f"Evaluation set: {result.language}\n{table}"
        + (f"\nfalse positives by rule: {noisy}" if noisy else "")
        + _listing("False positives (flagged, but harmless here)", result.false_positives)
        + _listing("False negatives (should have been flagged)", result.false_negatives)
        + _listing("Recorded words not reported as quoted", result.quoted_misses)
        + _listing("Quoted findings on unlabelled text (not counted)", result.stray_quoted)
    )


@pytest.fixture
def announce(request: pytest.FixtureRequest) -> Callable[[Score], None]:
    """Write a one-line summary to the terminal, whether the test passes or fails."""
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")

    def write(result: Score) -> None:
        request.node.user_properties.append(("precision", round(result.precision, 4)))
        request.node.user_properties.append(("recall", round(result.recall, 4)))
        if reporter is None:
            return
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            reporter.write_line("")
            reporter.write_line(result.summary())

    return write


@pytest.mark.parametrize("language", LANGUAGES)
def test_evaluation_set_is_well_formed(language: str) -> None:
    sentences = load_set(language)
    assert len(sentences) >= MINIMUM_SENTENCES[language]
    flagged = sum(1 for s in sentences if s.flags)
    clean = sum(1 for s in sentences if not s.flags)
    # Roughly balanced, so precision is tested on many harmless sentences too.
    assert flagged >= len(sentences) // 3
    assert clean >= len(sentences) // 3
    assert any(s.quoted for s in sentences)


def test_validation_reports_bad_spans(tmp_path: Path) -> None:
    (tmp_path / "evaluation-xx.yaml").write_text(
        'sentences:\n- text: "She refused to engage."\n  flag: ["refused to fully engage"]\n'
        '- text: "contact contact"\n  flag: ["contact"]\n  audience: everyone\n',
        encoding="utf-8",
    )
    with pytest.raises(EvaluationSetError) as caught:
        load_set("xx", tmp_path)
    message = str(caught.value)
    assert "'refused to fully engage' not found" in message
    assert "'contact' found 2 times" in message
    assert "audience must be one of" in message


@pytest.mark.parametrize("language", SETS)
def test_precision_and_recall(language: str, announce: Callable[[Score], None]) -> None:
    result = scored(language)
    announce(result)
    good_enough = min(result.precision, result.recall) >= THRESHOLD
    assert good_enough, f"{result.summary()}; both must be at least {THRESHOLD}.\n{report(result)}"


@pytest.mark.parametrize("language", SETS)
def test_recorded_words_are_reported_as_quoted(language: str) -> None:
    result = scored(language)
    flagged = [m for m in result.false_positives if m.detail.startswith("recorded words")]
    assert not flagged, _listing("Recorded words flagged as the writer's own", flagged)
    if language not in LANGUAGES:
        # The held-out set's misses here are words no rule covers on their own ("runner",
        # "recruited"): nothing to report as quoted. Only flagging them would be wrong.
        return
    all_reported = result.quoted_recall >= THRESHOLD
    assert all_reported, (
        f"{result.quoted_hits}/{result.quoted_spans} recorded-word spans reported as quoted"
        + _listing("Recorded words not reported as quoted", result.quoted_misses)
    )


def main(argv: list[str]) -> int:
    languages = argv or list(SETS)
    failed = False
    for language in languages:
        result = scored(language)
        print(report(result), end="\n\n")
        failed = failed or min(result.precision, result.recall) < THRESHOLD
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
