from django.urls import path

from tip.training import views_bookings as views

urlpatterns = [
    path("my/", views.my_training, name="my-training"),
    path("my/bookings/<int:booking_id>/", views.my_booking, name="my-booking"),
    path("sessions/<int:open_session_id>/book/", views.session_book, name="session-book"),
    path(
        "sessions/<int:open_session_id>/book-for-staff/",
        views.session_book_for_staff,
        name="session-book-for-staff",
    ),
    path(
        "sessions/<int:open_session_id>/bookings/", views.session_bookings, name="session-bookings"
    ),
    path(
        "sessions/<int:open_session_id>/check-ins/",
        views.session_check_ins,
        name="session-check-ins",
    ),
    path("welfare-offers/", views.welfare_offer_list, name="welfare-offer-list"),
    path(
        "welfare-offers/<int:organisation_id>/",
        views.welfare_offer_edit,
        name="welfare-offer-edit",
    ),
]
