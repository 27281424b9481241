"""The demo's qualitative coding: a codebook, every demo text coded, a double-coded sample whose
agreement page shows a kappa below 1 (the two coders differ a little); seeding again changes
nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from tests.conftest import signed_in_client
from tip.core.models import User
from tip.evaluation import selectors_coding
from tip.evaluation.demo_coding import EVALUATOR, RULES, SAMPLE_SIZE
from tip.evaluation.models import EvaluationPlan
from tip.evaluation.models_coding import Code, Coding
from tip.programmes.demo import LEAD, NAME


@pytest.mark.django_db
def test_the_demo_codes_its_texts_and_double_codes_a_sample_once() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo qualitative coding created" in out.getvalue()
    plan = EvaluationPlan.objects.get(programme__name=NAME)
    assert Code.objects.filter(plan=plan).count() == len(RULES) + 2  # and two themes
    texts = selectors_coding.texts(plan)
    assert len(texts) >= SAMPLE_SIZE
    evaluator = User.objects.get(email=EVALUATOR)
    lead = User.objects.get(email=LEAD)
    assert Coding.objects.filter(plan=plan, coder=evaluator).count() == len(texts)
    assert Coding.objects.filter(plan=plan, coder=lead).count() == SAMPLE_SIZE
    assert len(selectors_coding.sample_keys(plan)) == SAMPLE_SIZE

    page = signed_in_client(evaluator).get(
        f"/evaluation/programmes/{plan.programme_id}/coding/agreement/",
        {"first": evaluator.pk, "second": lead.pk},
    )
    assert page.status_code == 200
    kappas = [float(k) for k in re.findall(r"0\.\d{2}", page.content.decode())]
    assert kappas and min(kappas) < 1

    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "Demo qualitative coding already there." in again.getvalue()
    assert Coding.objects.filter(plan=plan).count() == len(texts) + SAMPLE_SIZE
