"""Reading for qualitative coding (docs/evaluation-qualitative-coding.md): the plan's texts to
code, its codebook, who coded what, the double-coding sample, agreement between two coders, theme
counts by wave and group, and the rows of the quotes export.

The texts are the free-text answers of submitted responses (the items whose scale is
``free_text`` of self-report instruments, TIP's or the partnership's own) and observations'
notes, as long as the retention schedule still allows them (retention.py): a respondent past
their retention date, and, once the plan as a whole is due, responses without a respondent and
observation notes, are left out even before the sweep has removed them. A text is named by its
key: ``r<response id>.<instrument id>.<item id>`` or ``o<observation id>``.

Everything is read in a bounded number of queries, whatever the number of texts.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tip.core.models import Membership, Partnership, User
from tip.evaluation import retention
from tip.evaluation.analysis.agreement import Agreement, code_agreement
from tip.evaluation.analysis.instrument_model import Respondent as RespondentKind
from tip.evaluation.analysis.instrument_model import ScaleType
from tip.evaluation.analysis.redact import Redactor
from tip.evaluation.exports import csv_safe
from tip.evaluation.models import (
    Code,
    Coding,
    EvaluationPlan,
    Group,
    Observation,
    Response,
    SampledText,
    Wave,
)
from tip.evaluation.selectors_instruments import all_instruments

NOTES = "notes"  # the "question" of an observation's notes, in filters
# Counts from 1 to 4 are shown as "fewer than 5" (theme counts): small numbers of people can
# be recognised, and the counts may be shown beyond the evaluation team.
SMALL = 5

ANSWER = "answer"
OBSERVATION = "notes"


@dataclass(frozen=True)
class Question:
    """A free-text question texts can answer: ``key`` is ``<instrument id>.<item id>``, or
    ``notes`` for observations' notes."""

    key: str
    label: str


@dataclass(frozen=True)
class Text:
    """One text to code, with where it came from."""

    key: str
    kind: str  # ANSWER or OBSERVATION
    text: str
    question: Question
    wave_id: int | None
    wave: str  # the wave's name ("" for an observation)
    wave_order: int
    group: str  # Group value; "" for an observation
    person: str  # who, for counting people: "R<respondent>", "S<response>", "O<observation>"
    date: datetime.date | None
    response_id: int | None = None
    instrument_id: str = ""
    item_id: str = ""
    observation_id: int | None = None

    def reference(self) -> dict[str, object]:
        """The fields a Coding or SampledText names the text by."""
        return {
            "response_id": self.response_id,
            "instrument_id": self.instrument_id,
            "item_id": self.item_id,
            "observation_id": self.observation_id,
        }


def parse_key(key: str) -> tuple[str, int, str, str]:
    """``r12.tip-kac.q9`` -> (ANSWER, 12, "tip-kac", "q9"); ``o7`` -> (OBSERVATION, 7, "", "").
    Http404 for anything else."""
    try:
        if key.startswith("o"):
            return OBSERVATION, int(key[1:]), "", ""
        if key.startswith("r"):
            number, instrument_id, item_id = key[1:].split(".", 2)
            if instrument_id and item_id:
                return ANSWER, int(number), instrument_id, item_id
    except ValueError:
        pass
    raise Http404("No such text.")


def key_of(reference: Coding | SampledText) -> str:
    return reference.text_key


# --- The texts ---------------------------------------------------------------------------------


def _free_text_questions(
    partnership_id: int, language: str
) -> dict[tuple[str, int], list[tuple[str, str]]]:
    """(instrument id, version) -> its free-text items (id, question) in order, for the
    self-report instruments (TIP's and the partnership's own). One query."""
    found: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for instrument in all_instruments(partnership_id):
        if instrument.respondent != RespondentKind.SELF:
            continue
        items = [
            (item.id, item.text.in_language(language))
            for item in instrument.items
            if item.scale.type == ScaleType.FREE_TEXT
        ]
        if items:
            found[(instrument.id, instrument.version)] = items
    return found


def _latest(
    questions: dict[tuple[str, int], list[tuple[str, str]]],
) -> dict[str, tuple[int, list[tuple[str, str]]]]:
    latest: dict[str, tuple[int, list[tuple[str, str]]]] = {}
    for (instrument_id, version), items in questions.items():
        if instrument_id not in latest or version > latest[instrument_id][0]:
            latest[instrument_id] = (version, items)
    return latest


