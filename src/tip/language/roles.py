"""Capabilities this app adds to core's roles (registered in apps.py).

Checking wording is for everyone: every member of a partnership may paste text into the checker,
see hints as they write, and say a finding is not relevant here. Changing what the checker flags
for the whole partnership (its own rules, silencing one of TIP's rules, allowing a phrase) is for
the people who steer practice: the partnership's admins and programme leads."""

from tip.core.roles import ALL_ROLES, Role

# Check text (the page, the API and live hints) and count a finding as "not relevant here".
USE_LANGUAGE_CHECKER = "use_language_checker"
USE_ROLES = ALL_ROLES

# The partnership's own rules, silenced TIP rules and allowed phrases, and the feedback counts.
MANAGE_LANGUAGE_RULES = "manage_language_rules"
MANAGE_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD})
