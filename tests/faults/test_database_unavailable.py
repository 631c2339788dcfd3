"""A database connection cut in the middle of a request answers 503 "try again" (JSON for
htmx and API calls), never 500; the next request reconnects by itself; and errors that are
not a lost connection are not hidden behind a 503.

The cut is real: PostgreSQL terminates this test's own backend (``pg_terminate_backend`` on
its pid, nobody else's) just before a chosen statement runs.
"""

import contextlib

import psycopg2
import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client

from peertrain.core.db import connection_lost, with_reconnect
from sessions.models import Booking, TrainingSession

from ..factories import TrainingSessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def terminate_own_backend() -> None:
    db = connection.settings_dict
    pid = connection.connection.get_backend_pid()
    with contextlib.closing(
        psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    ) as other:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@contextlib.contextmanager
def cut_before(fragment: str):
    """Terminate the connection just before the first statement containing ``fragment``."""
    state = {"done": False}

    def wrapper(execute, sql, params, many, context):
        if not state["done"] and fragment in sql:
            state["done"] = True
            terminate_own_backend()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield state
    between_requests()


def between_requests() -> None:
    """What a server does at the end and start of each request and the test client leaves
    out: drop a connection that had errors and no longer works, and check (with
    CONN_HEALTH_CHECKS) an idle one before its first use."""
    close_old_connections()


@pytest.fixture
def session(db):
    return TrainingSessionFactory(title="Pairing on SQL", capacity=3)


def test_connection_cut_in_a_view_answers_503_try_again_with_retry_after(client, employee):
    client.force_login(employee)
    client.get("/sessions/")  # warm: the session and user are loaded on this connection

    with cut_before('FROM "training_trainingsession"') as cut:
        response = client.get("/sessions/")

    assert cut["done"]
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "try again" in response.content.decode()
    assert "<html" in response.content.decode()


def test_connection_cut_in_a_middleware_answers_503_too(employee):
    client = Client(raise_request_exception=False)  # as in production: no test re-raise
    client.force_login(employee)

    with cut_before('FROM "django_session"') as cut:  # read by a middleware, before the view
        response = client.get("/sessions/")

    assert cut["done"]
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_htmx_and_api_calls_get_json_503(client, employee, session):
    client.force_login(employee)
    client.get("/sessions/")

    with cut_before('"training_booking"'):
        htmx = client.post(f"/sessions/{session.pk}/book/", headers={"HX-Request": "true"})
    with cut_before('FROM "training_trainingsession"'):
        api = client.get("/sessions/", headers={"Accept": "application/json"})

    for response in (htmx, api):
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert response.json()["retry_after"] == 5
        assert "try again" in response.json()["error"]


def test_a_booking_cut_mid_transaction_saves_nothing_and_the_next_request_books(
    client, employee, session
):
    client.force_login(employee)
    client.get("/sessions/")

    with cut_before('INSERT INTO "training_booking"'):  # after the seat was claimed
        response = client.post(f"/sessions/{session.pk}/book/")

    assert response.status_code == 503
    session.refresh_from_db()
    assert session.confirmed_count == 0
    assert not Booking.objects.exists()

    assert client.post(f"/sessions/{session.pk}/book/").status_code == 302
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    assert TrainingSession.objects.get(pk=session.pk).confirmed_count == 1


def test_a_connection_dropped_between_requests_is_replaced_without_an_error(client, employee):
    client.force_login(employee)
    client.get("/sessions/")
    terminate_own_backend()  # idle, as a database restart or a proxy timeout leaves it
    between_requests()

    assert client.get("/sessions/").status_code == 200


def test_other_database_errors_stay_500_not_503(employee):
    client = Client(raise_request_exception=False)
    client.force_login(employee)

    def broken(execute, sql, params, many, context):
        if 'FROM "training_trainingsession"' in sql:
            raise OperationalError("canceling statement due to statement timeout")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(broken):
        response = client.get("/sessions/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_statement_timeout_is_not_mistaken_for_a_lost_connection():
    with pytest.raises(OperationalError) as caught, connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 10; SELECT pg_sleep(1)")

    assert not connection_lost(caught.value)


def test_with_reconnect_runs_the_write_again_on_a_new_connection(session):
    calls = []

    def write():
        calls.append(connection.connection.get_backend_pid() if connection.connection else None)
        if len(calls) == 1:
            terminate_own_backend()
        return TrainingSession.objects.filter(pk=session.pk).update(capacity=9)

    connection.ensure_connection()
    assert with_reconnect(write, what="testing", pauses=(0, 0, 0)) == 1
    assert len(calls) == 2
    assert TrainingSession.objects.get(pk=session.pk).capacity == 9


def test_with_reconnect_gives_up_after_its_pauses(session):
    def write():
        connection.ensure_connection()
        terminate_own_backend()
        return TrainingSession.objects.filter(pk=session.pk).update(capacity=9)

    with pytest.raises(OperationalError):
        with_reconnect(write, what="testing", pauses=(0, 0))
