"""A Redis cache that degrades to "no cache" when Redis is unreachable.

Pages must keep working while Redis is down; a cache miss is always a safe answer.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fallback(method_name: str, default):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, method_name)(self, *args, **kwargs)
        except RedisError as exc:
            logger.warning("Cache %s skipped, Redis unavailable: %s", method_name, exc)
            return default() if callable(default) else default

    method.__name__ = method_name
    return method


class ResilientRedisCache(RedisCache):
    set = _fallback("set", None)
    # Fail open: with Redis down, a cache lock (allauth's rate limiter) is simply granted.
    add = _fallback("add", True)
    touch = _fallback("touch", False)
    delete = _fallback("delete", False)
    get_many = _fallback("get_many", dict)
    set_many = _fallback("set_many", list)
    delete_many = _fallback("delete_many", None)
    has_key = _fallback("has_key", False)
    clear = _fallback("clear", False)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            logger.warning("Cache get skipped, Redis unavailable: %s", exc)
            return default

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            # Callers (rate limits) treat a missing counter as "start from zero".
            logger.warning("Cache incr skipped, Redis unavailable: %s", exc)
            raise ValueError(f"Key {key!r} not found (cache unavailable)") from exc
