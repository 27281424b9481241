"""The capability the delivery dashboard adds (registered in apps_dashboard.py).

Setting a programme's training targets needs MANAGE_TRAINING (roles.py)."""

# People trained against the plan, risks and drop-out, as counts only (never names): for those
# who plan and evaluate training. Counts by organisation can point at people in small groups, so
# viewers who do not manage training see small counts withheld (analysis/dashboard.py).
VIEW_DELIVERY_DASHBOARD = "view_delivery_dashboard"
