"""Capabilities this app adds to core's roles (registered in apps.py)."""

VIEW_TRAINING = "view_training"
MANAGE_TRAINING = "manage_training"
# Trainers' assessments and clearances are personal data about them: only the people who
# commission and plan training see them, and every view is recorded.
VIEW_TRAINER_RECORDS = "view_trainer_records"
# Registers show the names of the people booked: the session's own trainers take them (checked
# per session), and the people who manage training.
TAKE_REGISTERS = "take_registers"
# Drop-out and no-show rates: counts by organisation, not names, but small groups can point at
# people, so only those who plan and evaluate training see them.
VIEW_ATTENDANCE_RATES = "view_attendance_rates"