@dataclass(frozen=True)
class Retention:
    """What the retention schedule allows today (three to five queries)."""

    plan_due: bool
    last_offset: int
    today: datetime.date

    @classmethod
    def of(cls, plan: EvaluationPlan) -> Retention:
        return cls(
            plan_due=retention.is_due(plan),
            last_offset=retention.last_wave_offset(plan),
            today=retention.today(),
        )

    def keeps(self, plan: EvaluationPlan, response: Response) -> bool:
        if response.respondent is None:
            return not self.plan_due
        date = retention.retention_date(
            response.respondent, plan=plan, last_offset=self.last_offset
        )
        return date > self.today


def _responses(plan: EvaluationPlan) -> QuerySet[Response]:
    qs: QuerySet[Response] = (
        Response.objects.filter(
            plan=plan, partnership_id=plan.partnership_id, submitted_at__isnull=False
        )
        .select_related("wave", "respondent")
        .only(
            "id",
            "plan_id",
            "group",
            "answers",
            "versions",
            "submitted_at",
            "respondent__id",
            "respondent__anchor_date",
            "wave__id",
            "wave__name",
            "wave__offset_days",
        )
        .order_by("wave__offset_days", "pk")
    )
    return qs


def _answer_texts(
    plan: EvaluationPlan,
    response: Response,
    questions: dict[tuple[str, int], list[tuple[str, str]]],
    latest: dict[str, tuple[int, list[tuple[str, str]]]],
    wave_order: dict[int, int],
) -> Iterator[Text]:
    answers = response.answers if isinstance(response.answers, dict) else {}
    versions = response.versions if isinstance(response.versions, dict) else {}
    for instrument_id, items in answers.items():
        if not isinstance(items, dict):
            continue
        version = versions.get(instrument_id)
        asked = questions.get((instrument_id, version)) if isinstance(version, int) else None
        if asked is None:
            asked = latest.get(instrument_id, (0, []))[1]
        for item_id, label in asked:
            value = items.get(item_id)
            if not isinstance(value, str) or not value.strip():
                continue
            person = (
                f"R{response.respondent_id}"
                if response.respondent_id is not None
                else f"S{response.pk}"
            )
            yield Text(
                key=f"r{response.pk}.{instrument_id}.{item_id}",
                kind=ANSWER,
                text=value.strip(),
                question=Question(f"{instrument_id}.{item_id}", label),
                wave_id=response.wave_id,
                wave=response.wave.name,
                wave_order=wave_order.get(response.wave_id, 0),
                group=response.group,
                person=person,
                date=response.submitted_at.date() if response.submitted_at else None,
                response_id=response.pk,
                instrument_id=instrument_id,
                item_id=item_id,
            )


def texts(plan: EvaluationPlan, *, language: str = "en") -> list[Text]:
    """The plan's texts that may be coded today: free-text answers of submitted responses in
    wave order, then observations' notes, the oldest first."""
    kept = Retention.of(plan)
    questions = _free_text_questions(plan.partnership_id, language)
    latest = _latest(questions)
    waves = list(
        Wave.objects.filter(plan=plan, partnership_id=plan.partnership_id).order_by(
            "offset_days", "pk"
        )
    )
    wave_order = {w.pk: i for i, w in enumerate(waves)}
    found: list[Text] = []
    # Only responses that answered an instrument with free-text questions.
    with_text = _responses(plan).filter(answers__has_any_keys=sorted(latest))
    for response in with_text.iterator(chunk_size=500) if latest else ():
        if kept.keeps(plan, response):
            found.extend(_answer_texts(plan, response, questions, latest, wave_order))
    if not kept.plan_due:
        notes = Question(NOTES, _("Observation notes"))
        observations = (
            Observation.objects.filter(plan=plan, partnership_id=plan.partnership_id)
            .exclude(notes="")
            .only("pk", "notes", "observed_on")
            .order_by("observed_on", "pk")
        )
        for o in observations:
            found.append(
                Text(
                    key=f"o{o.pk}",
                    kind=OBSERVATION,
                    text=o.notes.strip(),
                    question=notes,
                    wave_id=None,
                    wave="",
                    wave_order=len(waves),
                    group="",
                    person=f"O{o.pk}",
                    date=o.observed_on,
                    observation_id=o.pk,
                )
            )
    return found


