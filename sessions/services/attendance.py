"""Attendance: the trainer's roster and self check-in with a rotating code.

The check-in code changes every ``CODE_PERIOD`` (an HMAC of the session's secret and the
time slot), so a photo of the QR code stops working within a minute. Someone who opened
the check-in page with a good code gets a short-lived ticket bound to them, so the code
rotating while they tap "Confirm" doesn't turn them away; the ticket is useless to others.
"""

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.audit.events import event_record
from peertrain.core.durations import duration_words
from peertrain.core.ratelimit import RateLimit, Throttled, attempt, parse_rates

from ..errors import CheckInCodeInvalid, CheckInRefused, CheckInThrottled, SessionError
from ..models import Attendance, Booking, TrainingSession
from ..selectors import teaches

logger = logging.getLogger(__name__)

CODE_PERIOD = timedelta(seconds=30)
OPENS_BEFORE_START = timedelta(minutes=15)
LATE_AFTER = timedelta(minutes=10)
TICKET_MAX_AGE = timedelta(minutes=3)
TICKET_SALT = "training.check_in_ticket"
CODE_FORMAT = re.compile(r"[0-9]{6}")
_CODE_EXPIRED = "That code has expired or is wrong. Scan the code on screen again."


def check_in_code(session: TrainingSession, *, at: datetime | None = None) -> str:
    slot = int((at or timezone.now()).timestamp() // CODE_PERIOD.total_seconds())
    digest = hmac.new(
        session.check_in_secret.encode(), f"{session.pk}:{slot}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{int(digest[:8], 16) % 1_000_000:06d}"


def check_in_code_is_valid(session: TrainingSession, code: str, *, at=None) -> bool:
    """The current code or the one just before it (a scan can straddle a rotation)."""
    if not CODE_FORMAT.fullmatch(code):  # also keeps non-ASCII out of compare_digest
        return False
    at = at or timezone.now()
    return any(
        hmac.compare_digest(code, check_in_code(session, at=at - CODE_PERIOD * back))
        for back in (0, 1)
    )


def _check_in_limit() -> RateLimit:
    rates = parse_rates(settings.CHECK_IN_RATE_LIMIT, setting="CHECK_IN_RATE_LIMIT")
    return RateLimit("check-in", rates)


def _typed_code_is_valid(session: TrainingSession, user: User, code: str, *, at=None) -> bool:
    """Check a code someone typed or scanned, counted against their allowance for this
    session: two of a million codes work at any moment, so unlimited tries would find one."""
    subject = f"{session.pk}:{user.pk}"
    try:
        counted = attempt((_check_in_limit(), subject))
    except Throttled as refused:
        logger.warning(
            "Check-in to session %s refused for user %s: too many wrong codes (%s)",
            session.pk,
            user.pk,
            refused.rate,
        )
        raise CheckInThrottled(
            f"Too many wrong codes. Wait {refused.wait} before trying again, or ask the "
            "trainer to mark you present.",
            retry_after=refused.retry_after,
        ) from refused
    if check_in_code_is_valid(session, code.strip(), at=at):
        counted.undo()  # only wrong codes count
        return True
    return False


@dataclass(frozen=True)
class CheckInWindow:
    opens_before: timedelta  # how long before the start it opens
    opens_at: datetime
    open: bool
    over: bool  # ended, or the session is no longer running (cancelled, completed)


def check_in_window(session: TrainingSession, *, at=None) -> CheckInWindow:
    """Self check-in runs from ``OPENS_BEFORE_START`` before the start to the end of a
    published session."""
    at = at or timezone.now()
    opens_at = session.starts_at - OPENS_BEFORE_START
    running = session.status == TrainingSession.Status.PUBLISHED
    return CheckInWindow(
        opens_before=OPENS_BEFORE_START,
        opens_at=opens_at,
        open=running and opens_at <= at <= session.ends_at,
        over=not running or at > session.ends_at,
    )


def check_in_refusal(*, session: TrainingSession, user: User, at=None) -> str | None:
    """Why ``user`` can't check themselves in to ``session`` now, or None if they can."""
    window = check_in_window(session, at=at)
    if session.status == TrainingSession.Status.CANCELLED:
        return "This session was cancelled."
    if session.status == TrainingSession.Status.DRAFT:
        return "This session hasn't been published, so there is no check-in."
    if window.over:
        return "This session has ended, so check-in is closed."
    if not window.open:
        return (
            f"Check-in opens {duration_words(window.opens_before)} before the session starts "
            f"({timezone.localtime(window.opens_at):%A %d %B, %H:%M})."
        )
    if teaches(session, user):
        return "You teach this session: show the code to attendees from the attendance sheet."
    return None


def check_in_ticket(*, session: TrainingSession, user: User, code: str) -> str:
    """Check the code now and vouch for it for ``TICKET_MAX_AGE``, for ``user`` only."""
    _refuse_unless_open(session, user)
    if not _typed_code_is_valid(session, user, code):
        raise CheckInCodeInvalid(_CODE_EXPIRED)
    return signing.dumps({"session": session.pk, "user": user.pk}, salt=TICKET_SALT)


def _ticket_is_valid(session: TrainingSession, user: User, token: str) -> bool:
    try:
        data = signing.loads(token, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:  # also when it has expired
        return False
    return data == {"session": session.pk, "user": user.pk}


def _refuse_unless_open(session: TrainingSession, user: User, at=None) -> None:
    refusal = check_in_refusal(session=session, user=user, at=at)
    if refusal:
        raise CheckInRefused(refusal)


def attendance_self_check_in(
    *, session: TrainingSession, user: User, code: str = "", ticket: str = ""
) -> Attendance:
    """Check myself in with the code on the trainer's screen (or the ticket the check-in page
    gave me for it). Without a seat I am recorded as a walk-in whom the trainer still has
    to approve. Checking in twice changes nothing."""
    now = timezone.now()
    _refuse_unless_open(session, user, at=now)
    if not (ticket and _ticket_is_valid(session, user, ticket)) and not (
        _typed_code_is_valid(session, user, code, at=now)
    ):
        raise CheckInCodeInvalid(_CODE_EXPIRED)
    existing = Attendance.objects.filter(session=session, user=user).first()
    if existing is not None and existing.checked_in_at is not None:
        return existing
    booking = Booking.objects.filter(
        session=session, user=user, status=Booking.Status.CONFIRMED
    ).first()
    status: str = (
        Attendance.Status.LATE
        if now > session.starts_at + LATE_AFTER
        else Attendance.Status.PRESENT
    )
    if existing is not None and existing.was_there:
        status = existing.status  # the trainer already saw them; their word stands
    with transaction.atomic():
        attendance, _ = Attendance.objects.update_or_create(
            session=session,
            user=user,
            defaults={
                "booking": booking,
                "status": status,
                "walk_in": booking is None,
                "checked_in_at": now,
                "recorded_by": user,
            },
        )
        event_record(
            actor=user,
            code="training.attendance.checked_in",
            target=attendance,
            payload={"session": session.pk, "walk_in": booking is None},
        )
    return attendance


def _require_attendance_taken(session: TrainingSession) -> None:
    if not session.takes_attendance:
        raise SessionError("Attendance is taken for published or completed sessions only.")


def attendance_mark(
    *, session: TrainingSession, attendee: User, status: str, by: User
) -> Attendance:
    """The trainer records one person's attendance (one tap on the roster)."""
    if status not in Attendance.Status.values:
        raise SessionError("Choose present, late, absent or excused.")
    _require_attendance_taken(session)
    booking = Booking.objects.filter(
        session=session, user=attendee, status=Booking.Status.CONFIRMED
    ).first()
    existing = Attendance.objects.filter(session=session, user=attendee).first()
    if booking is None and existing is None:
        # No name: an id typed into the URL must not tell a trainer who it belongs to.
        raise SessionError("That person has no seat on this session.")
    with transaction.atomic():
        attendance, _ = Attendance.objects.update_or_create(
            session=session,
            user=attendee,
            defaults={"booking": booking, "status": status, "recorded_by": by},
        )
        if attendance.was_there and attendance.walk_in and attendance.walk_in_approved_at is None:
            attendance.walk_in_approved_at = timezone.now()  # the trainer saw them there
            attendance.save(update_fields=["walk_in_approved_at"])
        event_record(
            actor=by,
            code="training.attendance.recorded",
            target=attendance,
            payload={"status": status, "session": session.pk, "user": attendee.pk},
        )
    return attendance


def attendance_approve_walk_in(*, attendance: Attendance, by: User) -> Attendance:
    if not attendance.walk_in:
        raise SessionError("This person had a seat; there is nothing to approve.")
    _require_attendance_taken(attendance.session)
    with transaction.atomic():
        attendance.walk_in_approved_at = timezone.now()
        attendance.recorded_by = by
        attendance.save(update_fields=["walk_in_approved_at", "recorded_by", "recorded_at"])
        event_record(actor=by, code="training.attendance.walk_in_approved", target=attendance)
    return attendance
