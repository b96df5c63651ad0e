"""Keeps each SMS in `outbox`, for tests, as Django's locmem e-mail backend keeps mail."""

from .base import BaseSmsBackend

outbox: list[dict] = []


class SmsBackend(BaseSmsBackend):
    def send(self, *, phone, text, purpose, template_params):
        outbox.append(
            {"phone": phone, "text": text, "purpose": purpose, "params": dict(template_params)}
        )
        return f"locmem-{len(outbox)}"
