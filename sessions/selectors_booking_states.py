"""A person's relation to a training session, stated in one place.

Every page that says where I stand on a session (the list, the session page, *My sessions*,
the home) asks ``booking_states_for`` and renders the answer with the one partial
``training/_booking_state.html``, so a state reads and looks the same wherever it is shown.
The rule is ``booking_state_from``: what a session and my booking and attendance on it
mean; the readers around it only fetch those rows, a fixed number of queries per page.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils import timezone

from peertrain.accounts.models import User

from .models import Attendance, Booking, TrainingSession
from .selectors import ACTIVE
from .services.seats import is_late_release


class Relation(StrEnum):
    """Where a person stands on a session. The values are what templates compare with."""

    NONE = "none"
    BOOKED = "booked"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # waiting, and a freed seat is offered to everyone waiting
    CANCELLED_BY_ME = "cancelled_by_me"
    SESSION_CANCELLED = "session_cancelled"
    COMPLETED = "completed"  # the session is over and I had a seat
    ATTENDED = "attended"  # recorded present or late


@dataclass(frozen=True)
class BookingState:
    relation: Relation
    # My active booking, or the cancelled one the state is about; None when I never booked.
    booking: Booking | None = None
    waitlist_position: int | None = None
    offered_until: datetime | None = None  # an offered seat can be claimed until the start
    attendance_status: str = ""  # Attendance.Status, when recorded

    @property
    def kind(self) -> str:
        return self.relation.value

    @property
    def active_booking(self) -> Booking | None:
        """The booking I can act on (cancel, claim a freed seat), if I hold one."""
        if self.booking is not None and self.booking.status in ACTIVE:
            return self.booking
        return None


NO_RELATION = BookingState(Relation.NONE)


def booking_state_from(
    *,
    session: TrainingSession,
    booking: Booking | None,
    attendance: Attendance | None = None,
    now: datetime | None = None,
) -> BookingState:
    """The rule: what ``session`` (as loaded), my most relevant ``booking`` on it (the active
    one, else the latest cancelled one; ``pick_booking``) and my ``attendance`` mean."""
    now = now or timezone.now()
    recorded = attendance.status if attendance is not None else ""
    if attendance is not None and attendance.counts_as_attended:
        return BookingState(Relation.ATTENDED, booking=booking, attendance_status=recorded)
    if booking is None:
        return NO_RELATION
    if session.status == TrainingSession.Status.CANCELLED:
        return BookingState(Relation.SESSION_CANCELLED, booking=booking)
    if booking.status == Booking.Status.CANCELLED:
        return BookingState(Relation.CANCELLED_BY_ME, booking=booking)
    over = session.status == TrainingSession.Status.COMPLETED or session.ends_at <= now
    if booking.status == Booking.Status.CONFIRMED:
        if over:
            return BookingState(Relation.COMPLETED, booking=booking, attendance_status=recorded)
        return BookingState(Relation.BOOKED, booking=booking)
    if over:  # waited to the end without a seat: nothing to show
        return NO_RELATION
    if _seat_offered(session, now):
        return BookingState(
            Relation.OFFERED,
            booking=booking,
            waitlist_position=booking.waitlist_position,
            offered_until=session.starts_at,
        )
    return BookingState(
        Relation.WAITLISTED, booking=booking, waitlist_position=booking.waitlist_position
    )


def _seat_offered(session: TrainingSession, now: datetime) -> bool:
    """A seat is free while people wait only in the late-release window (``seats.fill_free``
    offers it to all of them); it can be claimed until the session starts."""
    return (
        session.status == TrainingSession.Status.PUBLISHED
        and session.starts_at > now
        and session.seats_left > 0
        and is_late_release(session, now=now)
    )


def pick_booking(bookings: Iterable[Booking]) -> Booking | None:
    """The booking a state is about, of one person's bookings on one session: the active
    one (there is at most one), else the most recently made."""
    chosen: Booking | None = None
    for booking in bookings:
        if booking.status in ACTIVE:
            return booking
        if chosen is None or (booking.created_at, booking.pk) > (chosen.created_at, chosen.pk):
            chosen = booking
    return chosen


def booking_states_for(
    *, user: User, sessions: Iterable[TrainingSession], now: datetime | None = None
) -> dict[int, BookingState]:
    """``user``'s state on each of ``sessions`` (already loaded), by session id: one query
    for their bookings, and one for their attendance when any of the sessions has started.
    Anonymous or nothing to ask: no query. (A separate query rather than subqueries on the
    list's own: PostgreSQL would run those for every row an OFFSET skips too — 0.5 s for
    page 200 of 10,000 sessions, measured.)"""
    sessions = list(sessions)
    if not sessions or not user.is_authenticated:
        return dict.fromkeys((s.pk for s in sessions), NO_RELATION)
    now = now or timezone.now()
    mine: dict[int, list[Booking]] = {}
    ids = [session.pk for session in sessions]
    for booking in Booking.objects.filter(user=user, session_id__in=ids):
        mine.setdefault(booking.session_id, []).append(booking)
    started = [session.pk for session in sessions if session.starts_at <= now]
    attendance = (
        {a.session_id: a for a in Attendance.objects.filter(user=user, session_id__in=started)}
        if started
        else {}
    )
    return {
        session.pk: booking_state_from(
            session=session,
            booking=pick_booking(mine.get(session.pk, ())),
            attendance=attendance.get(session.pk),
            now=now,
        )
        for session in sessions
    }


def booking_state_of(
    *, user: User, session: TrainingSession, now: datetime | None = None
) -> BookingState:
    """``booking_states_for`` one session (the session page)."""
    return booking_states_for(user=user, sessions=[session], now=now)[session.pk]


@dataclass(frozen=True)
class MySession:
    session: TrainingSession
    state: BookingState


@dataclass(frozen=True)
class MySessions:
    upcoming: list[MySession]  # booked, waitlisted or offered a seat, soonest first
    cancelled: list[MySession]  # off (the session's or my own cancelling), date first
    past: list[MySession]  # the PAST_SHOWN most recent I had a seat on, newest first


PAST_SHOWN = 20  # the most recent past sessions on "my sessions"; history grows for ever
# How long a cancelled session stays on "my sessions" after its date, so a cancellation
# made while I was away is still there to read when I'm back.
CANCELLED_KEPT = timedelta(days=30)
_CALLED_OFF = (Relation.CANCELLED_BY_ME, Relation.SESSION_CANCELLED)


def my_sessions(*, user: User, now: datetime | None = None) -> MySessions:
    """*My sessions*, each with its state: two queries whatever the history. Sessions not
    over yet, and cancelled ones of the last ``CANCELLED_KEPT``, come with all my bookings on
    them (active ones, and cancelled ones, which say whether the session was cancelled or I
    cancelled); past ones are those I had a seat on, each with its attendance (read with the
    booking)."""
    now = now or timezone.now()
    related = ("session__skill", "session__lead_trainer")
    current = Booking.objects.filter(
        user=user, session__ends_at__gt=now - CANCELLED_KEPT
    ).select_related("session", *related)
    by_session: dict[int, list[Booking]] = {}
    for booking in current.order_by("session__starts_at", "session_id", "created_at", "pk"):
        by_session.setdefault(booking.session_id, []).append(booking)
    upcoming: list[MySession] = []
    cancelled: list[MySession] = []
    for bookings in by_session.values():
        chosen = pick_booking(bookings)
        if chosen is None:  # unreachable: every list holds at least one booking
            continue
        state = booking_state_from(session=chosen.session, booking=chosen, now=now)
        if state.relation in _CALLED_OFF:
            cancelled.append(MySession(chosen.session, state))
        elif chosen.status in ACTIVE and chosen.session.ends_at > now:
            upcoming.append(MySession(chosen.session, state))
        # else: over, so the past list's (a seat) or nothing to show (waited in vain)
    past = Booking.objects.filter(
        user=user, status=Booking.Status.CONFIRMED, session__ends_at__lte=now
    ).select_related("session", "attendance", *related)
    return MySessions(
        upcoming=upcoming,
        cancelled=cancelled[:PAST_SHOWN],
        past=[
            MySession(
                booking.session,
                booking_state_from(
                    session=booking.session,
                    booking=booking,
                    attendance=getattr(booking, "attendance", None),
                    now=now,
                ),
            )
            for booking in past.order_by("-session__starts_at")[:PAST_SHOWN]
        ],
    )


class FreedSeat(StrEnum):
    GIVEN = "given"  # to the first person waiting
    OFFERED = "offered"  # to everyone waiting, first to claim it (late release)
    FREE = "free"  # nobody was waiting


def freed_seat_fate(session: TrainingSession) -> FreedSeat:
    """What became of a seat just given back, from ``session`` as ``booking_cancel`` left it
    (its counters read under the lock). People wait only while a session is full, so a full
    session again means ``seats.fill_free`` gave the seat to the first of them; free seats
    with people still waiting mean it offered the seat to all of them."""
    if session.confirmed_count >= session.capacity:
        return FreedSeat.GIVEN
    if session.waitlist_count > 0:
        return FreedSeat.OFFERED
    return FreedSeat.FREE
