"""The pages for survey invitations, comparison cohorts and response rates (included from
urls.py, in the evaluation namespace)."""

from django.urls import path

from tip.evaluation import views_invitations as views

urlpatterns = [
    path("programmes/<int:programme_id>/rates/", views.rates, name="rates"),
    path("programmes/<int:programme_id>/invitations/", views.invitations, name="invitations"),
    path("programmes/<int:programme_id>/cohorts/", views.cohort_list, name="cohort-list"),
    path("programmes/<int:programme_id>/cohorts/new/", views.cohort_create, name="cohort-create"),
    path("cohorts/<int:cohort_id>/", views.cohort_edit, name="cohort-edit"),
    path("cohorts/<int:cohort_id>/remove/", views.cohort_remove, name="cohort-remove"),
    path("cohorts/<int:cohort_id>/members/", views.cohort_members, name="cohort-members"),
    path("cohorts/<int:cohort_id>/members/emails/", views.cohort_emails, name="cohort-emails"),
    path(
        "cohort-members/<int:respondent_id>/remove/",
        views.cohort_member_remove,
        name="cohort-member-remove",
    ),
]
