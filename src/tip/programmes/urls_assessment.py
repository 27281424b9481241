from django.urls import path

from tip.programmes import views_assessment as views

urlpatterns = [
    path("self-assessment/", views.assessment_overview, name="assessment-overview"),
    path("self-assessment/export.csv", views.assessment_export, name="assessment-export"),
    path(
        "self-assessment/organisations/<int:organisation_id>/",
        views.assessment_history,
        name="assessment-history",
    ),
    path(
        "self-assessment/organisations/<int:organisation_id>/new/",
        views.assessment_record,
        name="assessment-record",
    ),
]