def text_get(plan: EvaluationPlan, key: str, *, language: str = "en") -> Text:
    """One of the plan's texts that may be coded today, or 404 (another plan's or partnership's,
    removed, or past retention)."""
    kind, number, instrument_id, item_id = parse_key(key)
    kept = Retention.of(plan)
    if kind == OBSERVATION:
        if kept.plan_due:
            raise Http404("No such text.")
        o = get_object_or_404(
            Observation.objects.filter(plan=plan, partnership_id=plan.partnership_id),
            pk=number,
        )
        if not o.notes.strip():
            raise Http404("No such text.")
        return Text(
            key=key,
            kind=OBSERVATION,
            text=o.notes.strip(),
            question=Question(NOTES, _("Observation notes")),
            wave_id=None,
            wave="",
            wave_order=0,
            group="",
            person=f"O{o.pk}",
            date=o.observed_on,
            observation_id=o.pk,
        )
    response = get_object_or_404(_responses(plan), pk=number)
    if not kept.keeps(plan, response):
        raise Http404("No such text.")
    questions = _free_text_questions(plan.partnership_id, language)
    for text in _answer_texts(plan, response, questions, _latest(questions), {}):
        if text.instrument_id == instrument_id and text.item_id == item_id:
            return text
    raise Http404("No such text.")


def questions_of(found: Iterable[Text]) -> list[Question]:
    """The questions the texts answer, in the order first met."""
    seen: dict[str, Question] = {}
    for t in found:
        seen.setdefault(t.question.key, t.question)
    return list(seen.values())


# --- The codebook ------------------------------------------------------------------------------


def codebook(plan: EvaluationPlan) -> list[Code]:
    """The plan's codes in order, retired ones too, with their theme."""
    return list(
        Code.objects.filter(plan=plan, partnership_id=plan.partnership_id)
        .select_related("parent")
        .order_by("position", "label", "pk")
    )


