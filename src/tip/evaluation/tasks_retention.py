"""Background work for the evaluation retention schedule, run by the task queue's worker:
``evaluation_retention_sweep`` retires every respondent whose retention date has come, and what
belongs to no person of every plan past its own date (retention.py). The invitation services
queue it with ``run_after`` for the start of each respondent's date when their invitations are
created or moved (services_invitations ``_schedule_sweeps``); `tip evaluation-retention` runs the
same daily from a timer as the safety net. Running it twice does no harm."""

from __future__ import annotations

from django_tasks import task


@task()
def evaluation_retention_sweep() -> dict[str, int]:
    from tip.evaluation.retention import retention_sweep

    return retention_sweep().as_dict()
