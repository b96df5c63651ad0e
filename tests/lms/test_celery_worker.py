"""A real Celery worker process, on the Redis broker, runs the import task against PostgreSQL."""

import time
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from lms.celery import app as celery_app
from network import services
from network.models import ImportBatch, Staff
from tests.factories.network import OutletFactory, StaffFactory
from tests.lms.workers import worker_start, worker_stop

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker():
    """Start a worker on a queue of its own and make this process publish to that queue."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    process = worker_start(
        queue=queue,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_TASK_DEFAULT_QUEUE=queue,
    )
    old = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = old
        worker_stop(process)


def _wait_for(batch, status, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status == status:
            return batch
        if process.poll() is not None:
            pytest.fail(f"worker exited: {process.stdout.read()}")
        time.sleep(0.3)
    process.terminate()
    pytest.fail(f"batch stayed {batch.status}; worker said:\n{process.communicate()[0]}")


def test_worker_on_redis_checks_then_imports_an_uploaded_file(worker):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    outlet = OutletFactory()
    auditor = StaffFactory(role="auditor", outlet=None)
    content = (
        "employee_number,name,role,outlet_code,hire_date\n"
        f"W1,赵敏,technician,{outlet.code},2024-02-01\n"
    )
    batch = services.import_batch_create(
        kind="staff",
        uploaded_file=SimpleUploadedFile("w.csv", content.encode()),
        actor=auditor.user,
    )
    _wait_for(batch, ImportBatch.Status.VALID, worker)
    assert not Staff.objects.filter(employee_number="W1").exists()

    services.import_batch_confirm(batch=batch, actor=auditor.user)
    _wait_for(batch, ImportBatch.Status.IMPORTED, worker)
    assert Staff.objects.get(employee_number="W1").user.first_name == "赵敏"
