"""What follow-up invitations add at start-up, called from TrainingConfig.ready(): the listener
on attendance registers, the readiness facts and the demo seeder. (Their API operations are
imported by apps.py before the training router is registered.)"""

from __future__ import annotations


def followups_ready() -> None:
    from tip.core.extensions import register_demo_seeder
    from tip.programmes.readiness import register_fact_provider
    from tip.training.demo_followups import seed_demo_followups
    from tip.training.readiness_followups import followup_facts
    from tip.training.services_attendance import register_attendance_listener
    from tip.training.services_followups import on_attendance

    register_attendance_listener(on_attendance)
    register_fact_provider(followup_facts)
    register_demo_seeder(seed_demo_followups)
