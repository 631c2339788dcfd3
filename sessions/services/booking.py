"""Booking a seat or a waitlist place, cancelling, and claiming a seat freed late. The
seats themselves (the session's row lock, giving free seats to the waitlist, promotion) are
``seats.py``'s, so never more people are confirmed than seats. Booking takes the lock with
its claim (a conditional ``UPDATE``), as late as it can; cancelling and claiming a freed
seat take it first (``seats.lock``). On SQLite the IMMEDIATE transaction serialises writers
instead."""

from functools import cache

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.audit.events import event_record
from peertrain.notifications.notify import notify

from ..errors import BookingBusy, BookingError
from ..models import Booking, TrainingSession
from ..selectors import active_booking_of, co_teaches_expression, teaches
from . import seats

# Stand-ins for the two ids while the query below is compiled; replaced by the real ones.
_USER_ID, _SESSION_ID = -731, -732


@cache
def _training_session_for_booking_sql(vendor: str) -> tuple[str, tuple]:
    """The session and whether the user co-teaches it (``co_teaches_expression``: accepted
    co-trainers only), compiled by the ORM once per process and database, then run as raw
    SQL: every booking runs it, and compiling the queryset each time cost 0.38 ms of the
    server's ~3 ms of CPU per booking (measured)."""
    query = (
        TrainingSession.objects.annotate(user_co_teaches=co_teaches_expression(_USER_ID))
        .filter(pk=_SESSION_ID)
        .order_by()
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


def _for_booking(session: TrainingSession, user: User) -> TrainingSession:
    """The session as it is now, with whether ``user`` co-teaches it, in one query and
    without a lock: what booking checks before it claims anything."""
    sql, params = _training_session_for_booking_sql(connection.vendor)
    ids = {_USER_ID: user.pk, _SESSION_ID: session.pk}
    for found in TrainingSession.objects.raw(sql, [ids.get(param, param) for param in params]):
        # SQLite answers 0 or 1. A column of the raw query, not a field: the stubs can't know it.
        found.user_co_teaches = bool(found.user_co_teaches)  # type: ignore[attr-defined]
        return found
    raise TrainingSession.DoesNotExist("No such session.")


def booking_refusal(*, session: TrainingSession, user: User, now=None) -> str | None:
    """Why ``user`` cannot book ``session`` right now, or None if they can."""
    now = now or timezone.now()
    if session.status == TrainingSession.Status.CANCELLED:
        return "This session was cancelled."
    if session.status == TrainingSession.Status.DRAFT:
        return "This session isn't open for booking yet."
    if session.status == TrainingSession.Status.COMPLETED or session.starts_at <= now:
        return "This session has already taken place."
    if now >= session.effective_booking_deadline:
        return "Booking for this session closed at the deadline."
    if teaches(session, user):
        return "You teach this session, so you can't book a seat on it."
    if session.confirmed_count >= session.capacity and not session.waitlist_open:
        return "This session is full and its waitlist is closed."
    return None


# The claims take the session's row lock and re-check, in the same statement, what other
# people may change meanwhile: the status and the seats. RETURNING hands back the counters
# as this claim left them (the waitlist position among them), which the ORM's update()
# cannot, and a SELECT under the lock would cost every booking one more round trip.
_SEAT_CLAIM = (
    "UPDATE {table} SET confirmed_count = confirmed_count + 1 "
    "WHERE id = %s AND status = %s AND confirmed_count < capacity "
    "RETURNING confirmed_count, waitlist_count"
)
_WAITLIST_CLAIM = (
    "UPDATE {table} SET waitlist_count = waitlist_count + 1 "
    "WHERE id = %s AND status = %s AND confirmed_count >= capacity AND waitlist_open "
    "RETURNING confirmed_count, waitlist_count"
)
# Each attempt that claims nothing re-reads the session; seats that come and go between
# the read and the claim can't make this loop for ever.
CLAIM_ATTEMPTS = 3


def _claim(statement: str, session: TrainingSession) -> bool:
    """Run one claim; on success the session's counters are the ones it left."""
    with seats.busy_when_lock_times_out(), connection.cursor() as cursor:
        cursor.execute(
            statement.format(table=TrainingSession._meta.db_table),
            [session.pk, TrainingSession.Status.PUBLISHED],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    session.confirmed_count, session.waitlist_count = row
    return True


def _claim_seat_or_place(session: TrainingSession) -> Booking.Status | None:
    """A seat if one is free, else a waitlist place (tried first when the session looked
    full when read); None if neither is to be had any more."""
    claims = [(_SEAT_CLAIM, Booking.Status.CONFIRMED), (_WAITLIST_CLAIM, Booking.Status.WAITLISTED)]
    if session.confirmed_count >= session.capacity:
        claims.reverse()
    for statement, status in claims:
        if _claim(statement, session):
            return status
    return None


def booking_create(
    *, session: TrainingSession, user: User, booked_by: User | None = None
) -> Booking:
    """Confirm a seat if one is free, else join the waitlist. Raises BookingError.

    The session row's lock is taken as late as possible: the checks run on a plain read,
    then one conditional UPDATE claims a seat or a waitlist place (and locks the row),
    then the booking and its notice are inserted and the transaction commits. A second
    active booking for the same person is refused by the unique index
    ``one_active_booking_per_person``, which rolls the claim back.
    """
    for _attempt in range(CLAIM_ATTEMPTS):
        session = _for_booking(session, user)
        refusal = booking_refusal(session=session, user=user)
        if refusal:
            raise BookingError(refusal)
        try:
            with transaction.atomic():
                status = _claim_seat_or_place(session)
                if status is not None:
                    return _book(session, user=user, status=status, booked_by=booked_by)
        except IntegrityError as error:
            existing = active_booking_of(session=session, user=user)
            if existing is None:
                raise
            message = _already_booked_message(existing, user=user, booked_by=booked_by)
            raise BookingError(message) from error
    raise BookingBusy


def _book(
    session: TrainingSession, *, user: User, status: Booking.Status, booked_by: User | None
) -> Booking:
    """Insert the booking the claim made room for, and tell the people concerned."""
    booking = Booking.objects.create(
        session=session,
        user=user,
        status=status,
        waitlist_position=session.waitlist_count if status == Booking.Status.WAITLISTED else None,
        booked_by=booked_by,
    )
    # Audited only when booked by someone else (sessions/events.py): with nobody listening,
    # one's own booking costs no query here.
    event_record(
        actor=booked_by or user,
        code="training.booking.created",
        target=booking,
        payload={"session": session.pk, "user": user.pk, "status": booking.status},
    )
    if booked_by is not None and booked_by.pk != user.pk:
        _tell_booked_by_lead(booking, session=session, lead=booked_by)
    else:
        _confirm_to_booker(booking, session=session, user=user)
    return booking


def _confirm_to_booker(booking: Booking, *, session: TrainingSession, user: User) -> None:
    kind = f"training.booking.{booking.status}"  # confirmed or waitlisted
    notify(
        recipient=user,
        kind=kind,
        key=f"{kind}:{booking.pk}",
        related=booking,
        context={"session": session, "booking": booking},
    )


def _already_booked_message(existing: Booking, *, user: User, booked_by) -> str:
    who = "You're" if booked_by is None or booked_by.pk == user.pk else f"{user} is"
    if existing.status == Booking.Status.CONFIRMED:
        return f"{who} already booked on this session."
    return f"{who} already on the waitlist (number {existing.waitlist_position})."


def booking_cancel(*, booking: Booking, by: User) -> Booking:
    """Cancel a seat or leave the waitlist. A freed seat goes to the waitlist
    (``seats.fill_free``)."""
    with transaction.atomic():
        session = seats.lock(booking.session)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Booking.Status.CANCELLED:
            raise BookingError("This booking is already cancelled.")
        if session.starts_at <= timezone.now():
            raise BookingError("This session has started; ask the trainer to mark you excused.")
        was = booking.status
        position = booking.waitlist_position  # set exactly when waitlisted (a check constraint)
        booking.status = Booking.Status.CANCELLED
        booking.waitlist_position = None
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "waitlist_position", "cancelled_at", "updated_at"])
        if position is not None:
            seats.leave_waitlist(session, position)
        else:
            seats.give_back(session)
        event_record(
            actor=by,
            code="training.booking.cancelled",
            target=booking,
            payload={"session": session.pk, "user": booking.user_id, "was": was},
        )
    booking.session = session
    return booking


def booking_claim_free_seat(*, booking: Booking) -> Booking:
    """A waitlisted person takes a free seat (the late-release path)."""
    with transaction.atomic():
        session = seats.lock(booking.session)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Booking.Status.CONFIRMED:
            raise BookingError("You already have a seat.")
        if booking.status != Booking.Status.WAITLISTED:
            raise BookingError("You're not on the waitlist for this session.")
        if session.starts_at <= timezone.now():
            raise BookingError("This session has already started.")
        if not seats.is_late_release(session):
            raise BookingError("Until 24 hours before the start, seats go in waitlist order.")
        if session.confirmed_count >= session.capacity:
            raise BookingError("Someone else claimed the seat first; you keep your place.")
        seats.take_from_waitlist(booking, session=session)
        booking.session = session
        event_record(
            actor=booking.user,
            code="training.booking.claimed",
            target=booking,
            payload={"session": session.pk, "user": booking.user_id},
        )
    return booking


def _tell_booked_by_lead(booking: Booking, *, session: TrainingSession, lead: User) -> None:
    notify(
        recipient=booking.user,
        kind="training.booking.by_lead",
        key=f"training.booking.by_lead:{booking.pk}",
        related=booking,
        context={"session": session, "booking": booking, "lead": lead},
    )
