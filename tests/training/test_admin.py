"""L&D's admin for sessions, series, bookings and attendance: lists with filters and search,
and every write through the sessions services (capacity, the waitlist, notices, events)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.audit.models import AuditEvent
from sessions.models import Attendance, Booking, TrainingSession
from sessions.services.attendance import attendance_mark
from sessions.services.booking import booking_create
from sessions.services.sessions import training_series_create

from ..factories import CertificationFactory, SkillFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/training"


@pytest.fixture
def session(db):
    return TrainingSessionFactory(capacity=1, title="Pivot tables")


@pytest.fixture
def admin_client(client, ld_staff):
    client.force_login(ld_staff)
    return client


def events(code: str, pk: int):
    return AuditEvent.objects.filter(action=code, object_id=str(pk))


def booking_of(session, user) -> Booking:
    return Booking.objects.exclude(status="cancelled").get(session=session, user=user)


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("trainingsession", {"q": "Pivot", "status__exact": "published"}),
        ("trainingseries", {"q": "Weekly"}),
        ("booking", {"q": "Pivot", "status__exact": "confirmed"}),
        ("attendance", {"q": "Pivot", "status__exact": "present"}),
    ],
)
def test_ld_staff_list_filter_and_search_each(admin_client, session, model, query):
    booking_create(session=session, user=UserFactory())

    response = admin_client.get(f"{ADMIN}/{model}/", query)

    assert response.status_code == 200


def test_the_session_list_finds_a_session_by_its_title(admin_client, session):
    TrainingSessionFactory(title="Negotiation basics")

    page = admin_client.get(f"{ADMIN}/trainingsession/", {"q": "Pivot"}).content.decode()

    assert "Pivot tables" in page
    assert "Negotiation basics" not in page


@pytest.mark.parametrize("person", ["employee", "trainer", "lead"])
def test_people_who_are_not_ld_staff_cannot_open_them(client, request, person, session):
    client.force_login(request.getfixturevalue(person))

    for model in ("trainingsession", "booking", "attendance", "trainingseries"):
        response = client.get(f"{ADMIN}/{model}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_booking_made_in_the_admin_takes_a_free_seat_and_tells_the_person(
    admin_client, session, employee
):
    response = admin_client.post(
        f"{ADMIN}/booking/add/", {"session": session.pk, "user": employee.pk}
    )

    assert response.status_code == 302
    booking = booking_of(session, employee)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.booked_by.email == "ld@example.com"
    assert events("training.booking.created", booking.pk).exists()


def test_a_booking_made_in_the_admin_on_a_full_session_joins_the_waitlist(
    admin_client, session, employee
):
    booking_create(session=session, user=UserFactory())

    admin_client.post(f"{ADMIN}/booking/add/", {"session": session.pk, "user": employee.pk})

    booking = booking_of(session, employee)
    assert (booking.status, booking.waitlist_position) == (Booking.Status.WAITLISTED, 1)
    session.refresh_from_db()
    assert (session.confirmed_count, session.waitlist_count) == (1, 1)


def test_a_booking_the_service_refuses_is_a_form_error_and_nothing_is_saved(
    admin_client, session, employee
):
    booking_create(session=session, user=employee)

    response = admin_client.post(
        f"{ADMIN}/booking/add/", {"session": session.pk, "user": employee.pk}
    )

    assert response.status_code == 400
    assert "already booked" in response.content.decode()
    assert Booking.objects.filter(session=session, user=employee).count() == 1


def test_cancelling_in_the_admin_gives_the_seat_to_the_first_person_waiting(
    admin_client, session, employee, other_employee
):
    booked = booking_create(session=session, user=employee)
    waiting = booking_create(session=session, user=other_employee)

    response = admin_client.post(
        f"{ADMIN}/booking/",
        {"action": "cancel_bookings", "_selected_action": [booked.pk]},
        follow=True,
    )

    assert "1 cancelled." in response.content.decode()
    booked.refresh_from_db()
    waiting.refresh_from_db()
    assert booked.status == Booking.Status.CANCELLED
    assert waiting.status == Booking.Status.CONFIRMED
    assert events("training.booking.cancelled", booked.pk).exists()


def test_a_cancellation_the_service_refuses_says_why_and_changes_nothing(admin_client, employee):
    started = TrainingSessionFactory(starts_at=timezone.now() + timedelta(hours=1))
    booking = booking_create(session=started, user=employee)
    TrainingSession.objects.filter(pk=started.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )

    response = admin_client.post(
        f"{ADMIN}/booking/",
        {"action": "cancel_bookings", "_selected_action": [booking.pk]},
        follow=True,
    )

    assert "This session has started" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_bookings_sessions_and_attendance_cannot_be_deleted(admin_client, session, employee):
    booking = booking_create(session=session, user=employee)

    assert admin_client.get(f"{ADMIN}/booking/{booking.pk}/delete/").status_code == 403
    assert admin_client.get(f"{ADMIN}/trainingsession/{session.pk}/delete/").status_code == 403
    assert "delete_selected" not in admin_client.get(f"{ADMIN}/booking/").content.decode()


def test_a_booking_cannot_be_edited_in_place(admin_client, session, employee, other_employee):
    booking = booking_create(session=session, user=employee)

    admin_client.post(
        f"{ADMIN}/booking/{booking.pk}/change/",
        {"session": session.pk, "user": other_employee.pk, "status": "cancelled"},
    )

    booking.refresh_from_db()
    assert (booking.user, booking.status) == (employee, Booking.Status.CONFIRMED)


def session_form(session, **changes) -> dict:
    local = timezone.localtime
    data = {
        "title": session.title,
        "description": session.description,
        "format": session.format,
        "programme": "",
        "starts_at_0": local(session.starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": local(session.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": local(session.ends_at).strftime("%Y-%m-%d"),
        "ends_at_1": local(session.ends_at).strftime("%H:%M:%S"),
        "time_zone": session.time_zone,
        "location": session.location,
        "video_url": session.video_url,
        "capacity": session.capacity,
        "booking_deadline_0": "",
        "booking_deadline_1": "",
        "waitlist_open": "on",
    }
    data.update(changes)
    return data


def test_more_seats_set_in_the_admin_go_to_the_waitlist(
    admin_client, session, employee, other_employee
):
    booking_create(session=session, user=employee)
    waiting = booking_create(session=session, user=other_employee)

    response = admin_client.post(
        f"{ADMIN}/trainingsession/{session.pk}/change/", session_form(session, capacity=2)
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED
    event = events("training.session.updated", session.pk).get()
    assert event.data["changed"] == ["capacity"]


def test_fewer_seats_than_people_booked_is_refused_with_the_reason(admin_client, session, employee):
    TrainingSession.objects.filter(pk=session.pk).update(capacity=2)
    session.refresh_from_db()
    booking_create(session=session, user=employee)
    booking_create(session=session, user=UserFactory())

    response = admin_client.post(
        f"{ADMIN}/trainingsession/{session.pk}/change/", session_form(session, capacity=1)
    )

    assert response.status_code == 400
    assert "2 people are booked" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 2


def test_a_session_added_in_the_admin_is_a_draft_led_by_a_certified_trainer(admin_client):
    skill = SkillFactory()
    trainer = CertificationFactory(skill=skill).trainer.user
    start = timezone.localtime() + timedelta(days=10)
    data = session_form(
        TrainingSession(
            title="New one",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            location="Room 1",
            capacity=5,
        ),
        skill=skill.pk,
        lead_trainer=trainer.pk,
    )

    response = admin_client.post(f"{ADMIN}/trainingsession/add/", data)

    assert response.status_code == 302
    created = TrainingSession.objects.get(title="New one")
    assert (created.status, created.lead_trainer) == (TrainingSession.Status.DRAFT, trainer)
    assert events("training.session.created", created.pk).exists()


def test_a_session_for_an_uncertified_lead_is_refused(admin_client, employee):
    start = timezone.localtime() + timedelta(days=10)
    data = session_form(
        TrainingSession(
            title="Not allowed", starts_at=start, ends_at=start + timedelta(hours=1), capacity=5
        ),
        skill=SkillFactory().pk,
        lead_trainer=employee.pk,
    )

    response = admin_client.post(f"{ADMIN}/trainingsession/add/", data)

    assert response.status_code == 400
    assert not TrainingSession.objects.filter(title="Not allowed").exists()


def test_status_actions_go_through_the_services(admin_client, session, employee):
    booking_create(session=session, user=employee)
    draft = TrainingSessionFactory(status="draft")

    admin_client.post(
        f"{ADMIN}/trainingsession/",
        {"action": "publish_sessions", "_selected_action": [draft.pk, session.pk]},
    )
    page = admin_client.post(
        f"{ADMIN}/trainingsession/",
        {"action": "cancel_sessions", "_selected_action": [session.pk]},
        follow=True,
    ).content.decode()

    draft.refresh_from_db()
    session.refresh_from_db()
    assert draft.status == TrainingSession.Status.PUBLISHED
    assert session.status == TrainingSession.Status.CANCELLED
    assert "1 cancelled." in page
    assert booking_of_any(session, employee).status == Booking.Status.CANCELLED


def booking_of_any(session, user) -> Booking:
    return Booking.objects.get(session=session, user=user)


def test_a_refused_action_names_the_session_and_the_reason(admin_client, session):
    page = admin_client.post(
        f"{ADMIN}/trainingsession/",
        {"action": "publish_sessions", "_selected_action": [session.pk]},
        follow=True,
    ).content.decode()

    assert "Only a draft can be published." in page
    assert f"{session}: " in page


def test_correcting_attendance_in_the_admin_is_recorded_as_on_the_roster(admin_client, employee):
    session = TrainingSessionFactory(starts_at=timezone.now() + timedelta(hours=1))
    booking_create(session=session, user=employee)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=30)
    )
    attendance = attendance_mark(
        session=session, attendee=employee, status="absent", by=session.lead_trainer
    )

    response = admin_client.post(f"{ADMIN}/attendance/{attendance.pk}/change/", {"status": "late"})

    assert response.status_code == 302
    attendance.refresh_from_db()
    assert attendance.status == Attendance.Status.LATE
    assert attendance.recorded_by.email == "ld@example.com"
    assert AuditEvent.objects.filter(
        action="training.attendance.recorded", data__status="late"
    ).exists()


def test_a_series_is_shown_with_its_dates_and_cannot_be_changed_here(admin_client):
    skill = SkillFactory()
    trainer = CertificationFactory(skill=skill).trainer.user
    start = timezone.now() + timedelta(days=3)
    series = training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=(start + timedelta(days=14)).date(),
        skill=skill,
        title="Weekly SQL",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=4,
        location="Room 2",
    )

    page = admin_client.get(f"{ADMIN}/trainingseries/{series.pk}/change/").content.decode()

    assert page.count("Weekly SQL") >= 3
    assert admin_client.post(f"{ADMIN}/trainingseries/{series.pk}/change/", {}).status_code == 403
