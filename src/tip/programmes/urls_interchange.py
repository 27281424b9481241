"""Routes for downloading and importing a Theory of Change; `urls` adds them to the app's."""

from django.urls import path

from tip.programmes import views_interchange

urlpatterns = [
    path("import/", views_interchange.programme_import, name="programme-import"),
    path(
        "<int:programme_id>/export.json",
        views_interchange.programme_export_json,
        name="programme-export-json",
    ),
    path(
        "<int:programme_id>/export.csv",
        views_interchange.programme_export_csv,
        name="programme-export-csv",
    ),
]
