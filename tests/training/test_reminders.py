import time
from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.notifications.models import Notification
from sessions.models import Booking, TrainingSession
from sessions.services.booking import booking_create
from sessions.services.reminders import reminders_record_due
from sessions.tasks import record_session_reminders

from ..conftest import wait_until
from ..factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def training_session_in(hours: float, **fields) -> TrainingSession:
    start = timezone.now() + timedelta(hours=hours)
    return TrainingSessionFactory(starts_at=start, ends_at=start + timedelta(hours=1), **fields)


def booked_days_ago(session, user, days=3) -> Booking:
    booking = booking_create(session=session, user=user)
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(days=days))
    return booking


def reminders(user) -> list[str]:
    return sorted(
        Notification.objects.filter(
            recipient=user, kind__startswith="training.reminder"
        ).values_list("kind", flat=True)
    )


def test_24_hour_reminder_is_recorded_once_however_often_the_task_runs(employee):
    booked_days_ago(training_session_in(20), employee)

    assert record_session_reminders() == 1
    assert record_session_reminders() == 0

    assert reminders(employee) == ["training.reminder.24h"]


def test_one_hour_reminder_follows(employee):
    booked_days_ago(training_session_in(0.5), employee)

    reminders_record_due()

    assert reminders(employee) == ["training.reminder.1h", "training.reminder.24h"]


def test_no_24_hour_reminder_for_a_seat_booked_the_same_day(employee):
    booking_create(session=training_session_in(5), user=employee)

    reminders_record_due()

    assert reminders(employee) == []


def test_no_reminders_for_waitlist_cancelled_sessions_or_far_future(employee, other_employee):
    full = training_session_in(10, capacity=1)
    booked_days_ago(full, other_employee)
    booked_days_ago(full, employee)  # waitlisted
    cancelled = training_session_in(10)
    booked_days_ago(cancelled, employee)
    TrainingSession.objects.filter(pk=cancelled.pk).update(status="cancelled")
    booked_days_ago(training_session_in(72), employee)

    reminders_record_due()

    assert reminders(employee) == []


def test_a_moved_session_gets_fresh_reminders(employee):
    session = training_session_in(20)
    booked_days_ago(session, employee)
    reminders_record_due()
    later = session.starts_at + timedelta(hours=2)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=later, ends_at=later + timedelta(hours=1)
    )

    reminders_record_due()

    assert reminders(employee) == ["training.reminder.24h", "training.reminder.24h"]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_reminder_task_runs_on_a_real_worker_and_mails_once(employee, worker, smtp_sink):
    _, sink = smtp_sink
    booked_days_ago(training_session_in(20, title="Pivot tables"), employee)

    record_session_reminders.delay()
    record_session_reminders.delay()

    def reminders_received():
        return [m for m in sink.messages if b"Reminder: Pivot tables tomorrow" in m.content]

    assert wait_until(lambda: len(reminders_received()) >= 1)
    time.sleep(1)
    assert len(reminders_received()) == 1


def test_a_reminder_switched_off_is_not_recorded(employee, other_employee):
    from peertrain.notifications.kinds import kinds
    from peertrain.notifications.preferences import notification_preferences_save

    session = training_session_in(20, capacity=5)
    booked_days_ago(session, employee)
    booked_days_ago(session, other_employee)
    wanted = {(code, "email") for code in kinds()} - {("training.reminder.24h", "email")}
    notification_preferences_save(user=employee, wanted=wanted)

    assert reminders_record_due() == 1

    assert reminders(employee) == []
    assert reminders(other_employee) == ["training.reminder.24h"]
    reminder = Notification.objects.get(recipient=other_employee, kind="training.reminder.24h")
    assert reminder.subject == f"Reminder: {session.title} tomorrow"
    assert "(Room 3)" in reminder.body