def codebook_tree(codes: list[Code]) -> list[tuple[Code, int]]:
    """The codes with their depth, each theme followed by its codes."""
    children: dict[int | None, list[Code]] = defaultdict(list)
    known = {c.pk for c in codes}
    for c in codes:
        children[c.parent_id if c.parent_id in known else None].append(c)
    out: list[tuple[Code, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            out.append((c, depth))
            if depth < 10:
                walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def code_get(*, partnership: Partnership, code_id: int) -> Code:
    """The partnership's code, or 404 (another partnership's id too)."""
    found: Code = get_object_or_404(
        Code.objects.for_partnership(partnership).select_related("plan__programme", "parent"),
        pk=code_id,
    )
    return found


def codes_in_use(plan: EvaluationPlan) -> set[int]:
    """The ids of the plan's codes some coding applies."""
    return set(
        Coding.codes.through.objects.filter(
            code__plan=plan, code__partnership_id=plan.partnership_id
        ).values_list("code_id", flat=True)
    )


# --- Codings -----------------------------------------------------------------------------------


@dataclass
class Codings:
    """Every coding of the plan: text key -> coder id -> the code ids applied."""

    by_text: dict[str, dict[int, frozenset[int]]] = field(default_factory=dict)
    coder_ids: set[int] = field(default_factory=set)
    _coders: dict[int, User] | None = None

    @property
    def coders(self) -> dict[int, User]:
        """The coders, by id (one query, the first time it is asked)."""
        if self._coders is None:
            found = User.objects.filter(pk__in=self.coder_ids) if self.coder_ids else []
            self._coders = {u.pk: u for u in found}
        return self._coders

    def of(self, coder_id: int) -> dict[str, frozenset[int]]:
        return {k: c[coder_id] for k, c in self.by_text.items() if coder_id in c}

    def union(self, coder_id: int | None = None) -> dict[str, frozenset[int]]:
        """Each coded text's codes: one coder's, or every coder's together."""
        if coder_id is not None:
            return self.of(coder_id)
        return {k: frozenset().union(*c.values()) for k, c in self.by_text.items()}


def codings(plan: EvaluationPlan) -> Codings:
    """Two queries, as plain values (a plan may have tens of thousands of codings): the
    codings and the codes they apply (the coders themselves are read when asked for)."""
    found = Codings()
    scope = {"plan": plan, "partnership_id": plan.partnership_id}
    rows = Coding.objects.filter(**scope).values_list(
        "pk", "coder_id", "response_id", "instrument_id", "item_id", "observation_id"
    )
    applied: dict[int, set[int]] = defaultdict(set)
    for coding_id, code_id in Coding.codes.through.objects.filter(
        coding__plan=plan, coding__partnership_id=plan.partnership_id
    ).values_list("coding_id", "code_id"):
        applied[coding_id].add(code_id)
    for pk, coder_id, response_id, instrument_id, item_id, observation_id in rows:
        key = (
            f"o{observation_id}"
            if observation_id is not None
            else f"r{response_id}.{instrument_id}.{item_id}"
        )
        found.by_text.setdefault(key, {})[coder_id] = frozenset(applied.get(pk, ()))
        found.coder_ids.add(coder_id)
    return found


def coding_of(plan: EvaluationPlan, key: str, coder: User) -> Coding | None:
    kind, number, instrument_id, item_id = parse_key(key)
    qs = Coding.objects.filter(plan=plan, partnership_id=plan.partnership_id, coder=coder)
    if kind == OBSERVATION:
        qs = qs.filter(observation_id=number)
    else:
        qs = qs.filter(response_id=number, instrument_id=instrument_id, item_id=item_id)
    return qs.prefetch_related("codes").first()


def sample_keys(plan: EvaluationPlan) -> list[str]:
    """The keys of the texts in the double-coding sample, in the order they were added."""
    rows = SampledText.objects.filter(plan=plan, partnership_id=plan.partnership_id).order_by("pk")
    return [
        (f"o{o}" if o is not None else f"r{r}.{i}.{t}")
        for r, i, t, o in rows.values_list(
            "response_id", "instrument_id", "item_id", "observation_id"
        )
    ]


def random_sample(keys: list[str], share: float, *, seed: int | None = None) -> list[str]:
    """A simple random sample of ``share`` (0 to 1) of the keys, at least one when there are
    any (rounded up, so a small set still gets a sample)."""
    if not keys:
        return []
    wanted = min(len(keys), max(1, math.ceil(len(keys) * share - 1e-9)))
    # Not a secret: a sample for checking coders' agreement.
    return random.Random(seed).sample(keys, wanted)  # noqa: S311


# --- Agreement ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementView:
    """Agreement between two coders on the sample texts both coded (that still exist)."""

    first: User
    second: User
    result: Agreement
    codes: dict[int, Code]


def sample_coders(plan: EvaluationPlan, found: Codings, sample: Iterable[str]) -> list[User]:
    """The people who coded texts of the sample, the most sample texts first."""
    counts: dict[int, int] = defaultdict(int)
    for key in sample:
        for coder_id in found.by_text.get(key, {}):
            counts[coder_id] += 1
    order = sorted(counts, key=lambda c: (-counts[c], c))
    return [found.coders[c] for c in order]


def agreement(
    plan: EvaluationPlan,
    *,
    first: User,
    second: User,
    found: Codings,
    sample: Iterable[str],
    current: set[str],
    codes: list[Code],
) -> AgreementView:
    """Cohen's kappa per code and overall between ``first`` and ``second`` over the sample's
    texts that both coded and that still exist (``current``: the keys of ``texts``). Every code
    of the codebook that either applied, and every active code, is compared."""
    in_sample = [k for k in sample if k in current]
    mine = {k: v for k, v in found.of(first.pk).items() if k in in_sample}
    theirs = {k: v for k, v in found.of(second.pk).items() if k in in_sample}
    used = set().union(*mine.values(), *theirs.values()) if (mine or theirs) else set()
    compared = [c.pk for c in codes if not c.retired or c.pk in used]
    result = code_agreement(mine, theirs, compared)  # type: ignore[arg-type]
    return AgreementView(first=first, second=second, result=result, codes={c.pk: c for c in codes})


# --- Theme counts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the theme counts: a wave and group (or the observations)."""

    key: tuple[int, str]
    wave: str
    group: str  # the group's label, or "Observations"


@dataclass
class Count:
    texts: int = 0
    people: int = 0


@dataclass
class ThemeRow:
    code: Code
    depth: int
    cells: list[Count]
    total: Count


@dataclass
class ThemeCounts:
    columns: list[Column]
    coded: list[Count]  # texts coded (by anyone counted) per column
    coded_total: Count
    rows: list[ThemeRow]


def shown(count: int) -> str:
    """A count as the theme counts show it: 1 to 4 as "fewer than 5"."""
    if 0 < count < SMALL:
        return _("fewer than %(n)s") % {"n": SMALL}
    return str(count)


def _with_themes(code_ids: frozenset[int], parents: dict[int, int | None]) -> set[int]:
    """The codes and every theme above them."""
    out: set[int] = set()
    for c in code_ids:
        seen = 0
        current: int | None = c
        while current is not None and current not in out and seen < 20:
            out.add(current)
            current = parents.get(current)
            seen += 1
    return out


def theme_counts(
    found_texts: list[Text],
    found: Codings,
    codes: list[Code],
    *,
    coder_id: int | None = None,
) -> ThemeCounts:
    """How many texts, and how many people, have each code, by wave and group: a theme counts
    every text with it or any code under it. Only coded texts count; with ``coder_id`` one
    coder's codings, otherwise any coder's."""
    applied = found.union(coder_id)
    parents = {c.pk: c.parent_id for c in codes}
    group_labels = dict(Group.choices)
    columns: dict[tuple[int, str], Column] = {}
    for t in found_texts:
        if t.key not in applied:
            continue
        if t.kind == OBSERVATION:
            key = (10**6, "")
            columns.setdefault(key, Column(key, "", _("Observations")))
        else:
            key = (t.wave_order, t.group)
            columns.setdefault(key, Column(key, t.wave, str(group_labels.get(t.group, t.group))))
    ordered = sorted(columns.values(), key=lambda c: c.key)
    index = {c.key: i for i, c in enumerate(ordered)}
    texts_by: dict[int, list[set[str]]] = {c.pk: [set() for _c in ordered] for c in codes}
    people_by: dict[int, list[set[str]]] = {c.pk: [set() for _c in ordered] for c in codes}
    coded_texts: list[set[str]] = [set() for _c in ordered]
    coded_people: list[set[str]] = [set() for _c in ordered]
    for t in found_texts:
        if t.key not in applied:
            continue
        i = index[(10**6, "") if t.kind == OBSERVATION else (t.wave_order, t.group)]
        coded_texts[i].add(t.key)
        coded_people[i].add(t.person)
        for code_id in _with_themes(applied[t.key], parents):
            if code_id in texts_by:
                texts_by[code_id][i].add(t.key)
                people_by[code_id][i].add(t.person)
    rows = []
    for code, depth in codebook_tree(codes):
        cells = [
            Count(len(ts), len(ps))
            for ts, ps in zip(texts_by[code.pk], people_by[code.pk], strict=True)
        ]
        total = Count(len(set().union(*texts_by[code.pk])), len(set().union(*people_by[code.pk])))
        if code.retired and not total.texts:
            continue
        rows.append(ThemeRow(code=code, depth=depth, cells=cells, total=total))
    return ThemeCounts(
        columns=ordered,
        coded=[Count(len(a), len(b)) for a, b in zip(coded_texts, coded_people, strict=True)],
        coded_total=Count(len(set().union(*coded_texts)), len(set().union(*coded_people))),
        rows=rows,
    )


# --- Quotes ------------------------------------------------------------------------------------


def known_names(partnership_id: int) -> list[str]:
    """The names of the partnership's members, for taking them out of quotes. One query."""
    return [
        n
        for n in Membership.objects.filter(partnership_id=partnership_id)
        .exclude(user__full_name="")
        .values_list("user__full_name", flat=True)
        if n
    ]


QUOTE_HEADER = ("code", "theme", "wave", "group", "question", "quote")


def quote_rows(
    found_texts: list[Text],
    found: Codings,
    codes: list[Code],
    *,
    names: list[str],
    coder_id: int | None = None,
) -> Iterator[list[str]]:
    """The quotes export: a header, then one row per code and text with it (codes in codebook
    order), the text with names, email addresses, phone numbers and postcodes taken out, every
    cell safe to open in a spreadsheet."""
    applied = found.union(coder_id)
    redactor = Redactor(names)
    group_labels = dict(Group.choices)
    by_code: dict[int, list[Text]] = defaultdict(list)
    for t in found_texts:
        for code_id in applied.get(t.key, frozenset()):
            by_code[code_id].append(t)
    yield list(QUOTE_HEADER)
    for code, _depth in codebook_tree(codes):
        theme = code.parent.label if code.parent is not None else ""
        for t in by_code.get(code.pk, []):
            group = str(group_labels.get(t.group, "")) if t.group else _("Observation")
            yield [
                csv_safe(v)
                for v in (
                    code.label,
                    theme,
                    t.wave,
                    group,
                    t.question.label,
                    redactor(t.text).text,
                )
            ]
