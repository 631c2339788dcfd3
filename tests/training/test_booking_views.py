import re

import pytest
from django.contrib.contenttypes.models import ContentType

from sessions.models import Booking, TrainingSession
from sessions.services.booking import booking_create

from ..factories import SkillFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    return TrainingSessionFactory(title="Pairing on SQL", capacity=1)


def test_employee_books_without_javascript_and_is_redirected(client, employee, session):
    client.force_login(employee)

    response = client.post(f"/sessions/{session.pk}/book/")

    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "You're booked." in page
    assert "See you there!" in page


def test_htmx_booking_returns_the_panel(client, employee, session):
    client.force_login(employee)

    response = client.post(f"/sessions/{session.pk}/book/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert 'id="booking-panel"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_htmx_answers_leave_no_message_for_the_next_page(client, employee, session):
    """The panel says what happened; a stored message would pop up later, elsewhere."""
    client.force_login(employee)
    htmx = {"HX-Request": "true"}

    client.post(f"/sessions/{session.pk}/book/", headers=htmx)
    client.post(f"/sessions/{session.pk}/cancel/", headers=htmx)

    page = client.get("/sessions/").content.decode()
    assert "You're booked" not in page
    assert "Your booking is cancelled" not in page


def test_booking_a_full_session_joins_the_waitlist(client, employee, other_employee, session):
    booking_create(session=session, user=other_employee)
    client.force_login(employee)

    client.post(f"/sessions/{session.pk}/book/")

    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "number 1 on the waitlist" in page


def test_booking_twice_answers_with_a_clear_conflict(client, employee, session):
    client.force_login(employee)
    client.post(f"/sessions/{session.pk}/book/")

    response = client.post(f"/sessions/{session.pk}/book/", headers={"HX-Request": "true"})

    assert response.status_code == 409
    assert "already booked" in response.content.decode()
    assert Booking.objects.filter(user=employee).count() == 1


def test_another_users_booking_cannot_be_cancelled(client, employee, other_employee, session):
    booking = booking_create(session=session, user=other_employee)
    client.force_login(employee)

    response = client.post(f"/sessions/{session.pk}/cancel/")

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_book_refuses_get_and_cancel_only_asks_on_get(client, employee, session):
    """GET on cancel is its confirmation step (test_booking_state_pages.py): nothing of
    someone with no booking there (404), and nothing cancelled."""
    client.force_login(employee)

    assert client.get(f"/sessions/{session.pk}/book/").status_code == 405
    assert client.get(f"/sessions/{session.pk}/cancel/").status_code == 404


def test_anonymous_visitor_cannot_book(client, session):
    response = client.post(f"/sessions/{session.pk}/book/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Booking.objects.exists()


def test_unknown_session_is_404(client, employee):
    client.force_login(employee)

    assert client.get("/sessions/999999/").status_code == 404
    assert client.post("/sessions/999999/book/").status_code == 404


def test_drafts_are_hidden_from_employees_but_shown_to_their_trainer(client, employee):
    draft = TrainingSessionFactory(status="draft")
    client.force_login(employee)
    assert client.get(f"/sessions/{draft.pk}/").status_code == 404
    client.force_login(draft.lead_trainer)
    assert client.get(f"/sessions/{draft.pk}/").status_code == 200


def test_video_link_is_shown_only_to_booked_attendees(client, employee, other_employee):
    remote = TrainingSessionFactory(video_url="https://meet.example.com/abc", capacity=5)
    booking_create(session=remote, user=employee)
    client.force_login(other_employee)
    assert "meet.example.com" not in client.get(f"/sessions/{remote.pk}/").content.decode()
    client.force_login(employee)
    assert "meet.example.com" in client.get(f"/sessions/{remote.pk}/").content.decode()


def test_list_filters_by_skill_and_search(client, employee):
    sql = SkillFactory(name="SQL")
    TrainingSessionFactory(title="Window functions", skill=sql)
    TrainingSessionFactory(title="Giving feedback")
    client.force_login(employee)

    by_skill = client.get("/sessions/", {"skill": sql.pk}).content.decode()
    by_text = client.get("/sessions/", {"q": "feedback"}).content.decode()

    assert "Window functions" in by_skill
    assert "Giving feedback" not in by_skill
    assert "Giving feedback" in by_text
    assert "Window functions" not in by_text


def test_bad_filters_answer_400_with_a_message(client, employee):
    client.force_login(employee)

    response = client.get(
        "/sessions/", {"date_from": "2026-12-10", "date_to": "2026-12-01", "skill": "x"}
    )

    assert response.status_code == 400
    assert (
        "The &#x27;from&#x27; date is after the &#x27;to&#x27; date." in (response.content.decode())
        or "Select a valid choice" in response.content.decode()
    )


@pytest.mark.parametrize("rows", [1, 50])
def test_session_list_query_count_is_flat(client, employee, django_assert_max_num_queries, rows):
    TrainingSessionFactory.create_batch(rows)
    client.force_login(employee)

    # 7 since booking states (issue 12): the viewer's bookings on the page's sessions.
    with django_assert_max_num_queries(7):
        assert client.get("/sessions/").status_code == 200


@pytest.mark.parametrize("others", [0, 50])
def test_booking_post_query_budget(client, employee, data_query_budget, others):
    ContentType.objects.get_for_model(Booking)  # cached once per process in production
    session = TrainingSessionFactory(capacity=100)
    for person in UserFactory.create_batch(others):
        booking_create(session=session, user=person)
    client.force_login(employee)

    # session, user, the session read, the claim (locks the row), booking, outbox row
    with data_query_budget(6):
        assert client.post(f"/sessions/{session.pk}/book/").status_code == 302


def test_joining_the_waitlist_has_the_same_query_budget(client, employee, data_query_budget):
    ContentType.objects.get_for_model(Booking)
    session = TrainingSessionFactory(capacity=1)
    booking_create(session=session, user=UserFactory())
    client.force_login(employee)

    with data_query_budget(6):
        assert client.post(f"/sessions/{session.pk}/book/").status_code == 302
    assert Booking.objects.get(user=employee).waitlist_position == 1


@pytest.mark.parametrize("bookings", [1, 30])
def test_my_sessions_query_count_is_flat(client, employee, data_query_budget, bookings):
    for session in TrainingSessionFactory.create_batch(bookings, capacity=2):
        booking_create(session=session, user=employee)
    client.force_login(employee)

    # session, user, upcoming, past, taught, invitations to co-teach, the feed (read and,
    # on a first visit, created), L&D check
    with data_query_budget(9):
        page = client.get("/sessions/mine/")
    assert page.status_code == 200
    assert page.content.decode().count('data-state="booked"') == bookings


def test_claiming_someone_elses_place_is_404(client, employee, other_employee, session):
    booking_create(session=session, user=other_employee)
    client.force_login(employee)

    assert client.post(f"/sessions/{session.pk}/claim/").status_code == 404


def test_claiming_a_seat_outside_the_last_24_hours_is_refused(client, employee, other_employee):
    session = TrainingSessionFactory(capacity=1)  # next week
    holder = booking_create(session=session, user=other_employee)
    booking_create(session=session, user=employee)
    Booking.objects.filter(pk=holder.pk).update(status="cancelled")
    TrainingSession.objects.filter(pk=session.pk).update(confirmed_count=0)
    client.force_login(employee)

    response = client.post(f"/sessions/{session.pk}/claim/", headers={"HX-Request": "true"})

    assert response.status_code == 409
    assert "waitlist order" in response.content.decode()
    assert Booking.objects.get(user=employee, session=session).status == "waitlisted"


def test_a_huge_page_number_is_not_a_500(client, employee):
    client.force_login(employee)

    assert client.get("/sessions/", {"page": "99999999999999999999"}).status_code == 200


def test_the_session_page_labels_its_times_with_the_readers_zone(client, employee):
    """Times are shown in the reader's zone, so that is the zone the page names (it used to
    name the session's zone beside the reader's times)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    employee.time_zone = "America/New_York"
    employee.save(update_fields=["time_zone"])
    starts = (timezone.now() + timedelta(days=20)).replace(hour=15, minute=0, microsecond=0)
    session = TrainingSessionFactory(
        time_zone="Europe/London", starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    client.force_login(employee)

    page = client.get(f"/sessions/{session.pk}/").content.decode()

    in_new_york = starts.astimezone(ZoneInfo("America/New_York"))
    assert f"{in_new_york:%H:%M}\u2013" in page  # the start, then an en dash
    assert f"(your time, {in_new_york:%Z})" in page
    assert "(Europe/London)" not in page


def test_my_sessions_lists_the_most_recent_past_sessions_only(client, employee, data_query_budget):
    from datetime import timedelta

    from django.utils import timezone

    from sessions.selectors_booking_states import PAST_SHOWN

    now = timezone.now()
    for days_ago in range(1, PAST_SHOWN + 6):
        start = now - timedelta(days=days_ago)
        past = TrainingSessionFactory(
            title=f"Past {days_ago}", starts_at=start, ends_at=start + timedelta(hours=1)
        )
        Booking.objects.create(session=past, user=employee, status="confirmed")
    client.force_login(employee)

    # session, user, upcoming, past, taught, invitations to co-teach, the feed (read and,
    # on a first visit, created), L&D check
    with data_query_budget(9):
        page = client.get("/sessions/mine/").content.decode()

    assert len(re.findall(r">Past \d+<", page)) == PAST_SHOWN
    assert ">Past 1<" in page  # the most recent first
    assert f">Past {PAST_SHOWN + 5}<" not in page
    assert f"the {PAST_SHOWN} most recent" in page
