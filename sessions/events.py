"""What the training app tells higher apps happened (the catalogue: docs/events.md).

Feedback, recognition and the dashboard react to these codes by subscribing in their
``AppConfig.ready()``; nothing here knows they exist.
"""

from typing import TypedDict

from peertrain.audit.events import ON_BEHALF, EventSpec, declare


class NoPayload(TypedDict):
    pass


class SessionUpdated(TypedDict):
    changed: list[str]  # field names
    moved: list[str]  # the calendar fields among them (times, place, link)


class SessionCancelled(TypedDict):
    reason: str


class SessionCompleted(TypedDict):
    attended: list[int]  # user ids marked present or late
    booked: int  # confirmed seats


class CoTrainerChanged(TypedDict):
    co_trainer: int  # user id


class BookingCreated(TypedDict):
    session: int
    user: int  # who has the seat (the actor may be their team lead)
    status: str  # confirmed or waitlisted


class BookingCancelled(TypedDict):
    session: int
    user: int
    was: str  # confirmed or waitlisted


class BookingSeat(TypedDict):
    session: int
    user: int


class CheckedIn(TypedDict):
    session: int
    walk_in: bool


class AttendanceRecorded(TypedDict):
    session: int
    user: int
    status: str  # present, late, absent, excused


def _spec(code: str, payload: type, doc: str, *, audited: bool | str = True) -> EventSpec:
    return EventSpec(code, payload=payload, audited=audited, doc=doc)


declare(
    _spec("training.session.created", NoPayload, "A trainer proposed a session (a draft)."),
    _spec("training.session.published", NoPayload, "A session opened for booking."),
    _spec("training.session.updated", SessionUpdated, "A session's details changed."),
    _spec("training.session.cancelled", SessionCancelled, "A session was cancelled."),
    _spec(
        "training.session.completed",
        SessionCompleted,
        "A session was marked held; no-shows are recorded absent.",
    ),
    _spec("training.cotrainer.invited", CoTrainerChanged, "A colleague was asked to co-teach."),
    _spec("training.cotrainer.accepted", CoTrainerChanged, "An invitation to co-teach accepted."),
    _spec("training.cotrainer.declined", CoTrainerChanged, "An invitation to co-teach declined."),
    _spec("training.cotrainer.withdrawn", CoTrainerChanged, "An unanswered invitation withdrawn."),
    _spec("training.cotrainer.removed", CoTrainerChanged, "A co-trainer no longer co-teaches."),
    _spec(
        "training.booking.created",
        BookingCreated,
        "Someone got a seat or a waitlist place, by themselves or booked by their lead.",
        # One's own booking row says who booked and when; the booking POST keeps its budget.
        audited=ON_BEHALF,
    ),
    _spec("training.booking.cancelled", BookingCancelled, "A seat or waitlist place given up."),
    _spec(
        "training.booking.promoted",
        BookingSeat,
        "A freed seat went to the first person waiting (no actor).",
    ),
    _spec(
        "training.booking.claimed",
        BookingSeat,
        "Someone waiting took a seat that came free shortly before the start.",
    ),
    _spec("training.attendance.checked_in", CheckedIn, "An attendee checked themselves in."),
    _spec(
        "training.attendance.recorded",
        AttendanceRecorded,
        "A trainer marked someone present, late, absent or excused.",
    ),
    _spec(
        "training.attendance.walk_in_approved",
        NoPayload,
        "A trainer accepted a walk-in who checked in without a seat.",
    ),
    _spec(
        "training.calendar_feed.reset",
        NoPayload,
        "A person gave their calendar feed a new secret address.",
    ),
)
