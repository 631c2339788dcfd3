"""Caches that keep working, and keep counting, when Redis can't be reached.

Pages must keep working while Redis is down, and so must the limits kept in the cache (sign-in
and check-in attempts, allauth's sign-up and password-reset limits, confirmation cooldowns):
a cache that answered "nothing here" would switch every limit off. So while Redis is
unreachable this process's memory stands in for it. Limits then hold per process (with
several gunicorn workers, each counts alone) instead of not at all.

Both caches also offer ``incr_window``, the one atomic counter the rate limits
(``peertrain.core.ratelimit``) need.
"""

import logging
import math
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a Redis error, this process uses its memory for this long before trying Redis again,
# so a hung Redis (which costs the 0.5 s socket timeout per call) slows one request, not all.
REDIS_RETRY_SECONDS = 5.0
# A sign-in attempt touches a handful of keys; this holds an attack on tens of thousands of
# accounts at once (the culled oldest third would be the stalest counters).
LOCAL_MAX_ENTRIES = 50_000

# Add ``delta`` to a counter; the first hit starts its window (the key's expiry), later hits
# keep it. A decrement never creates a key, so undoing a hit after its window ended is a no-op.
_INCR_WINDOW = """
if tonumber(ARGV[1]) < 0 and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return count
"""


def _window_seconds(timeout: float) -> int:
    return max(1, math.ceil(timeout))


class LocalMemoryCache(LocMemCache):
    """Django's per-process memory cache, with the rate limits' atomic counter."""

    # LocMemCache's internals, which the counter works with under its lock (the type stubs
    # describe only the public cache API).
    _lock: threading.Lock
    _cache: OrderedDict[str, bytes]
    _has_expired: Callable[[str], bool]
    _set: Callable[[str, bytes, float], None]

    def __init__(self, name, params):
        options = {"MAX_ENTRIES": LOCAL_MAX_ENTRIES, **params.get("OPTIONS", {})}
        params = {**params, "OPTIONS": options}
        super().__init__(name, params)

    def incr_window(self, key, delta: int = 1, timeout: float = 60, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                if delta < 0:
                    return 0
                self._set(key, pickle.dumps(delta, self.pickle_protocol), _window_seconds(timeout))
                return delta
            count = pickle.loads(self._cache[key]) + delta  # noqa: S301 — our own pickles
            self._cache[key] = pickle.dumps(count, self.pickle_protocol)
            return count


class _Outage:
    """When this process last found a Redis server unreachable, per server, for every thread
    (Django gives each thread its own cache object)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def ongoing(self, location: str) -> bool:
        return time.monotonic() < self._until.get(location, 0.0)

    def start(self, location: str) -> bool:
        """Note a failure; True if Redis was thought to be up until now (worth a log line)."""
        with self._lock:
            fresh = location not in self._until
            self._until[location] = time.monotonic() + REDIS_RETRY_SECONDS
            return fresh

    def end(self, location: str) -> bool:
        """Note Redis answered; True if it was thought to be out until now."""
        if location not in self._until:  # the usual case, without taking the lock
            return False
        with self._lock:
            return self._until.pop(location, None) is not None


outage = _Outage()


def _either(name: str) -> Callable[..., Any]:
    """Run the cache method on Redis, or on this process's memory while Redis is out."""

    def method(self, *args, **kwargs):
        if not outage.ongoing(self._location):
            on_redis = getattr(RedisCache, name, None) or getattr(type(self), f"_redis_{name}")
            try:
                answer = on_redis(self, *args, **kwargs)
            except RedisError as exc:
                if outage.start(self._location):
                    logger.warning(
                        "Redis unreachable (%s): the cache and every rate limit now use this "
                        "process's memory until it answers again",
                        exc,
                    )
            else:
                if outage.end(self._location):
                    logger.warning("Redis answers again: the cache is shared once more")
                return answer
        return getattr(self._local, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    """Redis, and this process's memory while Redis can't be reached (see the module)."""

    _cache: RedisCacheClient  # RedisCache's client (a cached property the stubs leave out)

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        local_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        # One store per Redis server and process, shared by all threads (LocMemCache keeps
        # its data per name at module level).
        self._local = LocalMemoryCache(f"peertrain-redis-fallback:{self._location}", local_params)

    def _redis_incr_window(self, key, delta: int = 1, timeout: float = 60, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        return int(client.eval(_INCR_WINDOW, 1, key, delta, _window_seconds(timeout)))

    add = _either("add")
    get = _either("get")
    set = _either("set")
    touch = _either("touch")
    delete = _either("delete")
    get_many = _either("get_many")
    set_many = _either("set_many")
    delete_many = _either("delete_many")
    has_key = _either("has_key")
    incr = _either("incr")
    incr_window = _either("incr_window")

    def clear(self):
        """Both stores: what this process counted during an outage goes too."""
        self._local.clear()
        try:
            return super().clear()
        except RedisError as exc:
            logger.warning("Cache clear skipped on Redis, unreachable: %s", exc)
            return False


def window_counters() -> LocalMemoryCache | ResilientRedisCache:
    """The default cache, where the rate limits count (it must offer ``incr_window``)."""
    backend = caches["default"]
    if not isinstance(backend, LocalMemoryCache | ResilientRedisCache):
        raise ImproperlyConfigured(
            "CACHES['default'] must be peertrain.core.cache.ResilientRedisCache or "
            f"LocalMemoryCache: the rate limits count there (it is {type(backend).__name__})."
        )
    return backend
