"""TIP: the trauma-informed practice platform."""
