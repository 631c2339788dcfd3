from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.notifications.models import Notification
from sessions.errors import SessionError
from sessions.models import Attendance, Booking, TrainingSession
from sessions.services.attendance import (
    CODE_PERIOD,
    attendance_approve_walk_in,
    attendance_mark,
    attendance_self_check_in,
    check_in_code,
)
from sessions.services.booking import booking_create
from sessions.services.demand import interest_register
from sessions.services.sessions import (
    training_series_create,
    training_series_publish,
    training_session_cancel,
    training_session_change_is_announced,
    training_session_complete,
    training_session_create,
    training_session_publish,
    training_session_update,
)

from ..factories import SkillFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def next_week(hours=0):
    return timezone.now() + timedelta(days=7, hours=hours)


def test_trainer_proposes_a_draft_for_a_certified_skill(trainer):
    skill = trainer.trainer_profile.certifications.get().skill

    session = training_session_create(
        trainer=trainer,
        skill=skill,
        title="Intro",
        starts_at=next_week(),
        ends_at=next_week(1),
        capacity=8,
    )

    assert session.status == "draft"
    assert session.lead_trainer == trainer


def test_trainer_cannot_propose_for_a_skill_they_are_not_certified_in(trainer):
    with pytest.raises(SessionError, match="certified in"):
        training_session_create(
            trainer=trainer,
            skill=SkillFactory(),
            title="Nope",
            starts_at=next_week(),
            ends_at=next_week(1),
            capacity=8,
        )
    assert not TrainingSession.objects.exists()


def test_session_must_end_after_it_starts(trainer):
    skill = trainer.trainer_profile.certifications.get().skill
    with pytest.raises(SessionError, match="end after it starts"):
        training_session_create(
            trainer=trainer,
            skill=skill,
            title="Backwards",
            starts_at=next_week(1),
            ends_at=next_week(),
            capacity=8,
        )


def weekly_clinic(trainer, start, **changes):
    """Four weekly occurrences from ``start``, through the service."""
    return training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=timezone.localdate(start + timedelta(weeks=3)),
        skill=trainer.trainer_profile.certifications.get().skill,
        title="Weekly clinic",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=6,
        **changes,
    )


def test_series_creates_one_session_per_week_until_the_date(trainer):
    start = next_week()

    series = weekly_clinic(trainer, start)

    starts = list(series.occurrences.order_by("starts_at").values_list("starts_at", flat=True))
    assert starts == [start + timedelta(weeks=n) for n in range(4)]


def test_series_in_an_unknown_time_zone_is_refused(trainer):
    with pytest.raises(SessionError, match="not a known time zone") as refused:
        weekly_clinic(trainer, next_week(), time_zone="Mars/Olympus_Mons")
    assert refused.value.field == "time_zone"
    assert not TrainingSession.objects.exists()


def test_publishing_tells_people_who_asked_for_the_skill_first(trainer, employee):
    skill = trainer.trainer_profile.certifications.get().skill
    interest_register(user=employee, skill=skill)
    session = TrainingSessionFactory(skill=skill, lead_trainer=trainer, status="draft")

    training_session_publish(session=session, by=trainer)

    assert kinds(employee) == ["training.demand.session_published"]
    session.refresh_from_db()
    assert session.status == "published"


def test_lowering_capacity_below_bookings_is_refused(trainer):
    session = TrainingSessionFactory(lead_trainer=trainer, capacity=3)
    for person in UserFactory.create_batch(3):
        booking_create(session=session, user=person)

    with pytest.raises(SessionError, match="at least 3 seats"):
        training_session_update(session=session, by=trainer, capacity=2)
    assert Booking.objects.filter(status="confirmed").count() == 3


def test_raising_capacity_promotes_the_waitlist(trainer):
    session = TrainingSessionFactory(lead_trainer=trainer, capacity=1)
    people = UserFactory.create_batch(3)
    for person in people:
        booking_create(session=session, user=person)

    training_session_update(session=session, by=trainer, capacity=2)

    assert Booking.objects.get(user=people[1]).status == "confirmed"
    assert Booking.objects.get(user=people[2]).waitlist_position == 1


@pytest.mark.parametrize(
    ("status", "changes", "announced"),
    [
        ("published", {"starts_at": "+2h"}, True),
        ("published", {"location": "Room 4"}, True),
        ("published", {"title": "Renamed"}, True),
        ("published", {"description": "Bring a laptop.", "capacity": 9}, False),
        ("published", {"location": "same"}, False),  # unchanged: nothing moves
        ("draft", {"starts_at": "+2h"}, False),  # nobody is booked on a draft
    ],
)
def test_who_is_told_of_a_change(trainer, status, changes, announced):
    session = TrainingSessionFactory(lead_trainer=trainer, status=status, location="Room 1")
    values = {
        "+2h": session.starts_at + timedelta(hours=2),
        "same": session.location,
    }
    changes = {name: values.get(value, value) for name, value in changes.items()}

    assert training_session_change_is_announced(session=session, changes=changes) is announced


def test_moving_a_session_bumps_its_sequence_and_tells_attendees(trainer, employee):
    session = TrainingSessionFactory(lead_trainer=trainer, capacity=3)
    booking_create(session=session, user=employee)

    training_session_update(
        session=session,
        by=trainer,
        starts_at=session.starts_at + timedelta(hours=2),
        ends_at=session.ends_at + timedelta(hours=2),
    )

    session.refresh_from_db()
    assert session.calendar_sequence == 1
    assert "training.session.changed" in kinds(employee)


