"""The import pages' routes (included from urls.py)."""

from django.urls import path

from tip.evaluation import views_imports as views

urlpatterns = [
    path("programmes/<int:programme_id>/imports/new/", views.import_start, name="import-start"),
    path("programmes/<int:programme_id>/imports/artic/", views.artic_start, name="artic-start"),
    path("imports/<slug:import_key>/columns/", views.import_columns, name="import-columns"),
    path("imports/<slug:import_key>/preview/", views.import_preview, name="import-preview"),
    path("imports/<slug:import_key>/cancel/", views.import_cancel, name="import-cancel"),
]
