"""The rush benchmark's world, made and read in a process of its own with `make run`'s
environment: on the embedded default the server's database is a file in a temporary
``var/``, which the test process (on its own test database) cannot reach. The people and
the session are the booking benchmark's (``booking_bench``), as are the seat checks.

    python -m tests.load.rush_world make PEOPLE SEATS   # JSON: session id, people's headers
    python -m tests.load.rush_world outcome SESSION     # JSON: seats, waitlist, emails
    python -m tests.load.rush_world forget              # delete what `make` made
"""

import json
import os
import sys

import django


def make(people: int, seats: int) -> dict:
    from django.conf import settings

    from .booking_bench import forget_bench_rows, make_people, make_sessions, make_trainer

    forget_bench_rows()
    skill, trainer = make_trainer()
    crowd = make_people(people, secret_key=settings.SECRET_KEY)
    [session] = make_sessions(1, capacity=seats, skill=skill, trainer=trainer, title="Rush")
    return {"session": session, "people": [person.headers for person in crowd]}


def outcome(session_id: int) -> dict:
    """The seats as the database has them, checked by ``assert_no_oversell`` (an
    AssertionError, and a non-zero exit, if a rule broke), and the booking emails."""
    from django.conf import settings

    from peertrain.notifications.models import Notification
    from sessions.models import TrainingSession

    from .booking_bench import EMAIL_PREFIX, assert_no_oversell

    totals = assert_no_oversell([session_id])
    emails = Notification.objects.filter(recipient__email__startswith=EMAIL_PREFIX)
    link = f"{settings.SITE_URL}{TrainingSession(pk=session_id).get_absolute_url()}"
    return {
        "confirmed": totals.confirmed,
        "waitlisted": totals.waitlisted,
        "emails": emails.count(),
        "sent": emails.exclude(sent_at=None).count(),
        "linked": emails.filter(body__contains=link).count(),
        "link": link,
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peertrain.settings.local")
    django.setup()
    from .booking_bench import forget_bench_rows

    command, *args = argv
    if command == "make":
        result = make(int(args[0]), int(args[1]))
    elif command == "outcome":
        result = outcome(int(args[0]))
    elif command == "forget":
        forget_bench_rows()
        result = {}
    else:
        raise SystemExit(f"unknown command {command!r}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
