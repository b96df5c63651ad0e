from django.http import Http404

from .errors import NotFound


class DomainErrorsMiddleware:
    """Answer a `core.errors.NotFound` that reached the view layer with the site's 404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            # Raised here, Http404 is turned into the 404 page (handler404, or the debug page)
            # by Django's own exception handling around the view.
            raise Http404(str(exception)) from exception
        return None
