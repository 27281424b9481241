from django.urls import path

from tip.training import views_attendance as views

# A register is addressed by its session's id.
urlpatterns = [
    path("registers/", views.register_list, name="register-list"),
    path("registers/<int:register_id>/", views.register, name="register"),
    path("attendance/rates/", views.rates, name="attendance-rates"),
    path("certificates/check/", views.certificate_check, name="certificate-check"),
    path(
        "certificates/<int:certificate_id>/",
        views.certificate_download,
        name="certificate-download",
    ),
    path("my-record/", views.my_record, name="my-record"),
    path("my-record/csv/", views.my_record_csv, name="my-record-csv"),
    path("records/", views.record_list, name="record-list"),
    path("records/<int:membership_id>/", views.person_record, name="person-record"),
    path("records/<int:membership_id>/csv/", views.person_record_csv, name="person-record-csv"),
]
