from django.urls import path

from tip.training import views_clearances, views_providers

urlpatterns = [
    path("providers/", views_providers.provider_list, name="provider-list"),
    path("providers/new/", views_providers.provider_create, name="provider-create"),
    path("providers/<int:provider_id>/", views_providers.provider_detail, name="provider-detail"),
    path("providers/<int:provider_id>/edit/", views_providers.provider_edit, name="provider-edit"),
    path(
        "providers/<int:provider_id>/remove/",
        views_providers.provider_delete,
        name="provider-delete",
    ),
    path(
        "providers/<int:provider_id>/trainers/new/",
        views_providers.trainer_create,
        name="trainer-create",
    ),
    path("trainers/<int:trainer_id>/", views_providers.trainer_detail, name="trainer-detail"),
    path("trainers/<int:trainer_id>/edit/", views_providers.trainer_edit, name="trainer-edit"),
    path(
        "trainers/<int:trainer_id>/remove/", views_providers.trainer_delete, name="trainer-delete"
    ),
    path(
        "trainers/<int:trainer_id>/answers/",
        views_providers.trainer_answers,
        name="trainer-answers",
    ),
    path(
        "trainers/<int:trainer_id>/clearances/new/",
        views_clearances.clearance_create,
        name="clearance-create",
    ),
]
