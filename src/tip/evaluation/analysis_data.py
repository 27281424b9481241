"""A plan's answers as pandas frames for the analyses (docs/evaluation-analysis-data.md).

The pure analyses in ``tip.evaluation.analysis`` take frames, never models; this module builds
them from the database, for one evaluation plan, optionally narrowed to a report's scope:

* ``scores_frame``: one row per submitted response with the instrument: who (``person``, stable
  within the plan), which group and wave, the person's covariates and their scores;
* ``items_frame``: one row per submitted response: each scored item's score (for reliability);
* ``flow_frame``: per wave and group, how many were invited, responded, were linked to their
  baseline and can be analysed (for the attrition flow).

Who is one person: in an identified plan, the respondent (``R<id>``); in an anonymous plan, the
chain of answers linked wave after wave by the hashed self-generated code (``L<n>``,
``analysis.linking.link_waves``), so one person is one chain, whoever they are.

Every query is filtered by the plan's partnership as well as the plan, and a scope is checked to
be the plan's partnership's, so a report never reads another partnership's rows. Reading takes a
fixed number of queries however many people answered (no query per response): the answers are
read once, and each item's score is worked out once per distinct answer.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import JSONField, Value
from django.db.models.fields.json import KeyTransform

from tip.core.models import Organisation
from tip.evaluation.analysis import linking
from tip.evaluation.analysis.instrument_model import Instrument, Method, Subscale
from tip.evaluation.analysis.scoring import AnswerError, clean_answer, item_score
from tip.evaluation.imports import ARTIC
from tip.evaluation.models import (
    EvaluationPlan,
    Group,
    Invitation,
    InvitationStatus,
    Respondent,
    Response,
    Wave,
    WaveKind,
)
from tip.evaluation.selectors_instruments import all_instruments
from tip.training.models_courses import Course
from tip.training.models_sessions import Session

__all__ = [
    "FLOW_COLUMNS",
    "ID_COLUMNS",
    "SCOPE_KINDS",
    "SCORE_COLUMNS",
    "PlanFrames",
    "Scope",
    "flow_frame",
    "items_frame",
    "plan_frames",
    "plans_in",
    "scores_frame",
    "subscale_column",
]

SCOPE_KINDS = ("programme", "course", "session", "partnership")
GROUPS = (Group.TRAINED.value, Group.COMPARISON.value)
SUBSCALE_PREFIX = "subscale:"

# The columns every frame starts with, then (scores_frame) the covariates and scores.
ID_COLUMNS = ("person", "group", "wave", "wave_id")
SCORE_COLUMNS = (
    "person",
    "group",
    "wave",
    "wave_id",
    "wave_kind",
    "wave_offset",
    "wave_order",
    "organisation",
    "sector",
    "role",
    "format",
    "session_id",
    "course_id",
    "years_in_role",
    "prior_training",
    "score",
)
FLOW_COLUMNS = (
    "wave",
    "wave_id",
    "wave_kind",
    "group",
    "invited",
    "responded",
    "linked",
    "analysed",
)
# Invitations that were actually sent (a scheduled one has not reached anybody yet).
_NOT_SENT = (InvitationStatus.SCHEDULED.value,)


def subscale_column(subscale_id: str) -> str:
    """The scores_frame column of a subscale's score: ``subscale:<id>``."""
    return SUBSCALE_PREFIX + subscale_id


# Scopes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a report covers: a programme (its plan), a course (its trained participants within
    the plan of the course's programme), a session (its trained participants), or a whole
    partnership (all its plans). ``id`` is the programme's, course's, session's or partnership's
    id; ``partnership_id`` is the partnership it must belong to."""

    kind: str  # "programme" | "course" | "session" | "partnership"
    partnership_id: int
    id: int

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ValueError(f"A scope is one of {', '.join(SCOPE_KINDS)}, not {self.kind!r}.")


def plans_in(scope: Scope) -> list[EvaluationPlan]:
    """The evaluation plans the scope covers, only ever of the scope's partnership: an id of
    another partnership's programme, course or session covers nothing (an empty list)."""
    plans = EvaluationPlan.objects.filter(partnership_id=scope.partnership_id).select_related(
        "programme"
    )
    if scope.kind == "partnership":
        if scope.id != scope.partnership_id:
            return []
        return list(plans.order_by("programme__name", "pk"))
    if scope.kind == "programme":
        return list(plans.filter(programme_id=scope.id))
    if scope.kind == "course":
        programmes = Course.objects.filter(partnership_id=scope.partnership_id, pk=scope.id).values(
            "programme_id"
        )
    else:
        programmes = Session.objects.filter(
            partnership_id=scope.partnership_id, pk=scope.id
        ).values("course__programme_id")
    return list(plans.filter(programme_id__in=programmes))


