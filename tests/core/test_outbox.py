"""The outbox: background work recorded with its cause, handed to the broker when it can be."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import outbox
from core.models import OutboxMessage
from lms.celery import app as celery_app

pytestmark = pytest.mark.django_db

RUNS = []


@shared_task(name="tests.core.outbox_probe_task")
def outbox_probe_task(value, *, twice=False):
    RUNS.append((value, twice))


@pytest.fixture(autouse=True)
def _no_runs():
    RUNS.clear()


@pytest.fixture
def broker(monkeypatch):
    """A broker that takes messages (recording them) or refuses them, as the test says."""

    class Broker:
        up = True
        sent = []

        def send_task(self, name, args=None, kwargs=None, **options):
            if not self.up:
                raise OperationalError(
                    "Error 111 connecting to 127.0.0.1:6379. Connection refused."
                )
            self.sent.append((name, args, kwargs, options))

    fake = Broker()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    monkeypatch.setattr(celery_app, "send_task", fake.send_task)
    yield fake
    celery_app.conf.task_always_eager = eager


def test_eager_tasks_run_after_the_commit_and_leave_nothing_waiting(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(outbox_probe_task, 7, twice=True)
        assert RUNS == []  # not before the commit

    assert RUNS == [(7, True)]
    assert not OutboxMessage.objects.exists()


def test_work_queued_in_a_transaction_that_rolls_back_is_neither_recorded_nor_run(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(outbox_probe_task, 1)
        raise RuntimeError

    assert callbacks == []
    assert RUNS == []
    assert not OutboxMessage.objects.exists()


def test_a_message_the_broker_takes_is_handed_over_once_and_forgotten(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(outbox_probe_task, 3, twice=False)

    assert broker.sent == [
        ("tests.core.outbox_probe_task", [3], {"twice": False}, {"retry": False})
    ]
    assert not OutboxMessage.objects.exists()


def test_when_the_broker_is_down_the_commit_stands_and_the_message_waits(
    broker, django_capture_on_commit_callbacks
):
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(outbox_probe_task, 5)

    waiting = OutboxMessage.objects.get()
    assert (waiting.task_name, waiting.args, waiting.attempts) == (
        "tests.core.outbox_probe_task",
        [5],
        1,
    )
    assert "Connection refused" in waiting.last_error

    broker.up = True
    assert outbox.flush(older_than=timedelta(0)) == 1
    assert [sent[:2] for sent in broker.sent] == [("tests.core.outbox_probe_task", [5])]
    assert not OutboxMessage.objects.exists()


def test_the_flush_leaves_young_messages_to_their_own_hand_over(broker, settings):
    settings.OUTBOX_FLUSH_AFTER_SECONDS = 30
    young = OutboxMessage.objects.create(task_name="tests.core.outbox_probe_task", args=[1])
    old = OutboxMessage.objects.create(task_name="tests.core.outbox_probe_task", args=[2])
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(seconds=31)
    )

    assert outbox.flush() == 1

    assert [sent[1] for sent in broker.sent] == [[2]]
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [young.pk]


def test_the_flush_stops_at_the_first_refusal_and_keeps_the_order(broker, monkeypatch):
    for value in (1, 2, 3):
        OutboxMessage.objects.create(task_name="tests.core.outbox_probe_task", args=[value])
    calls = []

    def send_task(name, args=None, kwargs=None, **options):
        calls.append(args[0])
        if args[0] == 2:
            raise OperationalError("Connection refused")

    monkeypatch.setattr(celery_app, "send_task", send_task)

    assert outbox.flush(older_than=timedelta(0)) == 1

    assert calls == [1, 2]
    assert list(OutboxMessage.objects.order_by("pk").values_list("args", "attempts")) == [
        ([2], 1),
        ([3], 0),
    ]


def test_beat_flushes_the_outbox_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-flush"]
    assert (entry["task"], entry["schedule"]) == ("core.outbox_flush_task", 60.0)
    from core.tasks import outbox_flush_task

    assert outbox_flush_task.name == "core.outbox_flush_task"
