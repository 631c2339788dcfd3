"""The rate-limit building block: counting, refusing, undoing, windows, parallel attempts, the
client's address; on the configured cache, on real Redis, and on a Redis that is down."""

import threading
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from peertrain.core.ratelimit import Rate, RateLimit, Throttled, attempt, client_ip, parse_rates

from ..conftest import unused_tcp_port


def limit(amount=3, seconds=60, name="test"):
    return RateLimit(name, (Rate(amount, seconds),))


def allowed(checks, times) -> list[bool]:
    answers = []
    for _ in range(times):
        try:
            attempt(*checks)
            answers.append(True)
        except Throttled:
            answers.append(False)
    return answers


# --- Parsing ---------------------------------------------------------------------------------
def test_rates_are_read_in_allauths_notation():
    assert parse_rates("10/m/ip,5/300s/key", setting="X", scopes={"ip", "key"}) == (
        Rate(10, 60, "ip"),
        Rate(5, 300, "key"),
    )
    assert parse_rates("10/5m", setting="X") == (Rate(10, 300),)
    assert parse_rates(" 2/h , 1/d ", setting="X") == (Rate(2, 3600), Rate(1, 86400))


@pytest.mark.parametrize("value", ["", "ten/m", "10/m/ip", "10/5", "10/5w", "0/m", "10/0s"])
def test_a_malformed_rate_names_its_setting(value):
    with pytest.raises(ImproperlyConfigured, match="CHECK_IN_RATE_LIMIT"):
        parse_rates(value, setting="CHECK_IN_RATE_LIMIT")


# --- Counting --------------------------------------------------------------------------------
def test_attempts_beyond_the_amount_are_refused_per_subject():
    one = limit(3)

    assert allowed([(one, "alice")], 5) == [True, True, True, False, False]
    assert allowed([(one, "bob")], 1) == [True]


def test_an_undone_attempt_gives_its_place_back():
    one = limit(2)
    attempt((one, "alice")).undo()
    attempt((one, "alice")).undo()

    assert allowed([(one, "alice")], 3) == [True, True, False]


def test_a_refused_attempt_counts_against_nothing():
    """A locked account mustn't use up its sender's address allowance."""
    address, account = limit(3, name="address"), limit(1, name="account")
    attempt((address, "office"), (account, "alice"))

    assert allowed([(address, "office"), (account, "alice")], 5) == [False] * 5
    assert allowed([(address, "office")], 3) == [True, True, False]


def test_throttled_says_which_rate_and_how_long_to_wait():
    two_rates = RateLimit("test", (Rate(5, 60), Rate(1, 300)))
    attempt((two_rates, "alice"))

    with pytest.raises(Throttled) as refused:
        attempt((two_rates, "alice"))

    assert refused.value.rate == Rate(1, 300)
    assert refused.value.retry_after == 300
    assert refused.value.wait == "5 minutes"


def test_the_window_ends_and_refusals_dont_extend_it():
    short = limit(1, seconds=1)
    attempt((short, "alice"))
    assert allowed([(short, "alice")], 3) == [False] * 3  # hammering, inside the window

    time.sleep(1.2)

    assert allowed([(short, "alice")], 1) == [True]


def test_undoing_after_the_window_ended_leaves_no_counter_behind():
    short = limit(1, seconds=1)
    counted = attempt((short, "alice"))
    time.sleep(1.2)
    counted.undo()

    assert cache.get(short.key(short.rates[0], "alice")) is None
    assert allowed([(short, "alice")], 2) == [True, False]


