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


# What Wagtail's admin needs beyond the site's policy: its pages carry inline scripts (inline
# panels, date widgets) and its preview frames the site.
ADMIN_CSP_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "frame-src": ["'self'", "https:"],
}


class AdminContentSecurityPolicyMiddleware:
    """The site's Content-Security-Policy, relaxed for the Wagtail admin's pages only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_replace = ADMIN_CSP_REPLACE
        return response


class RequestSizeLimitMiddleware:
    """
    Refuse a request body over its path's limit from its Content-Length, before a byte of it is
    read: a 50 MB "photo" is turned away at once, not spooled to disk and then refused.
    """

    def __init__(self, get_response):
        import re

        from django.conf import settings

        self.get_response = get_response
        self.default = settings.REQUEST_BODY_MAX_BYTES
        self.limits = [(re.compile(path), limit) for path, limit in settings.REQUEST_BODY_LIMITS]

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = next(
            (limit for pattern, limit in self.limits if pattern.match(request.path)), self.default
        )
        if length > limit:
            from django.shortcuts import render

            return render(
                request,
                "core/too_large.html",
                {"limit_mb": round(limit / (1024 * 1024), 1)},
                status=413,
            )
        return self.get_response(request)
