"""Writes each SMS to a file of its own in SMS_FILE_PATH, as Django's file e-mail backend does."""

import datetime
import uuid

from django.conf import settings

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def send(self, *, phone, text, purpose, template_params):
        folder = settings.SMS_FILE_PATH
        folder.mkdir(parents=True, exist_ok=True)
        reference = uuid.uuid4().hex
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stamp}-{reference}.txt"
        path.write_text(f"To: {phone}\nPurpose: {purpose}\n\n{text}\n", encoding="utf-8")
        return reference
