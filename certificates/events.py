"""Audit rows of certificates, written by the services that change them (never by signals)."""

from .models import Certificate, CertificateEvent


def certificate_event_write(
    *,
    certificate: Certificate,
    action: str,
    from_status: str = "",
    to_status: str | None = None,
    reason: str = "",
    actor=None,
) -> CertificateEvent:
    """Record `action` on `certificate`; the new status is the certificate's own by default."""
    return CertificateEvent.objects.create(
        certificate=certificate,
        action=action,
        from_status=from_status,
        to_status=to_status or certificate.status,
        reason=reason[:300],
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
