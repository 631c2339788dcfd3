"""The attendance sheet (trainers) and self check-in (attendees), through the views."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from sessions.models import Attendance, Booking, TrainingSession
from sessions.services.attendance import CODE_PERIOD, attendance_self_check_in, check_in_code

from ..factories import TrainingSessionFactory, UserFactory, co_trainer

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def started_session(trainer, **fields):
    """A published session that began five minutes ago: check-in is open."""
    start = timezone.now() - timedelta(minutes=5)
    fields.setdefault("capacity", 60)
    return TrainingSessionFactory(
        lead_trainer=trainer, starts_at=start, ends_at=start + timedelta(hours=1), **fields
    )


def seat(session, user):
    """A confirmed seat on a session that has started (booking_create would refuse)."""
    return Booking.objects.create(session=session, user=user, status="confirmed")


def current_codes(session):
    """The codes accepted right now (a test can straddle a rotation)."""
    now = timezone.now()
    return {check_in_code(session, at=now), check_in_code(session, at=now - CODE_PERIOD)}


@pytest.fixture
def session(trainer, employee):
    session = started_session(trainer, title="Pairing on SQL")
    seat(session, employee)
    return session


def sheet(session):
    return f"/sessions/{session.pk}/attendance/"


def mark_url(session, person):
    return f"/sessions/{session.pk}/attendance/{person.pk}/"


def check_in_url(session):
    return f"/sessions/{session.pk}/check-in/"


# --- Who may open and change the sheet ---------------------------------------------------
def test_lead_trainer_sees_the_roster_and_the_check_in_code(client, trainer, employee, session):
    client.force_login(trainer)

    response = client.get(sheet(session))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Eli Moreno" in page
    assert "Not marked yet" in page
    assert "Show check-in code" in page
    assert any(f"{code[:3]} {code[3:]}" in page for code in current_codes(session))
    assert "<svg" in page
    assert "check-in-qr" in page


def test_a_co_trainer_can_take_attendance(client, other_trainer, employee, session):
    co_trainer(session, other_trainer)
    client.force_login(other_trainer)

    assert client.get(sheet(session)).status_code == 200
    response = client.post(mark_url(session, employee), {"status": "present"})

    assert response.status_code == 302
    assert Attendance.objects.get(user=employee).recorded_by == other_trainer


def test_ld_staff_can_take_attendance(client, ld_staff, employee, session):
    client.force_login(ld_staff)

    assert client.get(sheet(session)).status_code == 200
    assert client.post(mark_url(session, employee), {"status": "late"}).status_code == 302
    assert Attendance.objects.get(user=employee).status == "late"


def test_a_non_trainer_cannot_open_an_attendance_page(client, employee, session):
    client.force_login(employee)

    response = client.get(sheet(session))

    assert response.status_code == 403
    assert "trainers and L&amp;D staff" in response.content.decode()


def test_a_trainer_cannot_open_another_trainers_attendance(client, other_trainer, session):
    client.force_login(other_trainer)

    assert client.get(sheet(session)).status_code == 403
    assert client.get(f"/sessions/{session.pk}/check-in/code/").status_code == 403


def test_an_employee_cannot_mark_attendance_by_post(client, employee, other_employee, session):
    seat(session, other_employee)
    client.force_login(employee)

    for person in (employee, other_employee):
        response = client.post(mark_url(session, person), {"status": "present"}, headers=HTMX)
        assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_another_trainer_cannot_mark_or_approve(client, other_trainer, employee, session):
    walk_in = UserFactory()
    attendance_self_check_in(session=session, user=walk_in, code=check_in_code(session))
    client.force_login(other_trainer)

    assert client.post(mark_url(session, employee), {"status": "absent"}).status_code == 403
    approve = f"/sessions/{session.pk}/attendance/{walk_in.pk}/approve/"
    assert client.post(approve).status_code == 403
    assert not Attendance.objects.filter(user=employee).exists()
    assert Attendance.objects.get(user=walk_in).walk_in_approved_at is None


def test_an_attendee_cannot_approve_a_walk_in_or_mark_anyone(
    client, employee, other_employee, session
):
    walk_in = UserFactory()
    attendance_self_check_in(session=session, user=walk_in, code=check_in_code(session))
    client.force_login(employee)

    assert client.post(approve_url(session, walk_in)).status_code == 403
    assert client.post(mark_url(session, other_employee), {"status": "absent"}).status_code == 403
    assert Attendance.objects.get(user=walk_in).walk_in_approved_at is None
    assert not Attendance.objects.filter(user=other_employee).exists()


def test_an_employee_cannot_see_the_check_in_code(client, employee, session):
    client.force_login(employee)

    response = client.get(f"/sessions/{session.pk}/check-in/code/", headers=HTMX)

    assert response.status_code == 403
    assert not any(code in response.content.decode() for code in current_codes(session))


def test_anonymous_visitors_are_sent_to_sign_in(client, employee, session):
    assert client.get(sheet(session))["Location"].startswith("/accounts/login/")
    response = client.post(mark_url(session, employee), {"status": "present"})
    assert response["Location"].startswith("/accounts/login/")
    assert not Attendance.objects.exists()


def test_a_draft_is_hidden_from_outsiders(client, trainer, employee):
    draft = TrainingSessionFactory(lead_trainer=trainer, status="draft")
    client.force_login(employee)
    assert client.get(sheet(draft)).status_code == 404
    client.force_login(trainer)
    page = client.get(sheet(draft))
    assert page.status_code == 200
    assert "once the session is published" in page.content.decode()


def test_unknown_session_or_person_is_404(client, trainer, session):
    client.force_login(trainer)

    assert client.get("/sessions/999999/attendance/").status_code == 404
    missing = f"/sessions/{session.pk}/attendance/999999/"
    assert client.post(missing, {"status": "present"}).status_code == 404


def test_wrong_methods_are_refused(client, trainer, employee, session):
    client.force_login(trainer)

    assert client.post(sheet(session)).status_code == 405
    assert client.get(mark_url(session, employee)).status_code == 405
    assert (
        client.get(f"/sessions/{session.pk}/attendance/{employee.pk}/approve/").status_code == 405
    )
    assert client.post(f"/sessions/{session.pk}/check-in/code/").status_code == 405
    assert client.put(check_in_url(session)).status_code == 405


# --- One-tap marks ----------------------------------------------------------------------
def test_trainer_marks_present_without_javascript(client, trainer, employee, session):
    client.force_login(trainer)

    response = client.post(mark_url(session, employee), {"status": "present"})

    assert response.status_code == 302
    assert response["Location"] == f"{sheet(session)}#attendee-{employee.pk}"
    attendance = Attendance.objects.get(session=session, user=employee)
    assert (attendance.status, attendance.recorded_by) == ("present", trainer)
    page = client.get(response["Location"]).content.decode()
    assert "Eli Moreno: present." in page
    assert 'aria-pressed="true"' in page


def test_htmx_mark_swaps_the_row_and_refreshes_the_counts(client, trainer, employee, session):
    client.force_login(trainer)

    response = client.post(mark_url(session, employee), {"status": "late"}, headers=HTMX)

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert f'id="attendee-{employee.pk}"' in fragment
    pressed = re.search(r'value="(\w+)"[^>]*\s+aria-pressed="true"', fragment, re.S)
    assert pressed.group(1) == "late"
    assert 'id="attendance-summary"' in fragment
    assert 'data-hx-swap-oob="true"' in fragment
    assert "<strong>1</strong> late" in fragment


def test_a_second_tap_changes_the_mark(client, trainer, employee, session):
    client.force_login(trainer)
    client.post(mark_url(session, employee), {"status": "present"}, headers=HTMX)

    client.post(mark_url(session, employee), {"status": "excused"}, headers=HTMX)

    assert Attendance.objects.get(user=employee).status == "excused"
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("data", [{}, {"status": "asleep"}, {"status": ""}])
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_status_is_400_with_a_message(client, trainer, employee, session, data, htmx):
    client.force_login(trainer)

    response = client.post(mark_url(session, employee), data, headers=HTMX if htmx else {})

    assert response.status_code == 400
    assert "Choose present, late, absent or excused." in response.content.decode()
    assert not Attendance.objects.exists()


def test_marking_someone_without_a_seat_is_refused(client, trainer, other_employee, session):
    client.force_login(trainer)

    response = client.post(mark_url(session, other_employee), {"status": "present"})

    assert response.status_code == 409
    assert "has no seat on this session" in response.content.decode()
    assert other_employee.display_name not in response.content.decode()
    assert not Attendance.objects.filter(user=other_employee).exists()


def test_marking_someone_without_a_seat_by_htmx_answers_in_place(
    client, trainer, other_employee, session
):
    client.force_login(trainer)

    response = client.post(mark_url(session, other_employee), {"status": "present"}, headers=HTMX)

    assert response.status_code == 409
    assert "has no seat on this session" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_a_trainer_cannot_mark_someone_booked_only_on_another_session(
    client, trainer, other_employee, session
):
    elsewhere = started_session(trainer, title="Another session")
    seat(elsewhere, other_employee)
    client.force_login(trainer)

    response = client.post(mark_url(session, other_employee), {"status": "present"})

    assert response.status_code == 409
    assert "has no seat on this session" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_of_a_cancelled_session_is_refused(client, trainer, employee, session):
    TrainingSession.objects.filter(pk=session.pk).update(status="cancelled")
    client.force_login(trainer)

    response = client.post(mark_url(session, employee), {"status": "present"})

    assert response.status_code == 409
    assert "published or completed sessions only" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_sheet_shows_who_checked_themselves_in_and_when(client, trainer, employee, session):
    attendance_self_check_in(session=session, user=employee, code=check_in_code(session))
    checked_in_at = timezone.localtime(Attendance.objects.get(user=employee).checked_in_at)
    client.force_login(trainer)

    page = client.get(sheet(session)).content.decode()

    assert f"checked in themselves at {checked_in_at:%H:%M}" in page


# --- Walk-ins ---------------------------------------------------------------------------
@pytest.fixture
def walk_in(session, other_employee):
    attendance_self_check_in(session=session, user=other_employee, code=check_in_code(session))
    return other_employee


def approve_url(session, person):
    return f"/sessions/{session.pk}/attendance/{person.pk}/approve/"


def test_pending_walk_ins_are_listed_with_an_approve_button(client, trainer, walk_in, session):
    client.force_login(trainer)

    page = client.get(sheet(session)).content.decode()

    pending = page.split('data-testid="pending-walk-ins"')[1].split("</ul>")[0]
    assert "Olu Adeyemi" in pending
    assert "waiting for approval" in pending
    assert "Approve" in pending


def test_trainer_approves_a_walk_in_without_javascript(client, trainer, walk_in, session):
    client.force_login(trainer)

    response = client.post(approve_url(session, walk_in))

    assert response.status_code == 302
    attendance = Attendance.objects.get(user=walk_in)
    assert attendance.counts_as_attended
    assert attendance.recorded_by == trainer
    assert "is approved as a walk-in" in client.get(response["Location"]).content.decode()


def test_htmx_approval_swaps_the_row(client, trainer, walk_in, session):
    client.force_login(trainer)

    response = client.post(approve_url(session, walk_in), headers=HTMX)

    assert response.status_code == 200
    fragment = response.content.decode()
    assert f'id="attendee-{walk_in.pk}"' in fragment
    assert "approved" in fragment
    assert 'data-testid="approve-button"' not in fragment


def test_approving_someone_with_a_seat_is_refused(client, trainer, employee, session):
    attendance_self_check_in(session=session, user=employee, code=check_in_code(session))
    client.force_login(trainer)

    response = client.post(approve_url(session, employee))

    assert response.status_code == 409
    assert "nothing to approve" in response.content.decode()


def test_approving_someone_who_never_checked_in_is_404(client, trainer, other_employee, session):
    client.force_login(trainer)

    assert client.post(approve_url(session, other_employee)).status_code == 404


# --- The check-in code panel ------------------------------------------------------------
def test_code_panel_polls_and_carries_the_check_in_url(client, trainer, session):
    client.force_login(trainer)

    response = client.get(f"/sessions/{session.pk}/check-in/code/", headers=HTMX)

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "<svg" in fragment
    codes = current_codes(session)
    assert any(f"{code[:3]} {code[3:]}" in fragment for code in codes)
    page = client.get(sheet(session)).content.decode()
    assert 'data-hx-trigger="every 20s"' in page
    assert 'aria-live="polite"' in page


def test_full_screen_code_page_for_a_projector(client, trainer, session):
    client.force_login(trainer)

    response = client.get(f"/sessions/{session.pk}/check-in/code/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "check-in-panel-projector" in page
    assert f"http://testserver/sessions/{session.pk}/check-in/" in page


def test_code_panel_says_when_check_in_opens(client, trainer):
    later = TrainingSessionFactory(lead_trainer=trainer)  # next week
    client.force_login(trainer)

    page = client.get(sheet(later)).content.decode()

    assert "Check-in opens at" in page
    assert not any(code in page for code in current_codes(later))


def test_code_panel_stops_polling_when_the_session_is_over(client, trainer):
    start = timezone.now() - timedelta(hours=2)
    over = TrainingSessionFactory(
        lead_trainer=trainer, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    client.force_login(trainer)

    response = client.get(f"/sessions/{over.pk}/check-in/code/", headers=HTMX)

    assert response.status_code == 286  # htmx: stop polling
    assert "Check-in is closed" in response.content.decode()


# --- Self check-in ----------------------------------------------------------------------
def test_scanning_the_code_shows_a_confirm_button_with_the_code(client, employee, session):
    code = check_in_code(session)
    client.force_login(employee)

    response = client.get(f"{check_in_url(session)}?code={code}")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{code}"' in page
    assert 'name="ticket"' in page
    assert "Confirm check-in" in page
    assert "You have a seat" in page
    assert not Attendance.objects.exists()  # a GET changes nothing


def test_confirming_checks_a_booked_person_in(client, employee, session):
    client.force_login(employee)

    response = client.post(check_in_url(session), {"code": check_in_code(session)})

    assert response.status_code == 302
    attendance = Attendance.objects.get(session=session, user=employee)
    assert (attendance.status, attendance.walk_in) == ("present", False)
    page = client.get(response["Location"]).content.decode()
    assert "You're checked in" in page
    assert "Welcome!" in page


def test_a_typed_code_with_a_space_works(client, employee, session):
    code = check_in_code(session)
    client.force_login(employee)

    response = client.post(check_in_url(session), {"code": f"{code[:3]} {code[3:]}"})

    assert response.status_code == 302
    assert Attendance.objects.filter(user=employee).exists()


def test_the_ticket_from_the_scan_outlives_the_code(client, employee, session):
    client.force_login(employee)
    page = client.get(f"{check_in_url(session)}?code={check_in_code(session)}")
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)
    stale = check_in_code(session, at=timezone.now() - CODE_PERIOD * 5)

    response = client.post(check_in_url(session), {"code": stale, "ticket": ticket})

    assert response.status_code == 302
    assert Attendance.objects.filter(user=employee).exists()


def test_someone_elses_ticket_does_not_work(client, employee, other_employee, session):
    client.force_login(employee)
    page = client.get(f"{check_in_url(session)}?code={check_in_code(session)}")
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)
    client.force_login(other_employee)

    response = client.post(check_in_url(session), {"code": "", "ticket": ticket})

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_an_expired_code_is_400_with_a_clear_message(client, employee, session):
    old = check_in_code(session, at=timezone.now() - CODE_PERIOD * 3)
    client.force_login(employee)

    for response in (
        client.get(f"{check_in_url(session)}?code={old}"),
        client.post(check_in_url(session), {"code": old}),
    ):
        assert response.status_code == 400
        assert "That code has expired or is wrong" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12\x0034"])
def test_malformed_codes_are_400_never_500(client, employee, session, code):
    client.force_login(employee)

    response = client.post(check_in_url(session), {"code": code})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the 6-digit code" in page or "Null characters are not allowed" in page
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("code", ["abcdef", "١٢٣٤٥٦", "x" * 500])
def test_malformed_codes_in_the_link_are_400(client, employee, session, code):
    client.force_login(employee)

    response = client.get(f"{check_in_url(session)}?code={quote(code)}")

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_check_in_is_closed_before_the_window(client, trainer, employee):
    later = TrainingSessionFactory(lead_trainer=trainer)  # next week
    seat(later, employee)
    client.force_login(employee)

    get = client.get(f"{check_in_url(later)}?code={check_in_code(later)}")
    post = client.post(check_in_url(later), {"code": check_in_code(later)})

    for response in (get, post):
        assert response.status_code == 409
        assert "Check-in opens 15 minutes before the session starts" in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_opens_fifteen_minutes_before_the_start(client, trainer, employee):
    soon = TrainingSessionFactory(
        lead_trainer=trainer, starts_at=timezone.now() + timedelta(minutes=14)
    )
    seat(soon, employee)
    client.force_login(employee)

    response = client.post(check_in_url(soon), {"code": check_in_code(soon)})

    assert response.status_code == 302
    assert Attendance.objects.get(user=employee).status == "present"


def test_check_in_is_closed_after_the_end(client, trainer, employee):
    start = timezone.now() - timedelta(hours=2)
    over = TrainingSessionFactory(
        lead_trainer=trainer, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    seat(over, employee)
    client.force_login(employee)

    response = client.post(check_in_url(over), {"code": check_in_code(over)})

    assert response.status_code == 409
    assert "has ended" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_cancelled_session_has_no_check_in(client, employee, session):
    TrainingSession.objects.filter(pk=session.pk).update(status="cancelled")
    client.force_login(employee)

    response = client.post(check_in_url(session), {"code": check_in_code(session)})

    assert response.status_code == 409
    assert "was cancelled" in response.content.decode()


def test_without_a_seat_you_are_a_walk_in_awaiting_approval(client, other_employee, session):
    client.force_login(other_employee)

    before = client.get(f"{check_in_url(session)}?code={check_in_code(session)}")
    response = client.post(check_in_url(session), {"code": check_in_code(session)})

    assert "You have no seat on this session" in before.content.decode()
    assert response.status_code == 302
    attendance = Attendance.objects.get(user=other_employee)
    assert attendance.walk_in
    assert not attendance.counts_as_attended
    page = client.get(response["Location"]).content.decode()
    assert "checked in as a walk-in" in page
    assert "the trainer will confirm" in page


def test_checking_in_twice_changes_nothing(client, employee, session):
    client.force_login(employee)
    client.post(check_in_url(session), {"code": check_in_code(session)})
    first = Attendance.objects.get(user=employee)

    response = client.post(check_in_url(session), {"code": check_in_code(session)})

    assert response.status_code == 302
    again = Attendance.objects.get(user=employee)
    assert again.checked_in_at == first.checked_in_at
    assert Attendance.objects.count() == 1


def test_the_trainer_cannot_check_in_to_their_own_session(client, trainer, session):
    client.force_login(trainer)

    response = client.post(check_in_url(session), {"code": check_in_code(session)})

    assert response.status_code == 409
    assert "You teach this session" in response.content.decode()
    assert not Attendance.objects.exists()


def test_anonymous_scan_goes_to_sign_in_and_back_with_the_code(client, session):
    code = check_in_code(session)

    response = client.get(f"{check_in_url(session)}?code={code}")

    assert response.status_code == 302
    assert response["Location"] == (
        f"/accounts/login/?next={quote(f'{check_in_url(session)}?code={code}', safe='/')}"
    )
    assert client.post(check_in_url(session), {"code": code}).status_code == 302
    assert not Attendance.objects.exists()


def test_a_draft_has_no_check_in_page_for_employees(client, trainer, employee):
    draft = TrainingSessionFactory(lead_trainer=trainer, status="draft")
    client.force_login(employee)

    assert client.get(check_in_url(draft)).status_code == 404
    assert client.post(check_in_url(draft), {"code": "123456"}).status_code == 404


# --- Query budget -----------------------------------------------------------------------
@pytest.mark.parametrize("people", [1, 50])
def test_attendance_sheet_query_count_is_flat(client, trainer, data_query_budget, people):
    ContentType.objects.get_for_model(Attendance)  # cached once per process in production
    session = started_session(trainer)
    seated = UserFactory.create_batch(people)
    for person in seated:
        seat(session, person)
    Attendance.objects.create(session=session, user=seated[0], status="present")
    for walk_in in UserFactory.create_batch(people):
        Attendance.objects.create(session=session, user=walk_in, status="present", walk_in=True)
    client.force_login(trainer)

    # django session, user, roles (navigation), the session with "co-teaches?", the sheet
    with data_query_budget(6):
        response = client.get(sheet(session))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="attendance-row"') == 2 * people


@pytest.mark.parametrize("people", [1, 50])
def test_attendance_sheet_query_count_for_ld_staff(client, ld_staff, data_query_budget, people):
    session = TrainingSessionFactory(capacity=60)
    for person in UserFactory.create_batch(people):
        seat(session, person)
    client.force_login(ld_staff)

    # as above, plus "is this L&D staff?"
    with data_query_budget(6):
        response = client.get(sheet(session))
    assert response.content.decode().count('data-testid="attendance-row"') == people
