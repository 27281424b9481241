"""Routes for the readiness check; `urls` adds them to the app's."""

from django.urls import path

from tip.programmes import views_readiness

urlpatterns = [
    path("<int:programme_id>/readiness/", views_readiness.readiness, name="readiness"),
    path(
        "<int:programme_id>/readiness/plan/",
        views_readiness.readiness_plan,
        name="readiness-plan",
    ),
]
