from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguageConfig(AppConfig):
    """The trauma-informed language checker's web layer: the page where a practitioner pastes
    text and sees each finding explained, the API, the JSON the live hints read, and each
    partnership's own rules, silenced rules, allowed phrases and "not relevant here" counts.

    The engine (``checker``) is pure Python with no Django import. May import `core`; nothing
    imports `language` except through its services (the hints on other apps' forms)."""

    name = "tip.language"
    label = "language"
    verbose_name = _("Language checker")

    def ready(self) -> None:
        from django.core import checks

        from tip.core.api import register_router
        from tip.core.extensions import Section, register_demo_seeder, register_section
        from tip.core.roles import register_capability
        from tip.language.api import router
        from tip.language.demo import seed_demo_language
        from tip.language.roles import (
            MANAGE_LANGUAGE_RULES,
            MANAGE_ROLES,
            USE_LANGUAGE_CHECKER,
            USE_ROLES,
        )
        from tip.language.system_checks import rule_files

        checks.register(rule_files)
        register_capability(
            USE_LANGUAGE_CHECKER,
            USE_ROLES,
            _("Check your wording with the trauma-informed language checker"),
        )
        register_capability(
            MANAGE_LANGUAGE_RULES,
            MANAGE_ROLES,
            _(
                "Set the language checker's rules for the partnership: its own rules, silenced "
                "rules and allowed phrases"
            ),
        )
        register_section(
            Section(
                "language:check",
                _("Language checker"),
                _(
                    "Paste a case note or a form's text: see wording that may harm, why, and "
                    "what to write instead."
                ),
                USE_LANGUAGE_CHECKER,
                25,
            )
        )
        register_section(
            Section(
                "language:settings",
                _("Language checker settings"),
                _(
                    "The partnership's own language rules, silenced rules, allowed phrases, "
                    "and which rules people mark as not relevant."
                ),
                MANAGE_LANGUAGE_RULES,
                26,
                in_navigation=False,
            )
        )
        register_router("/language", router)
        register_demo_seeder(seed_demo_language)

        # Hints on every free-text field in TIP's forms (see tip.language.hints).
        from tip.language import hints

        hints.register()
