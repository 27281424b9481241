"""Capabilities the bookings part of the app adds (registered in apps_bookings.py).

Booking yourself needs only VIEW_TRAINING, which every member holds."""

# Book other people onto sessions: partnership admins and programme leads book anyone in the
# partnership; champions book the people of their own organisation (checked by the service).
BOOK_FOR_STAFF = "book_for_staff"
# See a session's private check-in requests: held by the trainer role, and answered only for the
# sessions the person teaches (their trainer record, linked to their account, is on the session).
SEE_CHECK_IN_REQUESTS = "see_check_in_requests"
