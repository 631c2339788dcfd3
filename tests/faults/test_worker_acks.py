"""A worker whose acknowledgements Redis never answered must go on fetching once Redis is
back (``peertrain/celery.py``): kombu's Redis QoS used to keep such a message's prefetch
slot, and with every slot held the worker never asked for another message. The Redis is
this test's own (``tests/redis_server.py``), hung with SIGSTOP."""

import pytest
import redis
from kombu import Connection, Exchange, Producer, Queue

import peertrain.celery  # noqa: F401 — applies the patches under test

pytestmark = pytest.mark.redis

PREFETCH = 2  # a 2-process prefork worker's slots (prefetch multiplier 1)


@pytest.fixture
def channel(own_redis):
    """A channel as the worker's consumer has one: ``PREFETCH`` slots, two messages held
    unacknowledged, and a short socket timeout so the hung acks fail quickly."""
    with Connection(own_redis.url, transport_options={"socket_timeout": 0.3}) as connection:
        channel = connection.channel()
        queue = Queue("hung-acks", Exchange("hung-acks"), "hung-acks")(channel)
        queue.declare()
        producer = Producer(channel, exchange=queue.exchange, routing_key="hung-acks")
        for number in range(PREFETCH):
            producer.publish(f"message {number}")
        channel.basic_qos(prefetch_count=PREFETCH)
        held = [queue.get(no_ack=False) for _ in range(PREFETCH)]
        assert all(held)
        assert not channel.qos.can_consume()  # every slot held, as when the worker stalled
        yield channel, held, connection


@pytest.mark.parametrize(
    "settle",
    [
        pytest.param(lambda message: message.ack(), id="ack"),
        pytest.param(lambda message: message.reject(), id="reject"),
        pytest.param(lambda message: message.reject(requeue=True), id="requeue"),
    ],
)
def test_a_message_settled_while_redis_hangs_frees_its_prefetch_slot(own_redis, channel, settle):
    channel, held, connection = channel
    own_redis.hang()
    try:
        for message in held:
            with pytest.raises(connection.connection_errors):
                settle(message)
    finally:
        own_redis.resume()

    assert channel.qos.can_consume()  # it fetches again (it stopped here before the patch)
    # Settled only locally, nothing is lost: a message whose ack Redis never received stays
    # in its unacked index, to be handed out again after the visibility timeout. (The first
    # ack was already written to the socket, and Redis applies it when it wakes; the second
    # never got past reconnecting.)
    assert redis.Redis.from_url(own_redis.url).hlen("unacked") >= 1


def test_an_ack_redis_answers_still_removes_the_message(own_redis, channel):
    channel, held, _ = channel
    for message in held:
        message.ack()

    assert channel.qos.can_consume()
    assert redis.Redis.from_url(own_redis.url).hlen("unacked") == 0
