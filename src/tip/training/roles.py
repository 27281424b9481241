"""Capabilities this app adds to core's roles (registered in apps.py)."""

VIEW_TRAINING = "view_training"
MANAGE_TRAINING = "manage_training"
# Trainers' assessments and clearances are personal data about them: only the people who
# commission and plan training see them, and every view is recorded.
VIEW_TRAINER_RECORDS = "view_trainer_records"
