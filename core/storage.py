"""Where files that only people in scope may read are kept."""

from django.core.files.storage import storages


def private_storage():
    """
    Return the storage of private files (HR imports, evidence photos, certificate PDFs, exports):
    never served by the web server, only through views that check scope. A callable, so the
    models' migrations do not freeze a storage configured per environment.
    """
    return storages["private"]
