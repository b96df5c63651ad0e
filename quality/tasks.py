"""Background work of the quality department."""

# Customer satisfaction ------------------------------------------------------------------------

import datetime  # noqa: E402

from celery import shared_task  # noqa: E402

from .services import surveys as survey_services  # noqa: E402


@shared_task(
    acks_late=True, reject_on_worker_lost=True, time_limit=15 * 60, soft_time_limit=14 * 60
)
def satisfaction_monthly_snapshot_task(today: str | None = None) -> int:
    """
    Record each outlet's satisfaction in the month that ended before `today` (ISO; beat, on
    the first of each month). Running it twice writes the same rows; return how many outlets.
    """
    day = datetime.date.fromisoformat(today) if today else None
    return survey_services.satisfaction_monthly_record(today=day).outlets


# Corrective training --------------------------------------------------------------------------

from .services import rules as rule_services  # noqa: E402


@shared_task(
    acks_late=True, reject_on_worker_lost=True, time_limit=15 * 60, soft_time_limit=14 * 60
)
def corrective_rules_apply_task() -> int:
    """Apply the corrective training rules (beat, daily; and after an audit). Idempotent."""
    return rule_services.corrective_rules_apply().assigned


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120, soft_time_limit=100)
def corrective_assignment_notify_task(assignment_id: int) -> int:
    """Tell the outlet's managers about one corrective assignment."""
    return rule_services.corrective_assignment_notify(assignment_id=assignment_id)


# The quality snapshot -------------------------------------------------------------------------

from .services import snapshots as snapshot_services  # noqa: E402


@shared_task(
    acks_late=True, reject_on_worker_lost=True, time_limit=30 * 60, soft_time_limit=29 * 60
)
def quality_monthly_snapshot_task(today: str | None = None) -> int:
    """
    Record each outlet's four quality figures for the month that ended before `today` (ISO;
    beat, on the first of each month, after the compliance snapshot). Idempotent.
    """
    day = datetime.date.fromisoformat(today) if today else None
    return snapshot_services.quality_monthly_snapshot(today=day).outlets
