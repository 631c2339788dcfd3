"""The cache keeps working, and keeps counting, while Redis is down or hung: this process's
memory stands in for it (so limits kept in the cache hold per process, never not at all)."""

import time

import pytest
from django.core.cache import cache

from peertrain.core import cache as cache_module
from peertrain.core.cache import LocalMemoryCache

from ..conftest import unused_tcp_port


def test_with_redis_down_values_and_counters_live_in_this_process(cache_on):
    cache_on(f"redis://127.0.0.1:{unused_tcp_port()}/0")

    cache.set("greeting", "hello", 60)
    assert cache.get("greeting") == "hello"
    assert cache.add("lock", True, 10) is True
    assert cache.add("lock", True, 10) is False  # a lock still locks (allauth's limiter)
    cache.set("count", 1, 60)
    assert cache.incr("count") == 2
    assert cache.get_many(["greeting", "count", "missing"]) == {"greeting": "hello", "count": 2}
    cache.delete("greeting")
    assert cache.get("greeting") is None


def test_a_hung_redis_costs_one_timeout_then_this_process_uses_its_memory(own_redis, cache_on):
    """Redis stopped by SIGSTOP accepts connections and never answers."""
    cache_on(own_redis.url)
    cache.set("warm", 1, 60)  # a pooled connection, as in a running site
    own_redis.hang()
    try:
        started = time.monotonic()
        cache.set("first", 1, 60)
        first = time.monotonic() - started
        started = time.monotonic()
        for number in range(50):
            cache.incr_window(f"count-{number}", 1, 60)
        next_fifty = time.monotonic() - started
    finally:
        own_redis.resume()

    assert first < 1.5  # the 0.5 s socket timeout, with room for a busy machine
    assert next_fifty < 0.5
    assert cache.get("first") == 1  # from this process's memory, until Redis is tried again


def test_the_shared_cache_is_used_again_once_redis_answers(own_redis, cache_on, monkeypatch):
    monkeypatch.setattr(cache_module, "REDIS_RETRY_SECONDS", 0.0)
    cache_on(own_redis.url)
    own_redis.stop()
    cache.set("during", "local", 60)

    own_redis.start()
    cache.set("after", "shared", 60)

    import redis

    assert redis.Redis.from_url(own_redis.url).get(cache.make_key("after")) is not None
    assert cache.get("during") is None  # what the process kept alone stays with it


@pytest.mark.redis
def test_a_counter_window_starts_at_the_first_hit_and_later_hits_keep_it():
    import redis
    from django.conf import settings

    raw = redis.Redis.from_url(settings.REDIS_URL)
    key = cache.make_key("rl:window-test")
    assert cache.incr_window("rl:window-test", 1, 60) == 1
    raw.expire(key, 30)  # as if 30 s had passed
    assert cache.incr_window("rl:window-test", 1, 60) == 2

    assert 0 < raw.ttl(key) <= 30


def test_the_local_counter_keeps_its_window_and_never_goes_below_nothing():
    local = LocalMemoryCache("test-counters", {})
    local.clear()

    assert local.incr_window("gone", -1, 60) == 0
    assert local.get("gone") is None
    assert local.incr_window("n", 1, 1) == 1
    assert local.incr_window("n", 1, 60) == 2
    time.sleep(1.1)  # the window of the first hit, not the last, ends
    assert local.get("n") is None


def test_clear_empties_redis_and_this_processs_memory(own_redis, cache_on, monkeypatch):
    monkeypatch.setattr(cache_module, "REDIS_RETRY_SECONDS", 0.0)
    cache_on(own_redis.url)
    cache.set("shared", 1, 60)
    own_redis.stop()
    cache.set("kept-alone", 1, 60)  # in memory: Redis is down
    own_redis.start()

    cache.clear()
    own_redis.stop()

    assert cache.get("kept-alone") is None
