"""
A bounded load run over loopback: gunicorn serving the site, simulated learners with their own
sessions, and every request's outcome and time recorded.
"""

import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.faults.conftest import _free_port


def session_cookie(user) -> str:
    """A signed-in session of `user`, made as the test client makes one (no password needed)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Gunicorn:
    """`gunicorn lms.wsgi` on a free loopback port, on the test's database and broker."""

    def __init__(self, *, broker_url: str, queue: str, workers: int = 3, threads: int = 4):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        self.args = [
            sys.executable, "-m", "gunicorn", "lms.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
            "--threads", str(threads), "--worker-class", "gthread", "--timeout", "60",
            # One request per connection, as behind the production proxy: a connection reset is
            # then a real failure, not the race of a client reusing a connection as the server
            # closes it after its keep-alive.
            "--keep-alive", "0",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            self.args, cwd=settings.BASE_DIR, env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/verify/", timeout=20)
                return self
            except (requests.ConnectionError, requests.Timeout):
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stdout.read()) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Record:
    """What the simulated people saw: per page, the times and the statuses."""

    times: dict = field(default_factory=lambda: defaultdict(list))
    statuses: dict = field(default_factory=lambda: defaultdict(int))
    failures: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, response, elapsed: float):
        with self.lock:
            self.times[page].append(elapsed)
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                self.failures.append(f"{page}: {response.status_code} {response.text[:300]}")

    def error(self, page: str, exc: Exception):
        with self.lock:
            self.failures.append(f"{page}: {type(exc).__name__}: {exc}")

    def table(self) -> str:
        lines = [f"{'page':<22}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"]
        for page, times in sorted(self.times.items()):
            ordered = sorted(times)

            def pick(q, ordered=ordered):
                return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

            lines.append(
                f"{page:<22}{len(times):>6}{statistics.median(ordered) * 1000:>9.0f}"
                f"{pick(0.95):>9.0f}{pick(0.99):>9.0f}"
            )
        return "\n".join(lines)


class Person:
    """One simulated person's browser: a session cookie, the CSRF token, timed requests."""

    def __init__(self, base_url: str, cookie: str, record: Record):
        self.base = base_url
        self.record = record
        self.http = requests.Session()
        self.http.cookies.set(settings.SESSION_COOKIE_NAME, cookie)

    def _csrf(self) -> dict:
        token = self.http.cookies.get(settings.CSRF_COOKIE_NAME)
        return {"X-CSRFToken": token} if token else {}

    def request(self, page: str, method: str, path: str, **kwargs):
        started = time.perf_counter()
        try:
            response = self.http.request(
                method, self.base + path, headers=self._csrf(), timeout=60,
                allow_redirects=False, **kwargs,
            )  # fmt: skip
        except requests.RequestException as exc:
            self.record.error(page, exc)
            return None
        self.record.add(page, response, time.perf_counter() - started)
        return response

    def get(self, page: str, path: str):
        return self.request(page, "GET", path)

    def post(self, page: str, path: str, **kwargs):
        return self.request(page, "POST", path, **kwargs)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
