"""Telling a lost database connection from other database errors, and surviving one.

A connection can drop at any moment (a database restart or failover, a proxy's idle timeout,
``pg_terminate_backend``). Django notices on the next use and, with ``CONN_HEALTH_CHECKS``,
reconnects at the start of the next request; these helpers cover the moment it happens: a
request answers "try again" (``peertrain.core.views.database_unavailable``) and a write
that must not be lost (recording that an email went out) reconnects and tries again.
"""

import logging
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATE classes and codes that mean the session is gone (or never started): class 08 is
# "connection exception"; 57P01-57P03 are an administrator's or the server's shutdown;
# 53300 is "too many connections" (try again later, like the others).
_LOST_PREFIXES = ("08",)
_LOST_CODES = {"57P01", "57P02", "57P03", "53300"}
# Pauses between tries of a write that must survive a dropped connection: about 15 s in
# all, long enough for a restart or failover, short enough to give up while the caller can
# still say so.
RECONNECT_PAUSES = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 7.0)


def connection_lost(error: BaseException) -> bool:
    """True if ``error`` means the database connection is gone or could not be made (retry
    on a new connection), not that this statement was wrong, timed out or waited too long
    for a lock."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if connection.vendor == "postgresql" and cause is not None:
        code = getattr(cause, "pgcode", None)
        # No SQLSTATE: the client library raised it because no server answered (closed,
        # reset, refused). By the time a view's error is seen, Django may already have
        # reconnected (leaving an atomic block does), so the error is what tells.
        return code is None or code in _LOST_CODES or code.startswith(_LOST_PREFIXES)
    return connection.connection is None  # connecting failed


def with_reconnect(
    write: Callable[[], T], *, what: str, pauses: Iterable[float] | None = None
) -> T:
    """Run ``write`` (one idempotent statement, outside any transaction); if the connection
    is lost, drop it, reconnect and run it again, pausing as ``pauses`` says. Raises the
    last error once the pauses run out; any other error at once."""
    error: BaseException = ValueError("with_reconnect needs at least one pause")
    for attempt, pause in enumerate(RECONNECT_PAUSES if pauses is None else pauses):
        if pause:
            time.sleep(pause)
        try:
            return write()
        except (OperationalError, InterfaceError) as exc:
            if not connection_lost(exc) or connection.in_atomic_block:
                raise
            error = exc
            logger.warning("Database connection lost while %s (try %d): %s", what, attempt + 1, exc)
            connection.close()  # the next statement connects afresh
    raise error
