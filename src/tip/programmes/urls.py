from django.urls import path

from tip.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("new/", views.programme_create, name="programme-create"),
    path("<int:programme_id>/", views.programme_detail, name="programme-detail"),
]
