from django.urls import path

from tip.training import views_delivery as views

urlpatterns = [
    path("settings/", views.delivery_settings_edit, name="delivery-settings"),
]