def _session_ids(scope: Scope) -> set[int] | None:
    """The sessions whose trained participants a course or session scope keeps (None: all)."""
    if scope.kind == "course":
        return set(
            Session.objects.filter(
                partnership_id=scope.partnership_id, course_id=scope.id
            ).values_list("pk", flat=True)
        )
    if scope.kind == "session":
        return set(
            Session.objects.filter(partnership_id=scope.partnership_id, pk=scope.id).values_list(
                "pk", flat=True
            )
        )
    return None


def _check_scope(plan: EvaluationPlan, scope: Scope | None) -> None:
    if scope is not None and scope.partnership_id != plan.partnership_id:
        raise ValueError("The scope and the evaluation plan belong to different partnerships.")


# Reading a plan ---------------------------------------------------------------------------------


@dataclass
class _Person:
    """What is known of a respondent through their booking or membership."""

    group: str
    session_id: int | None = None
    course_id: int | None = None
    format: str = ""
    organisation: str = ""
    sector: str = ""
    role: str = ""


@dataclass(slots=True)
class _Answer:
    """One submitted response: ``stored`` is its answers to the instrument being read (empty
    when there are none), ``version`` the version they were given in, ``answered`` whether it
    has any answers at all."""

    pk: int
    respondent_id: int | None
    invitation_id: int | None
    wave_id: int
    group: str
    stored: dict[str, Any]
    version: Any
    answered: bool
    covariates: dict[str, Any]
    code_hashes: Any
    person: str = ""
    # Read once for every instrument (PlanFrames): all the response's answers and versions.
    every_answer: dict[str, Any] | None = None
    every_version: dict[str, Any] | None = None


@dataclass
class _PlanData:
    plan: EvaluationPlan
    waves: list[Wave]
    baseline_id: int | None
    respondents: dict[int, _Person]
    responses: list[_Answer]
    sessions: set[int] | None
    organisations: dict[int, tuple[str, str]] = field(default_factory=dict)
    # Each person's covariates (_covariates_by_person), worked out once when first needed.
    covariates: dict[str, dict[str, Any]] | None = None

    @property
    def wave_by_id(self) -> dict[int, Wave]:
        return {w.pk: w for w in self.waves}

    def in_scope(self, respondent_id: int | None, group: str) -> bool:
        """Comparison respondents always stay (so a course or session can still be compared);
        trained ones only when their booking's session is in scope."""
        if self.sessions is None or group == Group.COMPARISON:
            return True
        person = self.respondents.get(respondent_id) if respondent_id is not None else None
        return person is not None and person.session_id in self.sessions


def _waves(plan: EvaluationPlan) -> list[Wave]:
    return list(
        Wave.objects.filter(plan=plan, partnership_id=plan.partnership_id).order_by(
            "offset_days", "pk"
        )
    )


def _baseline(waves: list[Wave]) -> int | None:
    """The wave others are linked to: the first baseline, or else the earliest wave."""
    for wave in waves:
        if wave.kind == WaveKind.BASELINE:
            return wave.pk
    return waves[0].pk if waves else None


def _respondents(plan: EvaluationPlan) -> dict[int, _Person]:
    found: dict[int, _Person] = {}
    rows = Respondent.objects.filter(plan=plan, partnership_id=plan.partnership_id).values_list(
        "pk",
        "group",
        "booking__session_id",
        "booking__session__course_id",
        "booking__session__format",
        "booking__membership__organisation__name",
        "booking__membership__organisation__sector",
        "booking__membership__job_title",
        "membership__organisation__name",
        "membership__organisation__sector",
        "membership__job_title",
    )
    for pk, group, session, course, fmt, b_org, b_sector, b_role, m_org, m_sector, m_role in rows:
        found[pk] = _Person(
            group=group,
            session_id=session,
            course_id=course,
            format=fmt or "",
            organisation=b_org or m_org or "",
            sector=b_sector or m_sector or "",
            role=b_role or m_role or "",
        )
    return found


