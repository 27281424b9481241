"""Training delivery's models, one module per area, gathered here for Django."""

from __future__ import annotations

from tip.training.models_bookings import *  # noqa: F403
from tip.training.models_clearances import *  # noqa: F403
from tip.training.models_courses import *  # noqa: F403
from tip.training.models_delivery import *  # noqa: F403
from tip.training.models_followups import *  # noqa: F403
from tip.training.models_providers import *  # noqa: F403
from tip.training.models_sessions import *  # noqa: F403
