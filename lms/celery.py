import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# The demo's embedded broker (lms/broker.py), for the publishing web process and the worker alike.
TRANSPORT_ALIASES.setdefault("sqlademo", "lms.broker:Transport")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