def _read(
    plan: EvaluationPlan,
    scope: Scope | None,
    instrument_id: str | None = None,
    *,
    every: bool = False,
) -> _PlanData:
    """Everything the frames need, in a fixed number of queries. With an instrument, only its
    answers and version are read from each response's JSON (the database picks them out), not
    every instrument's. With ``every``, all the answers and versions are read and kept
    (``every_answer``, ``every_version``) so that each instrument's can be picked out later
    (``_narrowed``) without reading again."""
    _check_scope(plan, scope)
    waves = _waves(plan)
    respondents = _respondents(plan)
    nothing = Value(None, output_field=JSONField())
    hashes: Any = "code_hashes" if plan.anonymous else nothing
    answers: Any = "answers" if instrument_id is None else KeyTransform(instrument_id, "answers")
    versions: Any = (
        "versions"
        if every
        else (nothing if instrument_id is None else KeyTransform(instrument_id, "versions"))
    )
    rows = (
        Response.objects.filter(
            plan=plan, partnership_id=plan.partnership_id, submitted_at__isnull=False
        )
        .values_list(
            "pk",
            "respondent_id",
            "invitation_id",
            "wave_id",
            "group",
            answers,
            versions,
            "covariates",
            hashes,
        )
        .order_by("pk")
    )
    data = _PlanData(
        plan=plan,
        waves=waves,
        baseline_id=_baseline(waves),
        respondents=respondents,
        responses=[],
        sessions=_session_ids(scope) if scope is not None else None,
    )
    wave_ids = {w.pk for w in waves}
    found = data.responses
    for pk, respondent_id, invitation_id, wave_id, group, stored, version, covariates, code in rows:
        if wave_id not in wave_ids:
            continue
        if not isinstance(stored, dict):
            stored = {}
        every_answer: dict[str, Any] | None = None
        every_version: dict[str, Any] | None = None
        if instrument_id is None:
            answered = any(isinstance(v, dict) and v for v in stored.values())
            if every:
                every_answer = stored
                every_version = version if isinstance(version, dict) else {}
                version = None
            stored = {}
        else:
            answered = bool(stored)
        found.append(
            _Answer(
                pk,
                respondent_id,
                invitation_id,
                wave_id,
                group,
                stored,
                version,
                answered,
                covariates if isinstance(covariates, dict) else {},
                code,
                every_answer=every_answer,
                every_version=every_version,
            )
        )
    _name_people(data)
    if data.sessions is not None:
        data.responses = [r for r in data.responses if data.in_scope(r.respondent_id, r.group)]
    data.organisations = _organisations(plan, data.responses)
    return data


def _name_people(data: _PlanData) -> None:
    """``R<respondent id>`` in an identified plan; in an anonymous plan ``L<n>``, one per chain
    of answers linked by their codes (within each group, waves in order)."""
    if not data.plan.anonymous:
        for response in data.responses:
            response.person = (
                f"R{response.respondent_id}"
                if response.respondent_id is not None
                else f"A{response.pk}"  # an answer no respondent is known for: its own person
            )
        return
    width = len(linking.ELEMENTS)
    allowed = max(0, min(data.plan.link_mismatches, width - 1))
    number = 0
    for group in GROUPS:
        mine = [r for r in data.responses if r.group == group]
        coded: list[dict[int, tuple[str | None, ...]]] = []
        for wave in data.waves:
            codes: dict[int, tuple[str | None, ...]] = {}
            for r in mine:
                hashes = r.code_hashes
                if r.wave_id == wave.pk and isinstance(hashes, list) and len(hashes) == width:
                    codes[r.pk] = tuple(h if isinstance(h, str) else None for h in hashes)
            coded.append(codes)
        chains = linking.link_waves(coded, max_mismatches=allowed).chains
        person_of: dict[int, str] = {}
        for chain in chains:
            number += 1
            for pk in chain:
                if pk is not None:
                    person_of[pk] = f"L{number}"
        for r in mine:
            if r.pk not in person_of:  # no usable code: a person of their own
                number += 1
                person_of[r.pk] = f"L{number}"
            r.person = person_of[r.pk]


