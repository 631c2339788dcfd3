import pytest
from icalendar import Calendar

from sessions.models import TrainingSession
from sessions.services.booking import booking_create
from sessions.services.calendar_feed import calendar_feed_for

from ..factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def only_event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


@pytest.fixture
def remote_session(db):
    return TrainingSessionFactory(
        title="SQL clinic",
        time_zone="Europe/Berlin",
        video_url="https://meet.example.com/sql",
        location="Room 3",
        capacity=5,
    )


def test_session_ics_has_time_zone_alarm_stable_uid_and_sequence(client, employee, remote_session):
    booking_create(session=remote_session, user=employee)
    client.force_login(employee)

    calendar = parse(client.get(f"/sessions/{remote_session.pk}/calendar.ics"))
    event = only_event(calendar)

    assert str(calendar["method"]) == "PUBLISH"
    assert str(event["uid"]) == f"training-session-{remote_session.pk}@peertrain"
    assert event["dtstart"].dt.tzinfo.key == "Europe/Berlin"
    assert event["dtstart"].dt == remote_session.starts_at.replace(microsecond=0)
    assert int(event["sequence"]) == 0
    assert "meet.example.com/sql" in str(event["location"])
    assert event.walk("VALARM")
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Berlin"


def test_video_link_stays_out_of_the_ics_for_people_not_booked(
    client, other_employee, remote_session
):
    client.force_login(other_employee)

    event = only_event(parse(client.get(f"/sessions/{remote_session.pk}/calendar.ics")))

    assert "meet.example.com" not in event.to_ical().decode()


def test_cancelled_session_ics_says_cancel_with_a_bumped_sequence(client, employee, remote_session):
    TrainingSession.objects.filter(pk=remote_session.pk).update(
        status="cancelled", calendar_sequence=2
    )
    client.force_login(employee)

    calendar = parse(client.get(f"/sessions/{remote_session.pk}/calendar.ics"))

    assert str(calendar["method"]) == "CANCEL"
    event = only_event(calendar)
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 2


def test_personal_feed_lists_my_bookings_without_signing_in(
    client, employee, other_employee, remote_session
):
    booking_create(session=remote_session, user=employee)
    booking_create(session=TrainingSessionFactory(title="Not mine"), user=other_employee)
    token = calendar_feed_for(user=employee).token

    calendar = parse(client.get(f"/sessions/calendar/{token}.ics"))

    assert [str(event["summary"]) for event in calendar.walk("VEVENT")] == ["SQL clinic"]


def test_resetting_the_feed_revokes_the_old_link(client, employee):
    old = calendar_feed_for(user=employee).token
    client.force_login(employee)

    assert client.post("/sessions/calendar/reset/").status_code == 302

    client.logout()
    assert client.get(f"/sessions/calendar/{old}.ics").status_code == 404
    new = calendar_feed_for(user=employee).token
    assert client.get(f"/sessions/calendar/{new}.ics").status_code == 200


def test_unknown_feed_token_is_404(client):
    assert client.get("/sessions/calendar/not-a-token.ics").status_code == 404


def test_feed_reset_refuses_get_and_anonymous(client):
    assert client.post("/sessions/calendar/reset/").status_code == 302  # to sign in
    assert client.get("/sessions/calendar/reset/").status_code in (302, 405)


def test_draft_session_ics_is_hidden_from_employees(client, employee):
    draft = TrainingSessionFactory(status="draft")
    client.force_login(employee)

    assert client.get(f"/sessions/{draft.pk}/calendar.ics").status_code == 404


def test_feed_hides_the_video_link_from_people_only_waiting(client, employee, other_employee):
    full = TrainingSessionFactory(capacity=1, video_url="https://meet.example.com/full")
    booking_create(session=full, user=other_employee)
    booking_create(session=full, user=employee)  # waitlisted
    token = calendar_feed_for(user=employee).token

    calendar = parse(client.get(f"/sessions/calendar/{token}.ics"))

    assert "meet.example.com" not in calendar.to_ical().decode()


def test_feed_keeps_a_cancelled_session_so_calendars_drop_it(client, employee, remote_session):
    from sessions.services.sessions import training_session_cancel

    booking_create(session=remote_session, user=employee)
    training_session_cancel(session=remote_session, by=remote_session.lead_trainer)
    token = calendar_feed_for(user=employee).token

    event = only_event(parse(client.get(f"/sessions/calendar/{token}.ics")))

    assert str(event["status"]) == "CANCELLED"


def test_a_session_with_an_unknown_zone_still_gets_its_file_in_utc(client, employee):
    session = TrainingSessionFactory(time_zone="Europe/Atlantis")
    client.force_login(employee)

    response = client.get(f"/sessions/{session.pk}/calendar.ics")

    assert response.status_code == 200
    assert only_event(parse(response))["dtstart"].dt == session.starts_at.replace(microsecond=0)


def test_feed_tokens_are_far_too_long_to_guess(employee, other_employee):
    """The feed URL is the only key (calendar apps can't sign in), so it is not throttled: at
    192 random bits guessing is hopeless, and the calendar services that poll feeds fetch
    everyone's from a few shared addresses, which a per-address limit would lock out."""
    import base64

    from sessions.models import new_secret

    tokens = {new_secret() for _ in range(1000)}
    token = calendar_feed_for(user=employee).token

    assert len(tokens) == 1000
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    assert token != calendar_feed_for(user=other_employee).token


def test_a_calendar_service_polling_many_feeds_from_one_address_is_never_refused(client):
    from ..factories import UserFactory

    tokens = [calendar_feed_for(user=person).token for person in UserFactory.create_batch(40)]
    answers = [
        client.get(f"/sessions/calendar/{token}.ics", REMOTE_ADDR="203.0.113.7").status_code
        for token in tokens * 2
    ]

    assert answers == [200] * 80


def test_a_near_miss_feed_token_is_404(client, employee):
    token = calendar_feed_for(user=employee).token

    for near in (
        token[:-1],
        token.upper() if token.upper() != token else token.lower(),
        token + "A",
    ):
        assert client.get(f"/sessions/calendar/{near}.ics").status_code == 404