def test_cancelling_a_session_ends_bookings_and_tells_everyone(trainer, employee, other_employee):
    session = TrainingSessionFactory(lead_trainer=trainer, capacity=1)
    booking_create(session=session, user=employee)
    booking_create(session=session, user=other_employee)  # waitlisted

    training_session_cancel(session=session, by=trainer, reason="The trainer is ill.")

    session.refresh_from_db()
    assert (session.status, session.confirmed_count, session.waitlist_count) == ("cancelled", 0, 0)
    assert not Booking.objects.exclude(status="cancelled").exists()
    assert "training.session.cancelled" in kinds(employee)
    assert "training.session.cancelled" in kinds(other_employee)


def started_session(trainer, **fields):
    start = timezone.now() - timedelta(minutes=5)
    return TrainingSessionFactory(
        lead_trainer=trainer, starts_at=start, ends_at=start + timedelta(hours=1), **fields
    )


def test_completing_records_no_shows_and_asks_attendees_for_feedback(trainer):
    present, no_show = UserFactory.create_batch(2)
    session = TrainingSessionFactory(lead_trainer=trainer, capacity=5)
    for person in (present, no_show):
        booking_create(session=session, user=person)
    start = timezone.now() - timedelta(hours=2)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    session.refresh_from_db()
    attendance_mark(session=session, attendee=present, status="present", by=trainer)

    asked = training_session_complete(session=session, by=trainer)

    assert asked == 1
    assert Attendance.objects.get(user=no_show).status == "absent"
    assert "training.feedback.requested" in kinds(present)
    assert "training.feedback.requested" not in kinds(no_show)


def test_self_check_in_with_the_current_code_during_the_window(trainer, employee):
    session = started_session(trainer, capacity=5)
    booking_create_during(session, employee)

    attendance = attendance_self_check_in(
        session=session, user=employee, code=check_in_code(session)
    )

    assert attendance.status == "present"
    assert not attendance.walk_in


def booking_create_during(session, user):
    """Book a seat on a session that has already started (booking itself would refuse)."""
    return Booking.objects.create(session=session, user=user, status="confirmed")


def test_an_old_code_is_refused(trainer, employee):
    session = started_session(trainer)
    booking_create_during(session, employee)
    old = check_in_code(session, at=timezone.now() - CODE_PERIOD * 3)

    with pytest.raises(SessionError, match="expired or is wrong"):
        attendance_self_check_in(session=session, user=employee, code=old)


def test_check_in_is_closed_outside_the_session_window(trainer, employee):
    session = TrainingSessionFactory(lead_trainer=trainer)  # next week
    with pytest.raises(SessionError, match="Check-in opens 15 minutes before"):
        attendance_self_check_in(session=session, user=employee, code=check_in_code(session))


def test_walk_in_needs_the_trainers_approval(trainer, employee):
    session = started_session(trainer)

    walk_in = attendance_self_check_in(session=session, user=employee, code=check_in_code(session))
    assert walk_in.walk_in
    assert not walk_in.counts_as_attended

    attendance_approve_walk_in(attendance=walk_in, by=trainer)
    walk_in.refresh_from_db()
    assert walk_in.counts_as_attended


def test_trainer_cannot_mark_someone_without_a_seat(trainer, employee):
    session = started_session(trainer)

    with pytest.raises(SessionError, match="no seat"):
        attendance_mark(session=session, attendee=employee, status="present", by=trainer)


def test_unknown_attendance_status_is_refused(trainer, employee):
    session = started_session(trainer)
    booking_create_during(session, employee)

    with pytest.raises(SessionError, match="present, late, absent or excused"):
        attendance_mark(session=session, attendee=employee, status="asleep", by=trainer)


def test_publishing_a_series_tells_each_interested_person_once(trainer, employee):
    series = weekly_clinic(trainer, next_week(), location="Room 1")
    interest_register(user=employee, skill=series.occurrences.first().skill)

    assert training_series_publish(series=series, by=trainer) == 4

    (notice,) = Notification.objects.filter(recipient=employee)
    first = series.occurrences.order_by("starts_at").first()
    assert notice.object_id == str(first.pk)
    assert "3 more dates are open too" in notice.body


def test_messages_give_the_time_in_the_readers_own_zone(trainer, employee):
    """The trainer (in London) moves the session; the booker in New York reads New York
    time, named."""
    from zoneinfo import ZoneInfo

    employee.time_zone = "America/New_York"
    employee.save(update_fields=["time_zone"])
    session = TrainingSessionFactory(lead_trainer=trainer, capacity=3)
    booking_create(session=session, user=employee)
    new_start = (timezone.now() + timedelta(days=30)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    in_new_york = new_start.astimezone(ZoneInfo("America/New_York"))
    in_london = new_start.astimezone(ZoneInfo("Europe/London"))

    with timezone.override("Europe/London"):
        training_session_update(
            session=session,
            by=trainer,
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=1),
        )

    notice = Notification.objects.get(recipient=employee, kind="training.session.changed")
    assert f"{in_new_york:%A %d %B, %H:%M %Z}" in notice.body  # e.g. "…, 10:00 EST"
    assert f"{in_london:%H:%M}" not in notice.body
    booked = Notification.objects.get(recipient=employee, kind="training.booking.confirmed")
    assert booked.body.count(" EST") + booked.body.count(" EDT") == 1