def _organisations(
    plan: EvaluationPlan, responses: Iterable[_Answer]
) -> dict[int, tuple[str, str]]:
    """Name and sector of the organisations the answers' covariates name by id (one query)."""
    ids: set[int] = set()
    for response in responses:
        found = _organisation_id(response.covariates.get("organisation"))
        if found is not None:
            ids.add(found)
    if not ids:
        return {}
    return {
        pk: (name, sector)
        for pk, name, sector in Organisation.objects.filter(
            partnership_id=plan.partnership_id, pk__in=ids
        ).values_list("pk", "name", "sector")
    }


def _organisation_id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# Covariates -------------------------------------------------------------------------------------


def _covariates_by_person(data: _PlanData) -> dict[str, dict[str, Any]]:
    """Each person's covariates (worked out once per reading of the plan)."""
    if data.covariates is None:
        data.covariates = _work_out_covariates(data)
    return data.covariates


def _work_out_covariates(data: _PlanData) -> dict[str, dict[str, Any]]:
    """Each person's covariates: from their baseline answers (or, failing that, the earliest
    answers that have any), falling back to their booking, membership and organisation."""
    order = {w.pk: n for n, w in enumerate(data.waves)}
    chosen: dict[str, _Answer] = {}
    for response in sorted(data.responses, key=lambda r: (order[r.wave_id], r.pk)):
        if response.covariates and response.person not in chosen:
            chosen[response.person] = response
    known: dict[str, _Person] = {}
    for response in data.responses:
        if response.respondent_id is not None and response.person not in known:
            found = data.respondents.get(response.respondent_id)
            if found is not None:
                known[response.person] = found
    people = {r.person for r in data.responses}
    result: dict[str, dict[str, Any]] = {}
    for person in people:
        facts = known.get(person) or _Person(group="")
        stated = chosen[person].covariates if person in chosen else {}
        organisation, sector = facts.organisation, facts.sector
        raw_org = stated.get("organisation")
        org_id = _organisation_id(raw_org)
        if org_id is not None and org_id in data.organisations:
            organisation, sector = data.organisations[org_id][0], data.organisations[org_id][1]
        elif isinstance(raw_org, str) and raw_org.strip() and org_id is None:
            organisation = "" if raw_org.strip() == "not_listed" else raw_org.strip()
        stated_sector = stated.get("sector")
        if isinstance(stated_sector, str) and stated_sector.strip():
            sector = stated_sector.strip()
        stated_role = stated.get("role")
        role = (
            stated_role.strip()
            if isinstance(stated_role, str) and stated_role.strip()
            else facts.role
        )
        prior = stated.get("prior_training")
        result[person] = {
            "organisation": organisation,
            "sector": sector,
            "role": role,
            "format": facts.format,
            "session_id": _float(facts.session_id),
            "course_id": _float(facts.course_id),
            "years_in_role": _float(stated.get("years_in_role")),
            "prior_training": str(prior).strip() if prior not in (None, "") else "",
        }
    return result


def _float(value: object) -> float:
    if value is None or isinstance(value, bool):
        return math.nan
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


# Scoring ----------------------------------------------------------------------------------------


