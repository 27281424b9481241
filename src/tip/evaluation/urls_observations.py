"""The observation pages' addresses (included from urls.py, in the evaluation namespace)."""

from django.urls import path

from tip.evaluation import views_observations as views

urlpatterns = [
    path(
        "programmes/<int:programme_id>/observations/",
        views.observation_list,
        name="observation-list",
    ),
    path(
        "programmes/<int:programme_id>/observations/new/",
        views.observation_create,
        name="observation-create",
    ),
    path("observations/<int:observation_id>/", views.observation_detail, name="observation"),
    path(
        "observations/<int:observation_id>/change/",
        views.observation_edit,
        name="observation-edit",
    ),
    path(
        "observations/<int:observation_id>/remove/",
        views.observation_remove,
        name="observation-remove",
    ),
]
