"""Capabilities this app adds to core's roles (registered in apps.py)."""

# A programme's evaluation plan: its waves, the instruments used at each and the outcomes they
# measure. For the people who design programmes and evaluate them; no personal data.
PLAN_EVALUATIONS = "plan_evaluations"

# The evaluation reports: aggregate results (effect sizes, attrition, subgroups), which can still
# point at someone in a small group, so each opening is audited. For the people who run and
# evaluate programmes, and the auditors who check them.
VIEW_EVALUATION_REPORTS = "view_evaluation_reports"

# Qualitative coding: a plan's codebook, coding free-text answers and observation notes (personal
# data: people's own words), double-coding and agreement, theme counts and the quotes export.
CODE_QUALITATIVE = "code_qualitative"
