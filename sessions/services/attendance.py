"""Attendance: the trainer's roster and self check-in with a rotating code.

The check-in code changes every ``CODE_PERIOD`` (an HMAC of the session's secret and the
time slot), so a photo of the QR code stops working within a minute.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.audit.services import audit_record

from ..errors import SessionError
from ..models import Attendance, Booking, TrainingSession

CODE_PERIOD = timedelta(seconds=30)
OPENS_BEFORE_START = timedelta(minutes=15)
LATE_AFTER = timedelta(minutes=10)


def check_in_code(session: TrainingSession, *, at: datetime | None = None) -> str:
    slot = int((at or timezone.now()).timestamp() // CODE_PERIOD.total_seconds())
    digest = hmac.new(
        session.check_in_secret.encode(), f"{session.pk}:{slot}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{int(digest[:8], 16) % 1_000_000:06d}"


def check_in_code_is_valid(session: TrainingSession, code: str, *, at=None) -> bool:
    """The current code or the one just before it (a scan can straddle a rotation)."""
    at = at or timezone.now()
    return any(
        hmac.compare_digest(code, check_in_code(session, at=at - CODE_PERIOD * back))
        for back in (0, 1)
    )


def check_in_is_open(session: TrainingSession, *, at=None) -> bool:
    at = at or timezone.now()
    return (
        session.status == TrainingSession.Status.PUBLISHED
        and session.starts_at - OPENS_BEFORE_START <= at <= session.ends_at
    )


def attendance_self_check_in(*, session: TrainingSession, user: User, code: str) -> Attendance:
    """Check myself in with the code on the trainer's screen. Without a seat I am recorded
    as a walk-in whom the trainer still has to approve."""
    now = timezone.now()
    if not check_in_is_open(session, at=now):
        raise SessionError(
            "Check-in opens 15 minutes before the session starts and closes when it ends."
        )
    if not check_in_code_is_valid(session, code.strip(), at=now):
        raise SessionError("That code has expired or is wrong. Scan the code on screen again.")
    booking = Booking.objects.filter(
        session=session, user=user, status=Booking.Status.CONFIRMED
    ).first()
    status = (
        Attendance.Status.LATE
        if now > session.starts_at + LATE_AFTER
        else (Attendance.Status.PRESENT)
    )
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
    return attendance


def attendance_mark(
    *, session: TrainingSession, attendee: User, status: str, by: User
) -> Attendance:
    """The trainer records one person's attendance (one tap on the roster)."""
    if status not in Attendance.Status.values:
        raise SessionError("Choose present, late, absent or excused.")
    if session.status not in (TrainingSession.Status.PUBLISHED, TrainingSession.Status.COMPLETED):
        raise SessionError("Attendance is taken for published or completed sessions only.")
    booking = Booking.objects.filter(
        session=session, user=attendee, status=Booking.Status.CONFIRMED
    ).first()
    existing = Attendance.objects.filter(session=session, user=attendee).first()
    if booking is None and existing is None:
        raise SessionError(f"{attendee} has no seat on this session.")
    with transaction.atomic():
        attendance, _ = Attendance.objects.update_or_create(
            session=session,
            user=attendee,
            defaults={"booking": booking, "status": status, "recorded_by": by},
        )
        if attendance.walk_in and attendance.walk_in_approved_at is None:
            attendance.walk_in_approved_at = timezone.now()  # the trainer saw them there
            attendance.save(update_fields=["walk_in_approved_at"])
        audit_record(
            actor=by,
            action="training.attendance.recorded",
            target=attendance,
            data={"status": status, "session": session.pk, "user": attendee.pk},
        )
    return attendance


def attendance_approve_walk_in(*, attendance: Attendance, by: User) -> Attendance:
    if not attendance.walk_in:
        raise SessionError("This person had a seat; there is nothing to approve.")
    with transaction.atomic():
        attendance.walk_in_approved_at = timezone.now()
        attendance.recorded_by = by
        attendance.save(update_fields=["walk_in_approved_at", "recorded_by", "recorded_at"])
        audit_record(actor=by, action="training.attendance.walk_in_approved", target=attendance)
    return attendance
