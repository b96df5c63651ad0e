"""Writes each SMS to standard output: the demo log shows the codes people would receive."""

import sys
import threading

from .base import BaseSmsBackend

_lock = threading.Lock()


class SmsBackend(BaseSmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, phone, text, purpose, template_params):
        with _lock:
            self.stream.write(f"----- SMS to {phone} ({purpose}) -----\n{text}\n{'-' * 40}\n")
            self.stream.flush()
        return ""
