"""Training delivery's models, one module per area, gathered here for Django."""

from __future__ import annotations
