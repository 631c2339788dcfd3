"""What a domain event costs its service: event_record with nobody listening, with 1 and 10
handlers, and audited (one INSERT). Prints figures (µs per event); never fails on timing.

Run alone: ``BENCH_SIZE=full .venv/bin/pytest tests/load/test_event_dispatch.py -q``.
"""

import time

import pytest
from django.db import transaction

from peertrain.audit.events import event_record, subscribe, unsubscribe

from ..factories import TrainingSessionFactory, UserFactory
from .conftest import BENCH_SIZE, TIMEOUT, report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.timeout(TIMEOUT)]
EVENTS = 50_000 if BENCH_SIZE == "full" else 2_000
AUDITED = EVENTS // 10  # each one an INSERT: fewer, or the run is about the database


def per_event_us(record, count: int) -> float:
    with transaction.atomic():
        record()  # warm: the ContentType cache, the handler list for the code
        started = time.perf_counter()
        for _ in range(count):
            record()
        return (time.perf_counter() - started) / count * 1e6


def test_event_dispatch_cost(django_assert_num_queries):
    person = UserFactory()
    session = TrainingSessionFactory()
    payload = {"session": session.pk, "user": person.pk, "status": "confirmed"}

    def own_booking():
        event_record(code="training.booking.created", actor=person, payload=payload)

    def published():
        event_record(code="training.session.published", actor=person, target=session)

    figures = {"nobody_us": per_event_us(own_booking, EVENTS)}
    with transaction.atomic(), django_assert_num_queries(0):
        own_booking()  # still nothing for the database
    handlers = [lambda event: None for _ in range(10)]
    subscribe("training.booking.created", handlers[0])
    try:
        figures["one_handler_us"] = per_event_us(own_booking, EVENTS)
        for handler in handlers[1:]:
            subscribe("training.booking.created", handler)
        figures["ten_handlers_us"] = per_event_us(own_booking, EVENTS)
    finally:
        for handler in handlers:
            unsubscribe("training.booking.created", handler)
    figures["audited_us"] = per_event_us(published, AUDITED)

    report("event_dispatch", events=EVENTS, audited_events=AUDITED, **figures)
    assert figures["nobody_us"] > 0
