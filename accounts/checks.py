"""System checks of identity's deployment."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """
    Per-address sign-in limits and the code throttles count in the cache: a cache of each
    process's own lets a client through once per process.
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("LocMemCache") or backend.endswith("DummyCache"):
        return [
            Warning(
                "The default cache is local to each process, so sign-in and code rate limits "
                "count per process.",
                hint="Set CACHE_URL to a Redis server shared by every web process, e.g. "
                "redis://127.0.0.1:6379/1.",
                id="accounts.W001",
            )
        ]
    return []
