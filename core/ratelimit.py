"""
A fixed-window rate limiter on Django's cache, for the public pages (verification, outlet status).

Counters live in the default cache. With Django's default LocMemCache each process counts on its
own, so N web processes let a client through up to N times the rate: acceptable for slowing down
code guessing, and exact once CACHES points at a shared cache such as Redis.
"""

import time

from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


def _now() -> float:
    return time.time()


def rate_parse(rate: str) -> tuple[int, int]:
    """Return (requests, seconds) of a rate written "30/m"; the unit is s, m, h or d."""
    count, _, unit = rate.partition("/")
    return int(count), _PERIODS[unit.strip().lower()[:1]]


def rate_limit_hit(*, scope: str, key: str, rate: str) -> int | None:
    """
    Count one request of `key` in `scope`; return the seconds to wait when it is over `rate`,
    or None when it may go ahead.
    """
    limit, period = rate_parse(rate)
    now = _now()
    window = int(now // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    # add() only writes a missing key, so two requests at once do not reset each other's count.
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    if count > limit:
        return max(1, int((window + 1) * period - now + 0.999))
    return None
