"""What providers, trainers and clearances add at start-up, called from TrainingConfig.ready():
their API operations (on the training router, so before it is registered), the demo seeder and
the data-file check."""

from __future__ import annotations


def providers_ready() -> None:
    from django.core import checks

    import tip.training.api_providers  # noqa: F401  (adds its routes to the training router)
    from tip.core.extensions import register_demo_seeder
    from tip.training.demo_providers import seed_demo_providers
    from tip.training.system_checks_providers import provider_data_files

    register_demo_seeder(seed_demo_providers)
    checks.register(provider_data_files)
