from django.urls import path

from tip.evaluation import views_instruments as views

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument-list"),
    path("instruments/new/", views.instrument_add, name="instrument-add"),
    path(
        "instruments/<int:partnership_instrument_id>/",
        views.instrument_detail,
        name="instrument-detail",
    ),
    path(
        "instruments/<int:partnership_instrument_id>/remove/",
        views.instrument_remove,
        name="instrument-remove",
    ),
]
