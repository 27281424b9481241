"""`tip language check`: check notes on the command line (files, folders or standard input).

Exit codes: 0 no finding at or above --fail-on, 1 there is one, 2 bad usage or nothing could
be read. The logic is here, without Django, so it can be tested directly; the management command
`language` only hands over its arguments.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from tip.language.checker import (
    AUDIENCES,
    LANGUAGES,
    SEVERITIES,
    Finding,
    RuleFileError,
    RuleSet,
    check,
    load_rules,
    load_shipped,
)
from tip.language.textfiles import NotText, decode

FAIL_ON = (*SEVERITIES, "never")
CATEGORY_NAMES = {
    "victim-blaming": "victim-blaming language",
    "deficit-label": "deficit label",
    "care-jargon": "care-system jargon",
    "service-centred": "service-centred language",
    "dehumanising": "dehumanising term",
}
SKIPPED_DIRECTORIES = {".git", "node_modules", "__pycache__", ".venv"}


class Writer(Protocol):
    """Where output goes: a text stream, or a management command's wrapper of one."""

    def write(self, msg: str, /) -> Any: ...


class UsageError(Exception):
    """Bad usage: the message says what to change; the exit code is 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="FILE",
        help="Files or folders of notes to check (folders are searched); none: standard input.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="suggestion",
        help="Exit 1 when a finding is at least this severe (default: any finding).",
    )
    parser.add_argument("--language", choices=LANGUAGES, default="en")
    parser.add_argument(
        "--audience",
        choices=AUDIENCES,
        default="all",
        help="Who the notes are about: leave out the rules written for the other group.",
    )
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="FILE",
        help="A rule file of your own to add (same format as TIP's); may be repeated.",
    )
    parser.add_argument(
        "--silence", action="append", default=[], metavar="RULE", help="A rule id to leave out."
    )
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="PHRASE",
        help="Words never to flag, in the rules' phrase syntax (e.g. 'respite care').",
    )


@dataclass
class Report:
    checked: int = 0
    unreadable: int = 0
    findings: list[tuple[str, str, Finding]] = field(default_factory=list)


def run(options: argparse.Namespace, stdin: IO[bytes], out: Writer, err: Writer) -> int:
    try:
        rules = _rules(options)
    except UsageError as problem:
        err.write(f"tip language check: {problem}\n")
        return 2
    report = Report()
    sources = list(_sources(options.paths, err, report)) if options.paths else [("-", None)]
    items: list[dict[str, Any]] = []
    for name, path in sources:
        text = _read(name, path, stdin, err, report)
        if text is None:
            continue
        report.checked += 1
        for finding in check(text, rules, audience=options.audience):
            report.findings.append((name, text, finding))
    if options.format == "json":
        for name, text, finding in report.findings:
            line, column = _position(text, finding.start)
            items.append({"file": name, "line": line, "column": column, **finding.to_dict()})
        out.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    else:
        _write_text(report, out)
    if report.checked == 0:
        err.write("tip language check: nothing could be read, so nothing was checked\n")
        return 2
    if options.fail_on == "never":
        return 0
    threshold = SEVERITIES.index(options.fail_on)
    counted = [f for _, _, f in report.findings if not f.quoted]
    return 1 if any(SEVERITIES.index(f.severity) >= threshold for f in counted) else 0


def _rules(options: argparse.Namespace) -> RuleSet:
    rules = load_shipped(options.language)
    for path in options.rules:
        try:
            extra = load_rules(path)
        except RuleFileError as error:
            lines = "\n  ".join(error.errors)
            raise UsageError(f"the rule file {path} cannot be used:\n  {lines}") from error
        if extra.language != options.language:
            raise UsageError(
                f"the rule file {path} is for '{extra.language}' but the notes are checked "
                f"as '{options.language}' (use --language {extra.language})"
            )
        rules = rules.extended(extra.rules)
    unknown = [rule for rule in options.silence if rule not in rules.by_id]
    if unknown:
        raise UsageError(f"no rule has the id {', '.join(unknown)} (see the rules' ids)")
    try:
        return rules.without(options.silence, options.allow)
    except ValueError as error:
        raise UsageError(f"--allow: {error}") from error


def _sources(
    paths: Sequence[str], err: Writer, report: Report
) -> Iterator[tuple[str, Path | None]]:
    for given in paths:
        if given == "-":
            yield "-", None
            continue
        path = Path(given)
        if path.is_dir():
            found = False
            for folder, directories, files in os.walk(path):
                directories[:] = sorted(
                    d for d in directories if d not in SKIPPED_DIRECTORIES and not d.startswith(".")
                )
                for name in sorted(files):
                    if not name.startswith("."):
                        found = True
                        yield str(Path(folder) / name), Path(folder) / name
            if not found:
                err.write(f"{given}: the folder has no files to check\n")
        else:
            yield given, path


def _read(
    name: str, path: Path | None, stdin: IO[bytes], err: Writer, report: Report
) -> str | None:
    try:
        data = stdin.read() if path is None else path.read_bytes()
    except FileNotFoundError:
        err.write(f"{name}: no such file\n")
        report.unreadable += 1
        return None
    except OSError as error:
        err.write(f"{name}: cannot be read ({error.strerror or error})\n")
        report.unreadable += 1
        return None
    try:
        decoded = decode(data)
    except NotText as problem:
        err.write(f"{name}: skipped: {problem}\n")
        report.unreadable += 1
        return None
    if decoded.note:
        err.write(f"{name}: {decoded.note}\n")
    return decoded.text


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _write_text(report: Report, out: Writer) -> None:
    quoted = 0
    for name, text, finding in report.findings:
        line, column = _position(text, finding.start)
        words = " ".join(finding.text.split())
        if len(words) > 80:
            words = words[:77] + "..."
        category = CATEGORY_NAMES.get(finding.category, finding.category)
        if finding.quoted:
            quoted += 1
            out.write(
                f'{name}:{line}:{column}: quoted {finding.rule}: "{words}" is inside quotation '
                "marks (the person's own words), so it is not counted\n"
            )
            continue
        out.write(
            f'{name}:{line}:{column}: {finding.severity} {finding.rule}: "{words}" ({category})\n'
        )
        out.write(f"  Why: {finding.explanation}\n")
        for suggestion in finding.suggestions:
            out.write(f"  Try: {suggestion}\n")
        out.write(f"  Source: {'; '.join(source.title for source in finding.sources)}\n")
    counted = len(report.findings) - quoted
    counts = {severity: 0 for severity in SEVERITIES}
    for _, _, finding in report.findings:
        if not finding.quoted:
            counts[finding.severity] += 1
    files = "1 text" if report.checked == 1 else f"{report.checked} texts"
    detail = ", ".join(f"{n} {s}" + ("s" if n != 1 else "") for s, n in counts.items() if n)
    summary = f"{files} checked: " + (
        f"{counted} finding{'s' if counted != 1 else ''} ({detail})" if counted else "no findings"
    )
    if quoted:
        summary += f"; {quoted} in quotation marks, not counted"
    if report.unreadable:
        summary += f"; {report.unreadable} could not be read"
    out.write(summary + "\n")
