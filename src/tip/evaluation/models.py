"""Evaluation's models, one module per area, gathered here for Django: the plan (models_plan),
collecting the data (models_collection), partnerships' own instruments (models_instruments)
and qualitative coding (models_coding)."""

from __future__ import annotations

from tip.evaluation.models_coding import *  # noqa: F403
from tip.evaluation.models_collection import *  # noqa: F403
from tip.evaluation.models_instruments import *  # noqa: F403
from tip.evaluation.models_plan import *  # noqa: F403
