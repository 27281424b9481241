from django.urls import path

from tip.training import views_cascade

urlpatterns = [
    path(
        "courses/<int:course_id>/cascade/",
        views_cascade.course_cascade,
        name="course-cascade",
    ),
    path(
        "courses/<int:course_id>/cascade/certify/",
        views_cascade.certification_create,
        name="certification-create",
    ),
    path(
        "certifications/<int:certification_id>/remove/",
        views_cascade.certification_delete,
        name="certification-delete",
    ),
    path(
        "trainers/<int:trainer_id>/observations/",
        views_cascade.observation_list,
        name="trainer-observations",
    ),
    path(
        "trainers/<int:trainer_id>/observations/new/",
        views_cascade.observation_create,
        name="observation-create",
    ),
    path(
        "cascade/acknowledgements/<int:unlinked_acknowledgement_id>/record/",
        views_cascade.acknowledgement_record,
        name="cascade-acknowledgement-record",
    ),
    path("cascade/mine/", views_cascade.my_cascade, name="cascade-mine"),
    path(
        "cascade/acknowledgements/<int:acknowledgement_id>/",
        views_cascade.acknowledge,
        name="cascade-acknowledge",
    ),
]
