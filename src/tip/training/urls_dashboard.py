from django.urls import path

from tip.training import views_dashboard as views

urlpatterns = [
    path("dashboards/", views.dashboard_list, name="dashboard-list"),
    path(
        "programmes/<int:programme_id>/dashboard/",
        views.programme_dashboard,
        name="programme-dashboard",
    ),
    path(
        "programmes/<int:programme_id>/targets/",
        views.programme_targets,
        name="programme-targets",
    ),
    path("targets/<int:target_id>/", views.target_edit, name="target-edit"),
    path("targets/<int:target_id>/remove/", views.target_remove, name="target-remove"),
]
