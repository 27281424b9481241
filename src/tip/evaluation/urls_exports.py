"""The export pages' addresses (included from urls.py, in the evaluation namespace)."""

from django.urls import path

from tip.evaluation import views_exports as views

urlpatterns = [
    path("programmes/<int:programme_id>/export/", views.export_page, name="export"),
    path(
        "programmes/<int:programme_id>/export/answers.csv",
        views.export_answers,
        name="export-answers",
    ),
    path(
        "programmes/<int:programme_id>/export/observations.csv",
        views.export_observations,
        name="export-observations",
    ),
    path(
        "programmes/<int:programme_id>/export/package.zip",
        views.export_package,
        name="export-package",
    ),
]
