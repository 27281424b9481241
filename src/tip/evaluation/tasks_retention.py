"""Background work for the evaluation retention schedule, run by the task queue's worker:
``evaluation_retention_sweep`` retires every plan past its retention date (`tip
evaluation-retention` runs the same daily from a timer). Running it twice does no harm."""

from __future__ import annotations

from django_tasks import task


@task()
def evaluation_retention_sweep() -> dict[str, int]:
    from tip.evaluation.retention import retention_sweep

    return retention_sweep().as_dict()
