"""The training part of the JSON API, under /api/training.

One router for the app, registered from TrainingConfig.ready() through core's `register_router`;
each area attaches its operations to it from its own module (api_courses.py, ...), imported
before the router is registered. The same services as the pages do the work, so the API refuses
what the pages refuse, with the same messages, and writes the same audit entries.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["training"])
