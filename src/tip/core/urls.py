from django.urls import path

from tip.core.views import accounts, audit, language, organisations, pages, people, tokens

app_name = "core"

urlpatterns = [
    path("", pages.start, name="start"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("partnership/switch/", pages.partnership_switch, name="partnership-switch"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("cookies/", pages.cookies, name="cookies"),
    path("support/", pages.support, name="support"),
    # Accounts
    path("accounts/sign-in/", accounts.sign_in, name="sign-in"),
    path("accounts/sign-out/", accounts.sign_out, name="sign-out"),
    path("accounts/two-factor/", accounts.two_factor, name="two-factor"),
    path("accounts/two-factor/set-up/", accounts.two_factor_setup, name="two-factor-setup"),
    path("accounts/password-reset/", accounts.password_reset, name="password-reset"),
    path("accounts/password-reset/sent/", accounts.password_reset_done, name="password-reset-done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("accounts/reset/done/", accounts.password_reset_complete, name="password-reset-complete"),
    path("account/language/", language.account_language, name="account-language"),
    path("account/api-tokens/", tokens.api_tokens, name="api-tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        tokens.api_token_revoke,
        name="api-token-revoke",
    ),
    # Organisations
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/new/", organisations.organisation_create, name="organisation-create"),
    path(
        "organisations/<int:organisation_id>/",
        organisations.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "organisations/<int:organisation_id>/edit/",
        organisations.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "organisations/<int:organisation_id>/remove/",
        organisations.organisation_delete,
        name="organisation-delete",
    ),
    # People
    path("people/", people.person_list, name="person-list"),
    path("people/new/", people.person_add, name="person-add"),
    path("people/<int:membership_id>/", people.person_detail, name="person-detail"),
    path("people/<int:membership_id>/edit/", people.person_edit, name="person-edit"),
    path("people/<int:membership_id>/remove/", people.person_remove, name="person-remove"),
    # Audit
    path("audit/", audit.audit_log, name="audit-log"),
    path("audit/export.csv", audit.audit_export, name="audit-export"),
]
