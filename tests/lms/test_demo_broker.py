"""
The demo's embedded broker: kombu's SQLAlchemy transport on a SQLite file, shared by separate
processes (the web server and beat publish, the worker consumes), with no server to install.
"""

import os
import threading
import time
import uuid

from celery import Celery
from django.conf import settings

import lms.celery  # noqa: F401  (registers the demo broker's URL scheme)
from tests.lms.workers import worker_start, worker_stop

MESSAGES = 30


def test_the_default_broker_is_the_embedded_sqlite_one():
    # Unless the environment names another: CI's PostgreSQL pass runs on Redis.
    if "CELERY_BROKER_URL" not in os.environ:
        assert settings.CELERY_BROKER_URL.startswith("sqlademo+sqlite:///")


def test_a_worker_in_another_process_runs_every_message_published_to_the_sqlite_broker(
    tmp_path, monkeypatch
):
    broker = f"sqlademo+sqlite:///{tmp_path / 'broker.sqlite3'}"
    queue = f"demo-{uuid.uuid4().hex[:8]}"
    worker = worker_start(queue=queue, CELERY_BROKER_URL=broker)
    lines = []
    threading.Thread(target=lambda: lines.extend(worker.stdout), daemon=True).start()
    # Celery prefers CELERY_BROKER_URL from the environment to the broker it is given (CI's
    # PostgreSQL pass sets it to Redis).
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    publisher = Celery(broker=broker)
    try:
        for number in range(MESSAGES):
            publisher.send_task("celery.accumulate", args=[number], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            if (
                sum("celery.accumulate" in line and "succeeded" in line for line in lines)
                == MESSAGES
            ):
                break
            time.sleep(0.2)
        done = sum("celery.accumulate" in line and "succeeded" in line for line in lines)
        assert worker.poll() is None, "".join(lines)
        assert done == MESSAGES, "".join(lines)
    finally:
        worker_stop(worker)
