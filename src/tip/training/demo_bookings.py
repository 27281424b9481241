"""Placeholder: replaced below."""


def seed_demo_bookings() -> str:
    return "Demo bookings skipped."
