from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from tip.core.api import api
from tip.core.views.language import set_language

# Platform operators' admin: staff only, and only after a second factor.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("tip.core.urls")),
    path("programmes/", include("tip.programmes.urls")),
    path("training/", include("tip.training.urls")),
    path("evaluation/", include("tip.evaluation.urls")),
    path("national/", include("tip.national.urls")),
    path("language/", include("tip.language.urls")),
    # Anyone may switch language, signed in or not; for someone signed in it is also remembered.
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "tip.core.views.errors.forbidden"
handler404 = "tip.core.views.errors.not_found"
handler500 = "tip.core.views.errors.server_error"
