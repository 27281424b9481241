from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    """Sharing beyond the partnership: a partnership shares a programme's aggregated results
    (no person-level data, small counts suppressed), and national analysts, who belong to no
    partnership, see the shared aggregates pooled by random-effects meta-analysis.

    May import `core`, `programmes`, `training` and `evaluation`; nothing imports `national`."""

    name = "tip.national"
    label = "national"
    verbose_name = _("National view")

    def ready(self) -> None:
        from tip.core.extensions import (
            Section,
            register_demo_seeder,
            register_home,
            register_section,
        )
        from tip.core.roles import register_capability
        from tip.national.access import national_home
        from tip.national.demo import seed_demo_national
        from tip.national.roles import SHARE_AGGREGATES, SHARE_ROLES

        register_capability(
            SHARE_AGGREGATES,
            SHARE_ROLES,
            _("Share programmes' aggregated evaluation results with national analysts"),
        )
        register_section(
            Section(
                "national:share-list",
                _("Sharing"),
                _("Share programmes' aggregated results with national analysts."),
                SHARE_AGGREGATES,
                19,
                in_navigation=False,
            )
        )
        register_demo_seeder(seed_demo_national)
        register_home(national_home)
