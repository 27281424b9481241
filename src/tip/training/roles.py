"""Capabilities this app adds to core's roles (registered in apps.py)."""

VIEW_TRAINING = "view_training"
MANAGE_TRAINING = "manage_training"
