"""Is the database reachable? Is the broker? Used by /healthz."""

from dataclasses import dataclass

from django.db import connection

from peertrain.celery import app as celery_app

BROKER_CHECK_TIMEOUT = 0.5  # seconds; with one try, the most a hung broker costs /healthz


@dataclass(frozen=True)
class ComponentStatus:
    ok: bool
    detail: str


def database_status() -> ComponentStatus:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return ComponentStatus(ok=False, detail=type(exc).__name__)
    return ComponentStatus(ok=True, detail=connection.vendor)


def broker_status() -> ComponentStatus:
    try:
        with celery_app.connection_for_write() as conn:
            # kombu's stubs say whole seconds; kombu compares the float like any other.
            conn.ensure_connection(max_retries=0, timeout=BROKER_CHECK_TIMEOUT)  # type: ignore[arg-type]
            transport = conn.transport_cls
    except Exception as exc:  # any transport error means "down"
        return ComponentStatus(ok=False, detail=type(exc).__name__)
    return ComponentStatus(ok=True, detail=str(transport))
