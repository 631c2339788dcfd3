"""Gunicorn settings for `make run` (``peertrain/launcher.py``) and the Docker image.

Threaded workers (gthread), because a sync worker serves one connection at a time: three
clients that connected and sent nothing froze a three-worker sync server until its worker
timeout. A gthread worker waits for a new connection's first bytes in the worker's poller
(after at most 5 s in a thread), so idle connections cost no worker, and a slow request
holds one thread of ``WEB_THREADS``, not a process. A client that sends its request slowly
still holds a thread while it does: in production a buffering reverse proxy (nginx) in
front reads whole requests first (README, "Production").

Run it with ``gunicorn --config peertrain/gunicorn_conf.py --bind HOST:PORT``.
"""

import os


def _count(name: str, default: int) -> int:
    """A positive whole number from the environment; a bad value stops start-up by name."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


DEFAULT_WORKERS, DEFAULT_THREADS = 2, 8

wsgi_app = "peertrain.wsgi:application"
worker_class = "gthread"
workers = _count("WEB_CONCURRENCY", DEFAULT_WORKERS)
threads = _count("WEB_THREADS", DEFAULT_THREADS)
# The main loop of a gthread worker answers the master's heartbeat whatever its threads
# do, so this only catches a worker that is stuck as a whole.
timeout = 60
# Connections the kernel queues before the workers accept them (gunicorn's default,
# stated because a rush depends on it: runserver's queue of 10 refused a rush of 60).
backlog = 2048
accesslog = "-"
# gunicornc's control socket would default to one path per user, shared by every server
# that user starts (two checkouts, the tests); nothing here uses it.
control_socket_disable = True
