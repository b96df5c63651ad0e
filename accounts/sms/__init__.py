"""
SMS, sent through a backend named by the SMS_BACKEND setting, as Django sends e-mail.

    from accounts.sms import sms_send
    sms_send(phone="13800138000", text="...", purpose=SmsMessage.Purpose.ACTIVATION, user=user)

Every send is recorded as an accounts.SmsMessage (to whom, why, when, the result), never with its
text, which carries a code. Backends live in accounts/sms/backends/.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from core.phones import phone_masked, phone_normalise

from ..models import SmsMessage
from .backends.base import SmsError

logger = logging.getLogger(__name__)

__all__ = ["SmsError", "sms_backend", "sms_send"]


def sms_backend(path: str | None = None):
    """Return an instance of the configured SMS backend (or of the one `path` names)."""
    return import_string(path or settings.SMS_BACKEND)()


def sms_send(*, phone: str, text: str, purpose: str, user=None, template_params=None) -> SmsMessage:
    """
    Send one SMS and record it. A gateway's refusal is recorded as a failed message and logged
    with the masked number; it is not raised, so that one unreachable phone does not stop a
    batch. `template_params` are what a gateway that sends approved templates fills in.
    """
    backend_path = settings.SMS_BACKEND
    number = phone_normalise(phone)
    try:
        reference = sms_backend(backend_path).send(
            phone=number, text=text, purpose=purpose, template_params=template_params or {}
        )
    except SmsError as error:
        logger.warning("SMS to %s (%s) failed: %s", phone_masked(number), purpose, error)
        return SmsMessage.objects.create(
            user=user,
            phone=number,
            purpose=purpose,
            backend=backend_path,
            status=SmsMessage.Status.FAILED,
            error=str(error)[:300],
        )
    return SmsMessage.objects.create(
        user=user,
        phone=number,
        purpose=purpose,
        backend=backend_path,
        status=SmsMessage.Status.SENT,
        gateway_reference=(reference or "")[:100],
    )
