"""Audit rows of the quality department's actions, written by the services (never by signals)."""

from .models.audits import Audit, AuditEvent, Finding, FindingEvent


def _actor(user):
    return user if user is not None and user.is_authenticated else None


def finding_event_write(
    *, finding: Finding, from_status: str, to_status: str | None = None, reason: str = "", actor
) -> FindingEvent:
    """Record a change of `finding`'s status; the new status is the finding's own by default."""
    return FindingEvent.objects.create(
        finding=finding,
        from_status=from_status,
        to_status=to_status or finding.status,
        reason=reason[:500],
        actor=_actor(actor),
    )


def audit_event_write(
    *, audit: Audit, from_status: str, to_status: str | None = None, reason: str = "", actor
) -> AuditEvent:
    """Record a change of `audit`'s status; the new status is the audit's own by default."""
    return AuditEvent.objects.create(
        audit=audit,
        from_status=from_status,
        to_status=to_status or audit.status,
        reason=reason[:500],
        actor=_actor(actor),
    )
