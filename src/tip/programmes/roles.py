"""Capabilities this app adds to core's roles (registered in apps.py)."""

VIEW_PROGRAMMES = "view_programmes"
MANAGE_PROGRAMMES = "manage_programmes"
ASSESS_ORGANISATIONS = "assess_organisations"
