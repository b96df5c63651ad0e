from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """
    Background work recorded in the transaction that calls for it (a transactional outbox).

    The row commits or rolls back with the work's cause (a graded attempt, an issued certificate),
    so the broker being down when the transaction commits loses nothing: the message is handed
    to Celery right after the commit, or later by `outbox_flush_task`, and its row is deleted
    once Celery took it. The table holds only what waits (arguments may carry an activation
    code for the SMS task, which is not kept past its hand-over).
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts to hand over"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        indexes = [models.Index(fields=["created_at"], name="outbox_waiting_idx")]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"
