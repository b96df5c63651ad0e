"""A real Celery worker process for the tests that need one."""

import os
import subprocess
import sys

from django.conf import settings


def worker_start(*, queue: str, include: str = "", output=None, **env) -> subprocess.Popen:
    """
    Start `celery -A lms worker` on `queue` alone, with `env` added to this environment and the
    modules `include` (comma-separated) imported by the worker as well; what it logs goes to
    the file `output` when given, else to a pipe.
    """
    extra = ["--include", include] if include else []
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
         *extra],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **env,
        },
        stdout=output or subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def worker_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
