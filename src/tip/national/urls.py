from django.urls import path

from tip.national import views

app_name = "national"

urlpatterns = [
    path("", views.national_index, name="index"),
    path("sharing/", views.share_list, name="share-list"),
    path("sharing/programmes/<int:programme_id>/", views.share_page, name="share"),
    path(
        "sharing/programmes/<int:programme_id>/aggregate.zip",
        views.share_package,
        name="share-package",
    ),
]
