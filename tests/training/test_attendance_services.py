"""Check-in rules added with the attendance sheet: code format, the check-in ticket,
trainers and repeat check-ins. (The basics are in test_session_services.py.)"""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from peertrain.audit.models import AuditEvent
from sessions.errors import CheckInCodeInvalid, CheckInRefused
from sessions.models import Attendance, Booking
from sessions.services.attendance import (
    CODE_PERIOD,
    TICKET_MAX_AGE,
    attendance_mark,
    attendance_self_check_in,
    check_in_code,
    check_in_code_is_valid,
    check_in_refusal,
    check_in_ticket,
)

from ..factories import TrainingSessionFactory, co_trainer

pytestmark = pytest.mark.django_db


def started_session(trainer, **fields):
    start = timezone.now() - timedelta(minutes=5)
    return TrainingSessionFactory(
        lead_trainer=trainer, starts_at=start, ends_at=start + timedelta(hours=1), **fields
    )


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "١٢٣٤٥٦", "é" * 6, " 123456"])
def test_malformed_codes_are_invalid_without_raising(trainer, code):
    session = started_session(trainer)

    assert check_in_code_is_valid(session, code) is False


def test_the_current_and_the_previous_code_are_valid(trainer):
    session = started_session(trainer)
    now = timezone.now()

    assert check_in_code_is_valid(session, check_in_code(session, at=now), at=now)
    assert check_in_code_is_valid(session, check_in_code(session, at=now - CODE_PERIOD), at=now)
    assert not check_in_code_is_valid(
        session, check_in_code(session, at=now - CODE_PERIOD * 2), at=now
    )


def test_a_ticket_lets_its_holder_confirm_after_the_code_rotated(trainer, employee):
    session = started_session(trainer)
    ticket = check_in_ticket(session=session, user=employee, code=check_in_code(session))

    attendance = attendance_self_check_in(session=session, user=employee, ticket=ticket)

    assert attendance.checked_in_at is not None


def test_a_ticket_is_only_for_its_person_and_session(trainer, employee, other_employee):
    session = started_session(trainer)
    other_session = started_session(trainer)
    ticket = check_in_ticket(session=session, user=employee, code=check_in_code(session))

    with pytest.raises(CheckInCodeInvalid):
        attendance_self_check_in(session=session, user=other_employee, ticket=ticket)
    with pytest.raises(CheckInCodeInvalid):
        attendance_self_check_in(session=other_session, user=employee, ticket=ticket)
    with pytest.raises(CheckInCodeInvalid):
        attendance_self_check_in(session=session, user=employee, ticket=ticket + "x")
    assert not Attendance.objects.exists()


def test_a_ticket_expires(trainer, employee):
    session = started_session(trainer)
    ticket = check_in_ticket(session=session, user=employee, code=check_in_code(session))
    later = time.time() + TICKET_MAX_AGE.total_seconds() + 1

    with (
        mock.patch("django.core.signing.time.time", return_value=later),
        pytest.raises(CheckInCodeInvalid),
    ):
        attendance_self_check_in(session=session, user=employee, ticket=ticket)


def test_no_ticket_for_a_wrong_code_or_a_closed_session(trainer, employee):
    session = started_session(trainer)
    with pytest.raises(CheckInCodeInvalid):
        check_in_ticket(session=session, user=employee, code="000000x")
    later = TrainingSessionFactory(lead_trainer=trainer)
    with pytest.raises(CheckInRefused, match="Check-in opens 15 minutes before"):
        check_in_ticket(session=later, user=employee, code=check_in_code(later))


def test_a_trainer_cannot_check_in_to_their_own_session(trainer, other_trainer):
    session = started_session(trainer)
    co_trainer(session, other_trainer)

    for person in (trainer, other_trainer):
        with pytest.raises(CheckInRefused, match="You teach this session"):
            attendance_self_check_in(session=session, user=person, code=check_in_code(session))


def test_refusals_say_why(trainer, employee):
    session = started_session(trainer)
    assert check_in_refusal(session=session, user=employee) is None

    session.status = "cancelled"
    assert check_in_refusal(session=session, user=employee) == "This session was cancelled."
    session.status = "published"
    after_end = session.ends_at + timedelta(seconds=1)
    assert "has ended" in check_in_refusal(session=session, user=employee, at=after_end)


def test_checking_in_again_keeps_the_first_check_in(trainer, employee):
    session = started_session(trainer)
    Booking.objects.create(session=session, user=employee, status="confirmed")
    first = attendance_self_check_in(session=session, user=employee, code=check_in_code(session))
    attendance_mark(session=session, attendee=employee, status="excused", by=trainer)

    again = attendance_self_check_in(session=session, user=employee, code=check_in_code(session))

    assert again.checked_in_at == first.checked_in_at
    assert again.status == "excused"  # the trainer's word stands


def test_self_check_in_is_audited(trainer, employee):
    session = started_session(trainer)

    attendance_self_check_in(session=session, user=employee, code=check_in_code(session))

    event = AuditEvent.objects.get(action="training.attendance.checked_in")
    assert event.actor == employee
    assert event.data == {"session": session.pk, "walk_in": True}


@pytest.mark.parametrize(
    ("marked", "after_check_in"),
    [("late", "late"), ("present", "present"), ("absent", "present"), ("excused", "present")],
)
def test_a_trainers_earlier_mark_meets_a_self_check_in(trainer, employee, marked, after_check_in):
    session = started_session(trainer)
    Booking.objects.create(session=session, user=employee, status="confirmed")
    attendance_mark(session=session, attendee=employee, status=marked, by=trainer)

    attendance = attendance_self_check_in(
        session=session, user=employee, code=check_in_code(session)
    )

    assert attendance.status == after_check_in  # seen there: the trainer's word; else here now
    assert attendance.checked_in_at is not None
