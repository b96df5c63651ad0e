import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
DEBUG = False
DEMO_DATA_ALLOWED = True
LANGUAGE_CODE = "en"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Tasks run in the test process unless a test starts a real worker (see tests/lms).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
WHITENOISE_AUTOREFRESH = True

# Uploaded files of the tests go to a throwaway folder of this run, never into the checkout nor
# into another run's; exported so a worker process started by a test finds the same files.
_TEST_FILES = Path(env("LMS_TEST_FILES", default="") or tempfile.mkdtemp(prefix="lms-test-files-"))
os.environ["LMS_TEST_FILES"] = str(_TEST_FILES)
# Each pytest-xdist worker its own folder: one worker's signing keys and files never meet another's.
_TEST_FILES = _TEST_FILES / os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = _TEST_FILES / "media"
PRIVATE_MEDIA_ROOT = _TEST_FILES / "private"
CERTIFICATE_KEY_DIR = _TEST_FILES / "certificate-keys"
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
}