class _Scorer:
    """Scores one instrument's answers in every version they were given in.

    Each item's score is worked out (``scoring.clean_answer`` and ``item_score``) once per
    distinct answer and remembered, and subscales are worked out for all responses at once with
    numpy, so thousands of responses cost dictionary lookups rather than thousands of checks.
    The rules are scoring.score_subscale's: the mean of the item scores, or their sum (the mean
    times the number of items when some are missing), NaN with fewer than ``min_answered``."""

    def __init__(self, plan: EvaluationPlan, instrument_id: str) -> None:
        self.instrument_id = instrument_id
        self.versions: dict[int, Instrument] = {
            i.version: i for i in all_instruments(plan.partnership_id) if i.id == instrument_id
        }
        self.latest = self.versions[max(self.versions)] if self.versions else None
        newest_first = sorted(self.versions.values(), key=lambda i: -i.version)
        items: dict[str, None] = {}
        subscales: dict[str, None] = {}
        for instrument in newest_first:
            scored = {i for s in instrument.subscales for i in s.item_ids}
            if instrument.total is not None:
                scored.update(instrument.total.item_ids)
            items.update((item.id, None) for item in instrument.items if item.id in scored)
            subscales.update((s.id, None) for s in instrument.subscales)
        # Every scored item id (the latest version's order, then older versions' others).
        self.item_ids = list(items)
        self.subscale_ids = list(subscales)
        self._tables: dict[int, list[tuple[str, dict[Hashable, float]]]] = {}

    def instrument(self, stated: object) -> Instrument | None:
        if isinstance(stated, int) and not isinstance(stated, bool) and stated in self.versions:
            return self.versions[stated]
        # TIP's own instruments have one version; a version not stated is read as the latest.
        return self.latest if (stated is None or len(self.versions) == 1) else None

    def _table(self, instrument: Instrument) -> list[tuple[str, dict[Hashable, float]]]:
        found = self._tables.get(instrument.version)
        if found is None:
            mine = {item.id for item in instrument.items}
            found = [(item_id, {}) for item_id in self.item_ids if item_id in mine]
            self._tables[instrument.version] = found
        return found

    def matrix(self, responses: list[_Answer]) -> tuple[np.ndarray, list[Instrument | None]]:
        """Item scores, one row per response and one column per ``item_ids`` (NaN where
        missing), and the instrument version each response was scored in."""
        position = {item_id: n for n, item_id in enumerate(self.item_ids)}
        rows: list[list[float]] = []
        used: list[Instrument | None] = []
        nan = math.nan
        for response in responses:
            instrument = self.instrument(response.version)
            used.append(instrument)
            row = [nan] * len(self.item_ids)
            rows.append(row)
            if instrument is None:
                continue
            answers = response.stored
            for item_id, memo in self._table(instrument):
                raw = answers.get(item_id)
                if raw is None:
                    continue
                try:
                    value = memo.get(raw)
                except TypeError:  # a list: not a scored answer
                    continue
                if value is None:
                    value = _score_one(instrument, item_id, raw)
                    memo[raw] = value
                row[position[item_id]] = value
        matrix = np.array(rows, dtype=float).reshape(len(rows), len(self.item_ids))
        return matrix, used

    def scores(
        self, matrix: np.ndarray, used: list[Instrument | None]
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The total and each subscale for every row of ``matrix``."""
        n = matrix.shape[0]
        total = np.full(n, np.nan)
        parts = {s: np.full(n, np.nan) for s in self.subscale_ids}
        position = {item_id: i for i, item_id in enumerate(self.item_ids)}
        for version, instrument in self.versions.items():
            rows = np.array([u is not None and u.version == version for u in used], dtype=bool)
            if not rows.any():
                continue
            block = matrix[rows]
            if instrument.total is not None:
                total[rows] = _subscale_values(instrument.total, block, position)
            for subscale in instrument.subscales:
                parts[subscale.id][rows] = _subscale_values(subscale, block, position)
        return total, parts


def _score_one(instrument: Instrument, item_id: str, raw: object) -> float:
    item = instrument.item(item_id)
    try:
        cleaned = clean_answer(item, raw)
    except AnswerError:
        return math.nan  # an answer the scale does not accept counts as missing
    found = item_score(item, cleaned)
    return math.nan if found is None else float(found)


def _subscale_values(
    subscale: Subscale, block: np.ndarray, position: Mapping[str, int]
) -> np.ndarray:
    """As scoring.score_subscale, for many responses at once."""
    columns = [position[i] for i in subscale.item_ids if i in position]
    values = block[:, columns] if columns else np.empty((block.shape[0], 0))
    answered = (~np.isnan(values)).sum(axis=1)
    sums = np.nansum(values, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / answered
    if subscale.method == Method.MEAN:
        result = mean
    else:
        result = np.where(answered == len(subscale.item_ids), sums, mean * len(subscale.item_ids))
    enough = (answered > 0) & (answered >= subscale.min_answered)
    return np.where(enough, result, np.nan)


def _artic(stored: Mapping[str, Any]) -> tuple[float, dict[str, float]]:
    """Imported ARTIC scores (imports.py): the total and each subscale by its name."""
    total = _float(stored.get("total"))
    subscales = stored.get("subscales")
    found: dict[str, float] = {}
    if isinstance(subscales, dict):
        for name, value in subscales.items():
            found[str(name)] = _float(value)
    return total, found


# The frames -------------------------------------------------------------------------------------


def _wave_columns(data: _PlanData) -> dict[int, dict[str, Any]]:
    return {
        w.pk: {
            "wave": w.name,
            "wave_id": w.pk,
            "wave_kind": w.kind,
            "wave_offset": w.offset_days,
            "wave_order": n,
        }
        for n, w in enumerate(data.waves)
    }


def scores_frame(
    plan: EvaluationPlan, instrument_id: str, *, scope: Scope | None = None
) -> pd.DataFrame:
    """One row per submitted response of the plan (within the scope) that has answers to the
    instrument, with the columns ``SCORE_COLUMNS`` then ``subscale:<id>`` for each subscale.

    ``score`` is the instrument's total; an instrument without one (tip-kac: a count of correct
    answers and two means cannot be added up) has NaN there: analyse a ``subscale:`` column.
    Imported ARTIC scores (``instrument_id="artic"``) give their total and each subscale by the
    name the scorer's file used. Covariates are the person's own answers at baseline, falling
    back to their booking, membership and organisation; a comparison respondent has no format,
    session or course."""
    return _scores(_read(plan, scope, instrument_id), instrument_id).drop(columns=["pk"])


@dataclass
class _Scored:
    """One instrument's answers scored item by item: the responses with answers to it, the
    scorer (None for imported ARTIC scores, which have no items), the item-score matrix (a row
    per response) and the version each response was scored in."""

    responses: list[_Answer]
    scorer: _Scorer | None
    matrix: np.ndarray
    used: list[Instrument | None]


def _scored(data: _PlanData, instrument_id: str) -> _Scored:
    mine = [r for r in data.responses if r.stored]
    if instrument_id == ARTIC:
        return _Scored(mine, None, np.empty((len(mine), 0)), [])
    scorer = _Scorer(data.plan, instrument_id)
    matrix, used = scorer.matrix(mine)
    return _Scored(mine, scorer, matrix, used)


def _scores(data: _PlanData, instrument_id: str, scored: _Scored | None = None) -> pd.DataFrame:
    """scores_frame's frame with the response's ``pk`` as an extra first column."""
    if scored is None:
        scored = _scored(data, instrument_id)
    mine = scored.responses
    columns = _id_columns(data, mine, with_covariates=True)
    extra: dict[str, Any] = {}
    if scored.scorer is None:
        parsed = [_artic(r.stored) for r in mine]
        names = sorted({name for _, parts in parsed for name in parts})
        columns["score"] = [total for total, _ in parsed]
        extra = {
            subscale_column(name): [parts.get(name, math.nan) for _, parts in parsed]
            for name in names
        }
    else:
        total, parts = scored.scorer.scores(scored.matrix, scored.used)
        columns["score"] = total
        extra = {subscale_column(s): parts[s] for s in scored.scorer.subscale_ids}
    frame = pd.DataFrame({**columns, **extra})
    return _typed(frame, extra)


def _id_columns(
    data: _PlanData, responses: list[_Answer], *, with_covariates: bool
) -> dict[str, Any]:
    waves = _wave_columns(data)
    columns: dict[str, Any] = {
        "pk": [r.pk for r in responses],
        "person": [r.person for r in responses],
        "group": [r.group for r in responses],
    }
    names = SCORE_COLUMNS[2:7] if with_covariates else ("wave", "wave_id")
    for name in names:
        columns[name] = [waves[r.wave_id][name] for r in responses]
    if with_covariates:
        covariates = _covariates_by_person(data)
        for name in SCORE_COLUMNS[7:-1]:
            columns[name] = [covariates[r.person][name] for r in responses]
    return columns


def _typed(frame: pd.DataFrame, extra: Mapping[str, Any]) -> pd.DataFrame:
    """Fixed column types, also for an empty frame (so analyses can rely on them)."""
    types: dict[str, str] = {
        "pk": "int64",
        "person": "object",
        "group": "object",
        "wave": "object",
        "wave_id": "int64",
        "wave_kind": "object",
        "wave_offset": "int64",
        "wave_order": "int64",
        "organisation": "object",
        "sector": "object",
        "role": "object",
        "format": "object",
        "session_id": "float64",
        "course_id": "float64",
        "years_in_role": "float64",
        "prior_training": "object",
        "score": "float64",
    }
    types.update(dict.fromkeys(extra, "float64"))
    return frame.astype({k: v for k, v in types.items() if k in frame.columns})


def items_frame(
    plan: EvaluationPlan,
    instrument_id: str,
    *,
    wave_id: int | None = None,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """One row per submitted response with the instrument (at ``wave_id`` when given): the
    columns ``ID_COLUMNS``, then one float column per scored item id (reverse scoring applied,
    a knowledge item 1 or 0, NaN where missing or not applicable). Imported ARTIC scores have no
    items: only the id columns."""
    data = _read(plan, scope, instrument_id)
    return _items(data, _scored(data, instrument_id), wave_id)


def _items(data: _PlanData, scored: _Scored, wave_id: int | None) -> pd.DataFrame:
    """items_frame's frame from an instrument's scored answers."""
    keep = np.array([wave_id is None or r.wave_id == wave_id for r in scored.responses], dtype=bool)
    mine = [r for r, kept in zip(scored.responses, keep, strict=True) if kept]
    columns = _id_columns(data, mine, with_covariates=False)
    del columns["pk"]
    item_columns: dict[str, Any] = {}
    if scored.scorer is not None:
        matrix = scored.matrix[keep] if len(keep) else scored.matrix
        item_columns = {item_id: matrix[:, n] for n, item_id in enumerate(scored.scorer.item_ids)}
    frame = pd.DataFrame({**columns, **item_columns})
    return frame.astype({"wave_id": "int64", **dict.fromkeys(item_columns, "float64")})


def flow_frame(
    plan: EvaluationPlan,
    *,
    scope: Scope | None = None,
    instrument_id: str | None = None,
    measure: str = "score",
) -> pd.DataFrame:
    """Per wave (in order) and group: ``invited`` (invitations sent, plus answers imported
    without one: those people were asked outside TIP), ``responded`` (submitted responses),
    ``linked`` (responses of a person who also answered the baseline; at the baseline, everyone
    who responded) and ``analysed`` (linked, with a score at this wave and at the baseline).

    "A score" is ``measure`` (``score`` or ``subscale:<id>``) of ``instrument_id`` when one is
    given — use the instrument's total, or for one without (tip-kac) a subscale; without an
    instrument, any answers at all. A group is listed when the plan has a comparison group or
    anyone answered in it."""
    data = _read(plan, scope, instrument_id)
    frame = _scores(data, instrument_id) if instrument_id is not None else None
    return _flow(data, frame, instrument_id, measure)


def _flow(
    data: _PlanData, frame: pd.DataFrame | None, instrument_id: str | None, measure: str
) -> pd.DataFrame:
    """flow_frame's counts, from the plan's answers and (with an instrument) its scores frame
    with the responses' ``pk`` (``_scores``)."""
    plan = data.plan
    groups = [Group.TRAINED.value]
    if plan.comparison_group or any(r.group == Group.COMPARISON for r in data.responses):
        groups.append(Group.COMPARISON.value)

    invited: dict[tuple[int, str], set[str]] = defaultdict(set)
    invitations = Invitation.objects.filter(
        wave__plan=plan, partnership_id=plan.partnership_id
    ).exclude(status__in=_NOT_SENT)
    for respondent_id, wave_id, group in invitations.values_list(
        "respondent_id", "wave_id", "respondent__group"
    ):
        if data.in_scope(respondent_id, group):
            invited[(wave_id, group)].add(f"I{respondent_id}")

    scored: dict[int, bool]
    if frame is not None:
        if measure not in frame.columns:
            raise ValueError(f"The instrument {instrument_id!r} has no score {measure!r}.")
        scored = dict(zip(frame["pk"].tolist(), frame[measure].notna().tolist(), strict=True))
    else:
        scored = {r.pk: r.answered for r in data.responses}

    scored_at_baseline: dict[str, bool] = {}
    for r in data.responses:
        if r.wave_id == data.baseline_id:
            earlier = scored_at_baseline.get(r.person, False)
            scored_at_baseline[r.person] = earlier or scored.get(r.pk, False)

    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in data.responses:
        if r.invitation_id is None:  # imported: asked outside TIP
            key = f"I{r.respondent_id}" if r.respondent_id is not None else f"X{r.pk}"
            invited[(r.wave_id, r.group)].add(key)
        found = counts[(r.wave_id, r.group)]
        found[0] += 1
        if r.person in scored_at_baseline:
            found[1] += 1
            if scored_at_baseline[r.person] and scored.get(r.pk, False):
                found[2] += 1

    rows: dict[str, list[Any]] = {name: [] for name in FLOW_COLUMNS}
    for wave in data.waves:
        for group in groups:
            responded, linked, analysed = counts[(wave.pk, group)]
            rows["wave"].append(wave.name)
            rows["wave_id"].append(wave.pk)
            rows["wave_kind"].append(wave.kind)
            rows["group"].append(group)
            rows["invited"].append(len(invited[(wave.pk, group)]))
            rows["responded"].append(responded)
            rows["linked"].append(linked)
            rows["analysed"].append(analysed)
    return pd.DataFrame(rows).astype(
        {name: "int64" for name in ("wave_id", "invited", "responded", "linked", "analysed")}
    )


