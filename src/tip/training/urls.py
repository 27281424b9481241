from django.urls import path

from tip.training import views
from tip.training.urls_attendance import urlpatterns as attendance_patterns
from tip.training.urls_bookings import urlpatterns as bookings_patterns
from tip.training.urls_cascade import urlpatterns as cascade_patterns
from tip.training.urls_clearances import urlpatterns as clearances_patterns
from tip.training.urls_courses import urlpatterns as courses_patterns
from tip.training.urls_dashboard import urlpatterns as dashboard_patterns
from tip.training.urls_delivery import urlpatterns as delivery_patterns
from tip.training.urls_followups import urlpatterns as followups_patterns
from tip.training.urls_providers import urlpatterns as providers_patterns
from tip.training.urls_sessions import urlpatterns as sessions_patterns

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
]
urlpatterns += courses_patterns
urlpatterns += providers_patterns
urlpatterns += clearances_patterns
urlpatterns += sessions_patterns
urlpatterns += bookings_patterns
urlpatterns += attendance_patterns
urlpatterns += cascade_patterns
urlpatterns += followups_patterns
urlpatterns += dashboard_patterns
urlpatterns += delivery_patterns
