"""Capabilities this app adds to core's roles (registered in apps.py)."""

# A programme's evaluation plan: its waves, the instruments used at each and the outcomes they
# measure. For the people who design programmes and evaluate them; no personal data.
PLAN_EVALUATIONS = "plan_evaluations"
