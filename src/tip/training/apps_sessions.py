"""The sessions part of TrainingConfig.ready(): the demo's venues and sessions. (Its API
operations are imported in apps.py before the training router is registered.)"""

from __future__ import annotations


def sessions_ready() -> None:
    from tip.core.extensions import register_demo_seeder
    from tip.training.demo_sessions import seed_demo_sessions

    register_demo_seeder(seed_demo_sessions)