def test_a_default_cache_that_cannot_count_windows_is_refused_naming_caches(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    with pytest.raises(ImproperlyConfigured, match=r"CACHES\['default'\].*DummyCache"):
        attempt((limit(), "alice"))


def test_subjects_are_hashed_in_the_key():
    one = limit()

    key = one.key(one.rates[0], "alice@example.com")

    assert "alice" not in key
    assert key.startswith("rl:test:3/60:")


def test_parallel_attempts_never_get_more_than_the_amount():
    """Counting before the guarded work: a burst can't all pass the check at once."""
    five = limit(5)
    answers = []
    barrier = threading.Barrier(20)

    def one_attempt():
        barrier.wait()
        answers.extend(allowed([(five, "alice")], 1))

    threads = [threading.Thread(target=one_attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers.count(True) == 5


# --- Where the counters live -----------------------------------------------------------------
@pytest.mark.redis
def test_counters_are_kept_in_redis_with_an_expiry():
    import redis
    from django.conf import settings

    one = limit(3, seconds=60)
    attempt((one, "alice"))

    raw = redis.Redis.from_url(settings.REDIS_URL)
    key = cache.make_key(one.key(one.rates[0], "alice"))
    assert int(raw.get(key)) == 1
    assert 0 < raw.ttl(key) <= 60


@pytest.mark.redis
def test_a_second_process_sees_the_same_counts_through_redis(settings):
    """Another process is another cache object with its own memory; Redis is what they share."""
    from peertrain.core.cache import ResilientRedisCache

    one = limit(3)
    attempt((one, "alice"))
    attempt((one, "alice"))
    other = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "peertrain"})
    other._local = None  # it must not need its memory for this

    assert other.get(one.key(one.rates[0], "alice")) == 2


def test_with_redis_down_each_process_still_counts(cache_on, caplog):
    cache_on(f"redis://127.0.0.1:{unused_tcp_port()}/0")  # nothing listens there
    one = limit(3)

    started = time.monotonic()
    answers = allowed([(one, "alice")], 5)

    assert answers == [True, True, True, False, False]
    assert time.monotonic() - started < 2
    assert caplog.text.count("Redis unreachable") == 1  # once per outage, not per call


def test_counting_carries_on_when_redis_stops_and_is_shared_again_when_it_is_back(
    own_redis, cache_on, monkeypatch, caplog
):
    from peertrain.core import cache as cache_module

    monkeypatch.setattr(cache_module, "REDIS_RETRY_SECONDS", 0.0)
    cache_on(own_redis.url)
    one = limit(4)
    assert allowed([(one, "alice")], 2) == [True, True]  # counted in Redis

    own_redis.stop()
    during = allowed([(one, "alice")], 5)  # Redis's two are out of reach: this process counts

    own_redis.start()  # an empty Redis (no persistence): counting starts again, shared
    after = allowed([(one, "alice")], 5)

    assert during == [True] * 4 + [False]
    assert after == [True] * 4 + [False]
    assert "Redis unreachable" in caplog.text
    assert "Redis answers again" in caplog.text


# --- The client's address --------------------------------------------------------------------
def request(remote="203.0.113.7", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_the_peer_is_the_client_and_forwarded_headers_are_ignored_by_default(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None

    spoofed = request(HTTP_X_FORWARDED_FOR="10.0.0.1", HTTP_X_REAL_IP="10.0.0.2")

    assert client_ip(spoofed) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the client's own claim is skipped
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.5", "198.51.100.9"),
        (2, "198.51.100.9", "203.0.113.7"),  # fewer hops than proxies: bypassed, use the peer
        (1, "", "203.0.113.7"),
        (1, "not an address", "203.0.113.7"),
        (1, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),  # one IPv6 /64 is one client
    ],
)
def test_trusted_proxies_name_the_client(settings, proxies, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies

    assert client_ip(request(HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_a_trusted_header_names_the_client_or_falls_back_to_the_peer(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"

    assert client_ip(request(HTTP_X_REAL_IP="198.51.100.9")) == "198.51.100.9"
    assert client_ip(request()) == "203.0.113.7"
    assert client_ip(request(HTTP_X_REAL_IP="198.51.100.9, 6.6.6.6")) == "203.0.113.7"


def test_no_usable_address_at_all_is_one_shared_unknown_client():
    assert client_ip(request(remote="")) == "unknown"
