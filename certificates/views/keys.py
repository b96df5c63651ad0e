from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from ..verification import public_keys_document


@require_safe
@cache_control(public=True, max_age=60 * 60)
def public_keys(request):
    """Return the issuer's public keys, retired ones included, for offline verification."""
    response = JsonResponse(public_keys_document(), json_dumps_params={"ensure_ascii": False})
    # Offline checkers and other sites' scripts fetch this document: it is public by design.
    response["Access-Control-Allow-Origin"] = "*"
    return response
