"""The capability the cascade part of the app adds (registered in apps_cascade.py).

Recording certifications and observations needs MANAGE_TRAINING; seeing the cascade and a
trainer's observations needs VIEW_TRAINER_RECORDS (both from roles.py)."""

# A trainer sees their own standing in the cascade (certified, observation due, lapsed, out of
# date) and acknowledges new versions of the courses they teach: only their own trainer records,
# those linked to their account.
SEE_OWN_CASCADE = "see_own_cascade"
