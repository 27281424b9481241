"""The survey pages a personal link opens (no sign-in): survey_views.py."""

from django.urls import path

from tip.evaluation import survey_views as views

urlpatterns = [
    path("s/<str:token>/", views.survey_start, name="survey-start"),
    path("s/<str:token>/consent/", views.survey_consent, name="survey-consent"),
    path("s/<str:token>/declined/", views.survey_declined, name="survey-declined"),
    path("s/<str:token>/q/<str:page>/", views.survey_question_page, name="survey-page"),
    path("s/<str:token>/check/", views.survey_check, name="survey-check"),
    path("s/<str:token>/done/", views.survey_done, name="survey-done"),
]
