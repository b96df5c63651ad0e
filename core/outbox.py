"""
Background work that survives the broker being away (a transactional outbox).

`enqueue(task, *args)` records the task in the caller's transaction and hands it to Celery
right after the commit. When the broker cannot take it (Redis restarting, the network down) the
request still succeeds: the row waits, and `outbox_flush_task`, which beat runs every minute and
every worker runs when it starts, hands over what is waiting. Every task queued this way must be
safe to run twice (each one here is: a second run finds its work done), because a message handed
over just before its row is marked may be handed over again.

Nothing is recorded for a transaction that rolls back, exactly as with `delay_on_commit`.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

FLUSH_BATCH = 500


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Record `task(*args, **kwargs)` in the open transaction; hand it over after the commit."""
    message = OutboxMessage.objects.create(task_name=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: publish(message))
    return message


def publish(message: OutboxMessage) -> bool:
    """Hand `message` to the broker and forget it; False when the broker refused it (it waits)."""
    from celery import current_app

    task = current_app.tasks.get(message.task_name)
    if current_app.conf.task_always_eager and task is not None:
        # Tests and one-off commands run the task here; its errors are theirs to see.
        task.apply(args=message.args, kwargs=message.kwargs, throw=True)
        _forget(message)
        return True
    try:
        current_app.send_task(
            message.task_name,
            args=message.args,
            kwargs=message.kwargs,
            # Fail fast: the outbox retries, the person waiting for the page should not.
            retry=False,
        )
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row waiting
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        logger.warning("Task %s waits in the outbox: %s", message, exc)
        return False
    _forget(message)
    return True


def _forget(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).delete()


def flush(*, older_than: timedelta | None = None, limit: int = FLUSH_BATCH) -> int:
    """
    Hand over the messages waiting longer than `older_than`, oldest first, stopping at the first
    the broker refuses; return how many were handed over. Two flushes at once skip each other's
    rows where the database can (PostgreSQL), so a message is handed over once.
    """
    if older_than is None:
        # A message this young may still be handed over by its own after-commit callback.
        older_than = timedelta(seconds=settings.OUTBOX_FLUSH_AFTER_SECONDS)
    handed = 0
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        waiting = list(
            OutboxMessage.objects.filter(created_at__lte=cutoff)
            .select_for_update(skip_locked=True)
            .order_by("pk")[:limit]
        )
        for message in waiting:
            if not publish(message):
                break
            handed += 1
    if handed:
        logger.info("Outbox: %s waiting tasks handed to the broker", handed)
    return handed
