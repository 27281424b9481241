"""Routes for the PDF, PNG and spreadsheet exports; `urls` adds them to the app's."""

from django.urls import path

from tip.programmes import views_exports

urlpatterns = [
    path(
        "<int:programme_id>/export.pdf",
        views_exports.programme_export_pdf,
        name="programme-export-pdf",
    ),
    path(
        "<int:programme_id>/diagram.png",
        views_exports.programme_export_png,
        name="programme-export-png",
    ),
    path(
        "<int:programme_id>/export.xlsx",
        views_exports.programme_export_xlsx,
        name="programme-export-xlsx",
    ),
]
