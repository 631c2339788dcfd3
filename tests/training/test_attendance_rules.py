"""Each attendance rule is stated once and every place that needs it asks that one place:
when check-in is open (``check_in_window``), which sessions take attendance
(``TrainingSession.takes_attendance``) and which marks mean the person came
(``Attendance.was_there``). These tests fail if a copy starts to disagree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.errors import SessionError
from sessions.models import Attendance, TrainingSession
from sessions.services import attendance as attendance_services
from sessions.services.attendance import (
    attendance_approve_walk_in,
    attendance_mark,
    attendance_self_check_in,
    check_in_code,
    check_in_refusal,
    check_in_window,
)

from ..factories import TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db
MINUTE = timedelta(minutes=1)


def _session(trainer, *, status="published", starts_in=timedelta(hours=1)):
    start = timezone.now() + starts_in
    return TrainingSessionFactory(
        lead_trainer=trainer, status=status, starts_at=start, ends_at=start + timedelta(hours=1)
    )


@pytest.mark.parametrize("status", [choice for choice, _ in TrainingSession.Status.choices])
@pytest.mark.parametrize(
    "moment",
    ["long before", "just before opening", "opening", "start", "end", "just after the end"],
)
def test_check_in_is_refused_exactly_when_the_window_is_closed(trainer, employee, status, moment):
    session = _session(trainer, status=status)
    opens = session.starts_at - check_in_window(session).opens_before
    at = {
        "long before": opens - timedelta(days=1),
        "just before opening": opens - MINUTE,
        "opening": opens,
        "start": session.starts_at,
        "end": session.ends_at,
        "just after the end": session.ends_at + MINUTE,
    }[moment]

    refusal = check_in_refusal(session=session, user=employee, at=at)

    assert (refusal is None) == check_in_window(session, at=at).open, refusal


def test_the_opening_time_in_words_follows_the_rule(client, trainer, employee, monkeypatch):
    monkeypatch.setattr(attendance_services, "OPENS_BEFORE_START", timedelta(minutes=20))
    session = _session(trainer, starts_in=timedelta(hours=3))

    refusal = check_in_refusal(session=session, user=employee)
    client.force_login(trainer)
    sheet = client.get(f"/sessions/{session.pk}/attendance/").content.decode()

    assert refusal.startswith("Check-in opens 20 minutes before the session starts")
    assert "20 minutes before the start" in sheet
    assert "15 minutes" not in refusal + sheet
    assert check_in_window(session).opens_at == session.starts_at - timedelta(minutes=20)


def _walk_in(session) -> Attendance:
    person = UserFactory()
    return attendance_self_check_in(session=session, user=person, code=check_in_code(session))


@pytest.mark.parametrize("status", [choice for choice, _ in TrainingSession.Status.choices])
def test_marking_and_approving_take_the_same_sessions_as_the_sheet(client, trainer, status):
    session = _session(trainer, starts_in=-timedelta(minutes=5))
    walk_in = _walk_in(session)
    TrainingSession.objects.filter(pk=session.pk).update(status=status)
    session.refresh_from_db()
    walk_in.session = session
    outcomes = []
    for action in (
        lambda: attendance_mark(session=session, attendee=walk_in.user, status="late", by=trainer),
        lambda: attendance_approve_walk_in(attendance=walk_in, by=trainer),
    ):
        try:
            action()
        except SessionError:
            outcomes.append(False)
        else:
            outcomes.append(True)
    client.force_login(trainer)
    sheet = client.get(f"/sessions/{session.pk}/attendance/")

    assert outcomes == [session.takes_attendance] * 2
    assert sheet.context["can_mark"] is session.takes_attendance


@pytest.mark.parametrize("mark", Attendance.Status.values)
def test_a_walk_in_is_approved_by_exactly_the_marks_that_count_as_attended(trainer, mark):
    session = _session(trainer, starts_in=-timedelta(minutes=5))
    walk_in = _walk_in(session)

    marked = attendance_mark(session=session, attendee=walk_in.user, status=mark, by=trainer)

    assert (marked.walk_in_approved_at is not None) is marked.was_there
    assert marked.counts_as_attended is marked.was_there


@pytest.mark.parametrize("mark", Attendance.Status.values)
def test_checking_in_keeps_a_trainers_mark_only_if_it_says_they_came(trainer, employee, mark):
    session = _session(trainer, starts_in=-timedelta(minutes=30))  # a check-in now is late
    Attendance.objects.create(session=session, user=employee, status=mark, recorded_by=trainer)

    checked_in = attendance_self_check_in(
        session=session, user=employee, code=check_in_code(session)
    )

    kept = Attendance(status=mark).was_there
    assert checked_in.status == (mark if kept else "late")
