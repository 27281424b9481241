from django.urls import path

from tip.language import views

app_name = "language"

urlpatterns = [
    path("", views.check_page, name="check"),
    path("check.json", views.check_json, name="check-json"),
    path("not-relevant/", views.feedback, name="feedback"),
    path("rules/", views.rules, name="rules"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/rules/new/", views.rule_create, name="rule-create"),
    path("settings/rules/<int:partnership_rule_id>/", views.rule_edit, name="rule-edit"),
    path(
        "settings/rules/<int:partnership_rule_id>/remove/",
        views.rule_remove,
        name="rule-remove",
    ),
    path("settings/silence/", views.silence, name="silence"),
    path("settings/silenced/<int:silenced_rule_id>/restore/", views.restore, name="restore"),
    path("settings/allow/", views.allow, name="allow"),
    path("settings/allowed/<int:allowed_phrase_id>/remove/", views.disallow, name="disallow"),
]
