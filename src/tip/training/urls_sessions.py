from django.urls import path

from tip.training import views_sessions as views

urlpatterns = [
    path("venues/", views.venue_list, name="venue-list"),
    path("venues/new/", views.venue_create, name="venue-create"),
    path("venues/<int:venue_id>/edit/", views.venue_edit, name="venue-edit"),
    path("venues/<int:venue_id>/remove/", views.venue_delete, name="venue-delete"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/mine/", views.sessions_teaching, name="sessions-teaching"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session-detail"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:session_id>/parts/new/", views.part_create, name="session-part-create"),
    path(
        "sessions/<int:session_id>/parts/<int:session_part_id>/edit/",
        views.part_edit,
        name="session-part-edit",
    ),
    path(
        "sessions/<int:session_id>/parts/<int:session_part_id>/remove/",
        views.part_delete,
        name="session-part-delete",
    ),
    path(
        "sessions/<int:session_id>/trainers/new/",
        views.trainer_add,
        name="session-trainer-add",
    ),
    path(
        "sessions/<int:session_id>/trainers/<int:session_trainer_id>/remove/",
        views.trainer_remove,
        name="session-trainer-remove",
    ),
    path("sessions/<int:session_id>/publish/", views.session_publish, name="session-publish"),
    path("sessions/<int:session_id>/confirm/", views.session_confirm, name="session-confirm"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session-cancel"),
    path(
        "trainers/<int:trainer_id>/account/",
        views.trainer_account,
        name="trainer-account",
    ),
]