# Every frame of a plan from one reading ----------------------------------------------------------


class PlanFrames:
    """Every frame of one plan (within a scope) from a single reading of its answers.

    ``scores_frame``, ``items_frame`` and ``flow_frame`` each read and score the plan's answers
    afresh; a report needs all three for every instrument, and at ten thousand participants the
    reading (and decoding each response's answers) is most of the work. Here the plan's waves,
    respondents and every response's answers are read once (a fixed number of queries), and
    each instrument's answers are scored once and kept for its frames. The frames are the same
    as the functions' (each call returns a new frame, so a caller may change it freely)."""

    def __init__(self, plan: EvaluationPlan, scope: Scope | None = None) -> None:
        self.plan = plan
        self.scope = scope
        self._data = _read(plan, scope, every=True)
        self._narrow: dict[str, _PlanData] = {}
        self._scored: dict[str, _Scored] = {}
        self._scores: dict[str, pd.DataFrame] = {}

    def _instrument(self, instrument_id: str) -> tuple[_PlanData, _Scored]:
        if instrument_id not in self._narrow:
            data = _narrowed(self._data, instrument_id)
            self._narrow[instrument_id] = data
            self._scored[instrument_id] = _scored(data, instrument_id)
        return self._narrow[instrument_id], self._scored[instrument_id]

    def _scores_with_pk(self, instrument_id: str) -> pd.DataFrame:
        if instrument_id not in self._scores:
            data, scored = self._instrument(instrument_id)
            self._scores[instrument_id] = _scores(data, instrument_id, scored)
        return self._scores[instrument_id]

    def scores(self, instrument_id: str) -> pd.DataFrame:
        """As ``scores_frame(plan, instrument_id, scope=scope)``."""
        return self._scores_with_pk(instrument_id).drop(columns=["pk"])

    def items(self, instrument_id: str, *, wave_id: int | None = None) -> pd.DataFrame:
        """As ``items_frame(plan, instrument_id, wave_id=wave_id, scope=scope)``."""
        data, scored = self._instrument(instrument_id)
        return _items(data, scored, wave_id)

    def flow(self, *, instrument_id: str | None = None, measure: str = "score") -> pd.DataFrame:
        """As ``flow_frame(plan, scope=scope, instrument_id=instrument_id, measure=measure)``."""
        if instrument_id is None:
            return _flow(self._data, None, None, measure)
        data, _scored_answers = self._instrument(instrument_id)
        return _flow(data, self._scores_with_pk(instrument_id), instrument_id, measure)


def plan_frames(plan: EvaluationPlan, scope: Scope | None = None) -> PlanFrames:
    """The plan's frames (within the scope) from one reading: see ``PlanFrames``."""
    return PlanFrames(plan, scope)


def _narrowed(data: _PlanData, instrument_id: str) -> _PlanData:
    """The plan's answers as ``_read(plan, scope, instrument_id)`` reads them, picked out of a
    reading of every instrument's (``_read(..., every=True)``). The people, their covariates and
    organisations do not depend on the instrument, so they are shared."""
    if data.covariates is None:
        data.covariates = _work_out_covariates(data)
    responses: list[_Answer] = []
    for r in data.responses:
        every_answer = r.every_answer or {}
        stored = every_answer.get(instrument_id)
        if not isinstance(stored, dict):
            stored = {}
        responses.append(
            _Answer(
                r.pk,
                r.respondent_id,
                r.invitation_id,
                r.wave_id,
                r.group,
                stored,
                (r.every_version or {}).get(instrument_id),
                bool(stored),
                r.covariates,
                r.code_hashes,
                r.person,
            )
        )
    return replace(data, responses=responses)
