from django.urls import include, path

from tip.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<int:programme_id>/", views.plan, name="plan"),
    path("programmes/<int:programme_id>/plan/", views.plan_edit, name="plan-edit"),
    path("programmes/<int:programme_id>/waves/new/", views.wave_create, name="wave-create"),
    path("waves/<int:wave_id>/", views.wave_edit, name="wave-edit"),
    path("waves/<int:wave_id>/remove/", views.wave_remove, name="wave-remove"),
    path(
        "programmes/<int:programme_id>/measures/new/",
        views.measure_create,
        name="measure-create",
    ),
    path("measures/<int:measure_id>/", views.measure_edit, name="measure-edit"),
    path("measures/<int:measure_id>/remove/", views.measure_remove, name="measure-remove"),
    path("", include("tip.evaluation.urls_imports")),
    path("", include("tip.evaluation.urls_observations")),
    path("", include("tip.evaluation.urls_exports")),
    path("", include("tip.evaluation.urls_reports")),
    path("", include("tip.evaluation.urls_survey")),
    path("", include("tip.evaluation.urls_invitations")),
    path("", include("tip.evaluation.urls_instruments")),
    path("", include("tip.evaluation.urls_coding")),
]
