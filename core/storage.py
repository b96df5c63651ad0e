"""Where files that only people in scope may read are kept."""

from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control, patch_vary_headers


def private_storage():
    """
    Return the storage of private files (HR imports, evidence photos, certificate PDFs, exports):
    never served by the web server, only through views that check scope. A callable, so the
    models' migrations do not freeze a storage configured per environment.
    """
    return storages["private"]


def private_file_response(field_file, *, content_type: str, filename: str, max_age: int):
    """
    Return `field_file` (a private file already checked to be in the viewer's scope) shown in
    the browser, kept in the viewer's own cache only; Http404 when the file has gone.
    """
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("File missing") from None
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    # A person's or an outlet's photo never sits in a shared cache.
    patch_cache_control(response, private=True, max_age=max_age)
    patch_vary_headers(response, ["Cookie"])
    return response
