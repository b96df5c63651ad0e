"""
Imported by the fault tests' workers (`celery worker --include tests.faults.slow`): storage that
takes FAULT_STORAGE_DELAY seconds per file, as a slow disk or object store does, so that a test
can kill a worker in the middle of a task. The product's code is not changed.
"""

import os
import time

from django.core.files.storage import FileSystemStorage

_DELAY = float(os.environ.get("FAULT_STORAGE_DELAY", "0") or 0)

if _DELAY:
    _save = FileSystemStorage._save

    def _slow_save(self, name, content):
        time.sleep(_DELAY)
        return _save(self, name, content)

    FileSystemStorage._save = _slow_save

_CHUNK = int(os.environ.get("FAULT_RENDER_CHUNK_SIZE", "0") or 0)

if _CHUNK:
    # Fewer certificates make several chunks of a re-rendering job.
    from certificates.services import rendering

    rendering.RENDER_CHUNK_SIZE = _CHUNK
