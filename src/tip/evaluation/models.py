"""Evaluation's models, one module per area, gathered here for Django: the plan (models_plan),
collecting the data (models_collection) and partnerships' own instruments (models_instruments)."""

from __future__ import annotations

from tip.evaluation.models_collection import *  # noqa: F403
from tip.evaluation.models_instruments import *  # noqa: F403
from tip.evaluation.models_plan import *  # noqa: F403
