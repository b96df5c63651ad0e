"""
Real servers and real workers, and what happens when they fail: a Redis server of the test's
own (so stopping it disturbs nothing else), workers started and SIGKILLed, this process
publishing to that Redis as the web process does.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection

from lms.celery import app as celery_app
from tests.lms.workers import worker_start, worker_stop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server process of one test, started and stopped at will, keeping nothing."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        reason = "needs redis-server on PATH (apt-get install redis-server)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def publishing_to(url: str, queue: str):
    """Make this process publish its tasks to `url` on `queue`, as a web process would."""
    conf = celery_app.conf
    old = conf.broker_url, conf.task_always_eager, conf.task_default_queue
    old_environ = os.environ.get("CELERY_BROKER_URL")
    # Celery reads the broker URL from the environment before its configuration.
    os.environ["CELERY_BROKER_URL"] = url
    conf.broker_url, conf.task_always_eager, conf.task_default_queue = url, False, queue
    _reset_connections()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager, conf.task_default_queue = old
        if old_environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = old_environ
        _reset_connections()


def _reset_connections():
    # Celery keeps a pool of broker connections per app; a new broker URL needs new ones.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Workers:
    """Workers on one queue of a test, on the test's database and Redis."""

    def __init__(self, redis_url: str, **env):
        self.queue = f"fault-{uuid.uuid4().hex[:8]}"
        db = connection.settings_dict
        self.env = {
            "CELERY_BROKER_URL": redis_url,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "OUTBOX_FLUSH_AFTER_SECONDS": "0",
            "CELERY_UNACKED_RESTORE_SECONDS": "1",
            **env,
        }
        self.processes = []
        self.logs = []

    def start(self, **env) -> subprocess.Popen:
        log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed with the worker group
        process = worker_start(
            queue=self.queue, include="tests.faults.slow", output=log, **{**self.env, **env}
        )
        self.processes.append((process, log))
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL: no shutdown, no acknowledgement, as when the machine's memory runs out."""
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def log(self) -> str:
        """What the workers logged so far."""
        out = []
        for _, log in self.processes:
            log.flush()
            log.seek(0)
            out.append(log.read())
        return "\n".join(out)

    def stop_all(self) -> str:
        """Stop every worker; return what they logged."""
        for process, _ in self.processes:
            if process.poll() is None:
                worker_stop(process)
        text = self.log()
        self.processes = []
        return text


@pytest.fixture
def workers(private_redis):
    group = Workers(private_redis.url)
    with publishing_to(private_redis.url, group.queue):
        try:
            yield group
        finally:
            log = group.stop_all()
            if os.environ.get("FAULT_LOGS"):
                print(log)


def wait_until(condition, *, timeout: float, what: str, processes=(), workers=None):
    """Poll `condition` until true; fail naming `what`, with the workers' log, at `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for process in processes:
            if process.poll() is not None and process.returncode not in (0, -signal.SIGKILL):
                pytest.fail(f"a worker exited ({process.returncode}) while waiting for {what}")
        time.sleep(0.1)
    log = workers.log()[-6000:] if workers is not None else ""
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{log}")
