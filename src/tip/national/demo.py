"""The demo's national view: three partnerships' aggregates of the same instrument (TIP's
knowledge, attitudes and confidence questionnaire, tip-kac), and a national analyst to see them
pooled.

* Northshire shares the aggregate of its sample programme, built from its demo answers
  (evaluation/demo_collection.py), with its name.
* Two more fictional partnerships, Eastvale and Westmoor, each get a programme and an evaluation
  plan (the default waves) and share an aggregate built by the same code from person-level scores
  made up in memory (``synthetic_scores``, a seeded ``numpy`` generator): nobody's answers are
  stored, only the aggregate. Eastvale agrees to be named; Westmoor does not, so it shows as
  "Partnership 1". Westmoor's comparison group is small, so its counts are suppressed.
* A national analyst account, national@analysis.example, with the demo password.

Idempotent: what exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from tip.core.models import Nation, Organisation, Partnership, Sector, User
from tip.evaluation import services as evaluation_services
from tip.evaluation.analysis.aggregate import InstrumentScores, build_aggregate
from tip.evaluation.analysis.instrument_model import TOTAL
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models import EvaluationPlan, Wave
from tip.national import services
from tip.national.models import NationalAnalyst, SharedAggregate
from tip.programmes import demo as programme_demo
from tip.programmes import services as programme_services
from tip.programmes.models import Programme

ANALYST_EMAIL = "national@analysis.example"
ANALYST_NAME = "Nia Rahman"
INSTRUMENT = "tip-kac"
# The share of each group answering each kind of wave (follow-ups by their offset).
RESPONSE = {"baseline": 0.92, "post": 0.8, 182: 0.5, 365: 0.35}


@dataclass(frozen=True)
class FictionalPartnership:
    name: str
    area: str
    nation: str
    lead_email: str
    lead_name: str
    programme: str
    organisations: tuple[tuple[str, str], ...]
    trained: int
    comparison: int
    effect: float  # the trained group's gain straight after, in baseline SDs
    seed: int
    named: bool


FICTIONAL = (
    FictionalPartnership(
        name="Eastvale Violence Reduction Unit",
        area="Eastvale",
        nation=Nation.ENGLAND,
        lead_email="lead@eastvale.example",
        lead_name="Tomasz Nowak",
        programme="Eastvale trauma-informed schools and policing",
        organisations=(
            ("Eastvale Police", Sector.POLICE),
            ("Eastvale Learning Trust", Sector.EDUCATION),
            ("Eastvale Youth Service", Sector.VOLUNTARY),
        ),
        trained=64,
        comparison=30,
        effect=0.55,
        seed=6101,
        named=True,
    ),
    FictionalPartnership(
        name="Westmoor Violence Reduction Unit",
        area="Westmoor",
        nation=Nation.ENGLAND,
        lead_email="lead@westmoor.example",
        lead_name="Priya Natarajan",
        programme="Westmoor trauma-informed practice for frontline staff",
        organisations=(
            ("Westmoor Children's Services", Sector.CHILDRENS_SERVICES),
            ("Westmoor Health Partnership", Sector.HEALTH),
            ("Westmoor Housing Association", Sector.HOUSING),
        ),
        trained=38,
        comparison=4,
        effect=0.3,
        seed=6102,
        named=False,
    ),
)


def synthetic_scores(
    rng: np.random.Generator,
    *,
    waves: list[tuple[int, str, str, int]],
    trained: int,
    comparison: int,
    effect: float,
    sectors: list[str],
) -> pd.DataFrame:
    """A made-up scores frame of tip-kac (as ``scores_frame`` gives it) for ``waves``
    (id, name, kind, offset): each person has a level of their own; the trained group gains
    ``effect`` baseline SDs straight after and keeps about half at follow-up; the comparison
    group barely moves. People answer each wave with the chances in ``RESPONSE``."""
    rows = []
    formats = ["in_person", "in_person", "virtual", "hybrid"]
    for i in range(trained + comparison):
        group = "trained" if i < trained else "comparison"
        level = rng.normal(0.0, 1.0)
        sector = sectors[int(rng.integers(len(sectors)))]
        form = formats[int(rng.integers(len(formats)))] if group == "trained" else ""
        for wave_id, name, kind, offset in waves:
            chance = RESPONSE.get(kind if kind != "follow_up" else offset, 0.3)
            if rng.random() > chance:
                continue
            gain = 0.0
            if group == "trained" and kind == "post":
                gain = effect
            elif group == "trained" and kind == "follow_up":
                gain = effect * 0.5
            elif kind != "baseline":
                gain = 0.05
            z = 0.75 * level + gain + rng.normal(0.0, 0.65)
            rows.append(
                {
                    "person": f"P{i}",
                    "group": group,
                    "wave": name,
                    "wave_id": wave_id,
                    "wave_kind": kind,
                    "wave_offset": offset,
                    "wave_order": 0,
                    "organisation": "",
                    "sector": sector,
                    "role": "",
                    "format": form,
                    "score": np.nan,
                    "subscale:knowledge": float(np.clip(np.round(8.5 + 2.4 * z), 0, 14)),
                    "subscale:attitudes": float(np.clip(3.5 + 0.55 * z, 1, 5)),
                    "subscale:confidence": float(np.clip(3.1 + 0.7 * z, 1, 5)),
                }
            )
    return pd.DataFrame(rows)


def _titles() -> tuple[str, int, dict[str, str]]:
    instrument = shipped_instrument(INSTRUMENT)
    titles = {TOTAL: instrument.title.en} | {s.id: s.title.en for s in instrument.subscales}
    return instrument.title.en, instrument.version, titles


def _fictional(spec: FictionalPartnership) -> bool:
    """Build one fictional partnership's programme, plan and shared aggregate; False when it is
    already shared."""
    partnership, _ = Partnership.objects.get_or_create(
        name=spec.name, defaults={"area": spec.area, "nation": spec.nation}
    )
    for name, sector in spec.organisations:
        Organisation.objects.get_or_create(
            partnership=partnership, name=name, defaults={"sector": sector}
        )
    lead = User.objects.filter(email=spec.lead_email).first()
    if lead is None:
        # No password: the account only signs the share; nobody signs in as it.
        lead = User.objects.create_user(spec.lead_email, None, full_name=spec.lead_name)
    programme = Programme.objects.filter(partnership=partnership, name=spec.programme).first()
    if programme is None:
        programme = programme_services.programme_create(
            partnership=partnership,
            name=spec.programme,
            aims="Staff across the partnership recognise and respond to trauma.",
            by=lead,
        )
    plan = EvaluationPlan.objects.filter(programme=programme).first()
    if plan is None:
        plan = evaluation_services.plan_create(
            programme=programme,
            comparison_group=spec.comparison > 0,
            comparison_description="Staff in neighbouring teams trained the following year.",
            by=lead,
        )
    if SharedAggregate.objects.filter(plan=plan).exists():
        return False
    waves = [
        (w.pk, w.name, w.kind, w.offset_days)
        for w in Wave.objects.filter(plan=plan).order_by("offset_days")
    ]
    frame = synthetic_scores(
        np.random.default_rng(spec.seed),
        waves=waves,
        trained=spec.trained,
        comparison=spec.comparison,
        effect=spec.effect,
        sectors=[sector for _name, sector in spec.organisations],
    )
    title, version, titles = _titles()
    payload = build_aggregate(
        [InstrumentScores(INSTRUMENT, version, title, frame, scale_titles=titles)],
        created=timezone.now().replace(microsecond=0).isoformat(),
        nation=str(spec.nation),
        comparison_group=spec.comparison > 0,
    )
    services.share(plan=plan, by=lead, named=spec.named, payload=payload)
    return True


def _northshire() -> bool:
    plan = (
        EvaluationPlan.objects.filter(
            partnership__name=programme_demo.PARTNERSHIP, programme__name=programme_demo.NAME
        )
        .select_related("partnership", "programme")
        .first()
    )
    lead = User.objects.filter(email=programme_demo.LEAD).first()
    if plan is None or lead is None or SharedAggregate.objects.filter(plan=plan).exists():
        return False
    services.share(plan=plan, by=lead, named=True)
    return True


def _analyst() -> None:
    from tip.core.management.commands.seed_demo import DEMO_PASSWORD

    user = User.objects.filter(email=ANALYST_EMAIL).first()
    if user is None:
        user = User.objects.create_user(ANALYST_EMAIL, DEMO_PASSWORD, full_name=ANALYST_NAME)
    NationalAnalyst.objects.get_or_create(
        user=user, defaults={"note": "Demo: fictional national analyst."}
    )


def seed_demo_national() -> str:
    from tip.core.management.commands.seed_demo import DEMO_PASSWORD

    with transaction.atomic():
        shared = int(_northshire())
        shared += sum(_fictional(spec) for spec in FICTIONAL)
        _analyst()
    total = SharedAggregate.objects.count()
    return (
        f"Demo national view: {shared} aggregate(s) shared now, {total} in all. National "
        f"analyst: {ANALYST_EMAIL} (password {DEMO_PASSWORD}, two-factor at first sign-in) "
        "sees them pooled: sign in at http://127.0.0.1:8000/accounts/sign-in/?next=/national/"
    )
