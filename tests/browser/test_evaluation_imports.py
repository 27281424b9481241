"""The import pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA checks, no
sideways scrolling at 320px in Welsh, no script errors."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.evaluation.plan_helpers import Planned
from tip.core.roles import Role
from tip.evaluation import imports, services_imports

pytestmark = pytest.mark.browser


def _staged(world: World, d: Planned, kind: str, data: bytes, mapping: list[str]) -> str:
    plan = d.programme.evaluation_plan
    wave = d.waves(plan)[-7]
    user = world.user(Role.EVALUATOR)
    staged = services_imports.import_stage(
        partnership=world.partnership,
        by=user,
        kind=kind,
        wave=wave,
        instrument_id="tip-kac" if kind == services_imports.RESPONSES else imports.ARTIC,
        version="1" if kind == services_imports.RESPONSES else "ARTIC-45",
        group="trained",
        table=imports.read_table(data),
    )
    services_imports.import_map(
        partnership=world.partnership,
        user=user,
        staged=staged,
        mapping=mapping,
        date_order=imports.AUTO,
    )
    return staged.key


@pytest.mark.parametrize("language", LANGUAGES)
def test_evaluation_import_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    d = Planned(world_a)
    plan = d.plan()
    d.measure(plan, offsets=(-7, 182))
    p = d.programme.pk
    good = _staged(
        world_a,
        d,
        services_imports.RESPONSES,
        b"n,date,a01\n1,2024-01-31,4\n2,2024-02-01,5\n",
        [imports.NUMBER, imports.DATE, "item:a01"],
    )
    bad = _staged(
        world_a,
        d,
        services_imports.RESPONSES,
        b"n,a01\n1,9\n1,4\n",
        [imports.NUMBER, "item:a01"],
    )
    artic = _staged(
        world_a,
        d,
        services_imports.SCORES,
        b"ID,ARTIC total,Underlying causes\n1,5.5,4\n",
        [imports.NUMBER, imports.ARTIC_TOTAL, imports.ARTIC_SUBSCALE],
    )
    page = open_page(user=world_a.user(Role.EVALUATOR), language=language)
    sweep(
        page,
        language,
        [
            (f"/evaluation/programmes/{p}/imports/new/", 200),
            (f"/evaluation/programmes/{p}/imports/artic/", 200),
            (f"/evaluation/imports/{good}/columns/", 200),
            (f"/evaluation/imports/{good}/preview/", 200),
            (f"/evaluation/imports/{bad}/preview/", 200),
            (f"/evaluation/imports/{artic}/columns/", 200),
            (f"/evaluation/imports/{artic}/preview/", 200),
            (f"/evaluation/imports/{good}/cancel/", 200),
        ],
    )
