"""The evaluation reports' addresses (included from urls.py, in the evaluation namespace): a
page and a PDF for a programme, a course, a session and the whole partnership."""

from django.urls import path

from tip.evaluation import views_reports as views

urlpatterns = [
    path("programmes/<int:programme_id>/report/", views.programme_report, name="report-programme"),
    path(
        "programmes/<int:programme_id>/report.pdf",
        views.programme_report_pdf,
        name="report-programme-pdf",
    ),
    path("courses/<int:course_id>/report/", views.course_report, name="report-course"),
    path("courses/<int:course_id>/report.pdf", views.course_report_pdf, name="report-course-pdf"),
    path("sessions/<int:session_id>/report/", views.session_report, name="report-session"),
    path(
        "sessions/<int:session_id>/report.pdf",
        views.session_report_pdf,
        name="report-session-pdf",
    ),
    path("report/", views.partnership_report, name="report-partnership"),
    path("report.pdf", views.partnership_report_pdf, name="report-partnership-pdf"),
]
