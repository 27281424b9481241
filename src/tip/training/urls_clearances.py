from django.urls import path

from tip.training import views_clearances as views

urlpatterns = [
    path("clearances/<int:clearance_id>/edit/", views.clearance_edit, name="clearance-edit"),
    path("clearances/<int:clearance_id>/remove/", views.clearance_delete, name="clearance-delete"),
    path("clearances/", views.clearance_settings, name="clearance-settings"),
    path("clearances/lead-times/", views.clearance_planning_edit, name="clearance-planning"),
    path("clearances/settings/new/", views.setting_create, name="setting-create"),
    path("clearances/settings/<int:setting_id>/edit/", views.setting_edit, name="setting-edit"),
    path(
        "clearances/settings/<int:setting_id>/remove/",
        views.setting_delete,
        name="setting-delete",
    ),
    path("clearances/planner/", views.planner, name="clearance-planner"),
]
