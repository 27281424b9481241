"""Who may share and who may see what is shared (registered in apps.py).

Sharing is a partnership's decision: its admin and programme leads make it. Seeing the pooled
results is not a partnership role at all: a national analyst is a person a platform operator
grants it to (``NationalAnalyst``), who belongs to no partnership, so no partnership role holds
``VIEW_NATIONAL`` and no national analyst can open a partnership's pages."""

from tip.core.roles import Role

# Preview a programme's aggregate, share it beyond the partnership and withdraw it.
SHARE_AGGREGATES = "share_aggregates"
SHARE_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD})

# The national view of pooled results: held by national analysts only, never by a role.
VIEW_NATIONAL = "view_national_aggregates"
