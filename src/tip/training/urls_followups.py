from django.urls import path

from tip.training import views_followups as views

urlpatterns = [
    path(
        "courses/<int:course_id>/follow-up-invitations/",
        views.course_invitations,
        name="course-follow-up-invitations",
    ),
    path(
        "follow-up-invitations/<int:invitation_id>/",
        views.invitation,
        name="follow-up-invitation",
    ),
]
