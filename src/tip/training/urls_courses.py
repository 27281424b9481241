from django.urls import path

from tip.training import views_courses as views

urlpatterns = [
    path("courses/", views.course_list, name="course-list"),
    path("courses/new/", views.course_create, name="course-create"),
    path("courses/<int:course_id>/", views.course_detail, name="course-detail"),
    path("courses/<int:course_id>/edit/", views.course_edit, name="course-edit"),
    path(
        "courses/<int:course_id>/versions/new/",
        views.version_create,
        name="course-version-create",
    ),
    path(
        "courses/<int:course_id>/versions/<int:course_version_id>/",
        views.version_detail,
        name="course-version-detail",
    ),
    path("courses/<int:course_id>/modules/new/", views.module_create, name="course-module-create"),
    path(
        "courses/<int:course_id>/modules/<int:course_module_id>/edit/",
        views.module_edit,
        name="course-module-edit",
    ),
    path(
        "courses/<int:course_id>/modules/<int:course_module_id>/remove/",
        views.module_delete,
        name="course-module-delete",
    ),
    path(
        "courses/<int:course_id>/materials/new/",
        views.material_create,
        name="course-material-create",
    ),
    path(
        "courses/<int:course_id>/materials/<int:course_material_id>/",
        views.material_download,
        name="course-material-download",
    ),
    path(
        "courses/<int:course_id>/materials/<int:course_material_id>/remove/",
        views.material_delete,
        name="course-material-delete",
    ),
    path(
        "courses/<int:course_id>/follow-ups/new/",
        views.follow_up_create,
        name="course-follow-up-create",
    ),
    path(
        "courses/<int:course_id>/follow-ups/<int:follow_up_id>/remove/",
        views.follow_up_delete,
        name="course-follow-up-delete",
    ),
]
