from django.urls import path

from tip.programmes import views_details as views

urlpatterns = [
    path("<int:programme_id>/details/", views.programme_details_edit, name="details-edit"),
    path("<int:programme_id>/phases/", views.programme_phases, name="phases-edit"),
    path("<int:programme_id>/governance/", views.governance, name="governance"),
    path("<int:programme_id>/co-design/", views.codesign_list, name="codesign-list"),
    path("<int:programme_id>/governance/owner/", views.programme_sro, name="sro-edit"),
    path(
        "<int:programme_id>/governance/board/new/",
        views.board_member_create,
        name="board-member-create",
    ),
    path(
        "<int:programme_id>/governance/board/<int:board_member_id>/remove/",
        views.board_member_delete,
        name="board-member-delete",
    ),
    path(
        "<int:programme_id>/governance/leads/new/",
        views.organisation_lead_create,
        name="organisation-lead-create",
    ),
    path(
        "<int:programme_id>/governance/leads/<int:lead_id>/remove/",
        views.organisation_lead_delete,
        name="organisation-lead-delete",
    ),
    path("<int:programme_id>/co-design/new/", views.codesign_create, name="codesign-create"),
    path(
        "<int:programme_id>/co-design/<int:activity_id>/remove/",
        views.codesign_delete,
        name="codesign-delete",
    ),
]
