"""Team leads book people from their teams (sub-teams included) onto sessions."""

import pytest
from django.contrib.contenttypes.models import ContentType

from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from sessions.models import Booking
from sessions.services.booking import booking_create

from ..factories import TeamFactory, TrainingSessionFactory, UserFactory, co_trainer

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    return TrainingSessionFactory(title="Pairing on SQL", capacity=2)


@pytest.fixture
def sub_team_member(team):
    return UserFactory(display_name="Sami Sub", team=TeamFactory(name="Support", parent=team))


def url(session) -> str:
    return f"/sessions/{session.pk}/book-member/"


def test_lead_sees_their_teams_with_each_persons_booking_state(
    client, lead, employee, sub_team_member, other_employee, session
):
    booking_create(session=session, user=employee)
    client.force_login(lead)

    page = client.get(url(session))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Eli Moreno" in html
    assert "Booked" in html
    assert "Sami Sub" in html
    assert f'name="member" value="{sub_team_member.pk}"' in html
    assert "Olu Adeyemi" not in html  # another team
    assert f'name="member" value="{lead.pk}"' not in html  # leads book themselves as usual


def test_lead_books_a_team_member_who_is_told(client, lead, employee, session):
    client.force_login(lead)

    response = client.post(url(session), {"member": employee.pk})

    assert response.status_code == 302
    assert response["Location"] == url(session)
    booking = Booking.objects.get(user=employee)
    assert booking.status == "confirmed"
    assert booking.booked_by == lead
    notice = Notification.objects.get(recipient=employee, kind="training.booking.by_lead")
    assert "decline" in notice.body
    audited = AuditEvent.objects.get(action="training.booking.created", actor=lead)
    assert audited.data == {"session": session.pk, "user": employee.pk, "status": "confirmed"}
    assert "Eli Moreno is booked" in client.get(response["Location"]).content.decode()


def test_lead_books_someone_in_a_sub_team(client, lead, sub_team_member, session):
    client.force_login(lead)

    assert client.post(url(session), {"member": sub_team_member.pk}).status_code == 302
    assert Booking.objects.get(user=sub_team_member).booked_by == lead


def test_a_full_session_puts_the_member_on_the_waitlist(client, lead, employee, session):
    for person in UserFactory.create_batch(2):
        booking_create(session=session, user=person)
    client.force_login(lead)

    response = client.post(url(session), {"member": employee.pk}, follow=True)

    assert Booking.objects.get(user=employee).waitlist_position == 1
    assert "number 1 on the waitlist" in response.content.decode()


def test_the_member_can_decline(client, lead, employee, session):
    booking_create(session=session, user=employee, booked_by=lead)
    client.force_login(employee)

    response = client.post(f"/sessions/{session.pk}/cancel/")

    assert response.status_code == 302
    assert Booking.objects.get(user=employee).status == "cancelled"


def test_lead_cannot_book_someone_outside_their_teams(client, lead, other_employee, session):
    client.force_login(lead)

    response = client.post(url(session), {"member": other_employee.pk})

    assert response.status_code == 403
    assert not Booking.objects.exists()


@pytest.mark.parametrize("member", ["999999", "abc", "99999999999999999999999"])
def test_unknown_member_is_404(client, lead, session, member):
    client.force_login(lead)

    assert client.post(url(session), {"member": member}).status_code == 404
    assert not Booking.objects.exists()


def test_an_inactive_member_is_404(client, lead, employee, session):
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    client.force_login(lead)

    assert client.post(url(session), {"member": employee.pk}).status_code == 404


def test_no_member_chosen_is_400(client, lead, session):
    client.force_login(lead)

    response = client.post(url(session), {"member": ""})

    assert response.status_code == 400
    assert "Choose who to book." in response.content.decode()


@pytest.mark.parametrize("who", ["employee", "trainer", "ld_staff"])
def test_people_who_lead_no_team_are_refused(client, request, who, other_employee, session):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(session)).status_code == 403
    assert client.post(url(session), {"member": other_employee.pk}).status_code == 403
    assert not Booking.objects.exists()


def test_booking_someone_twice_is_a_conflict(client, lead, employee, session):
    booking_create(session=session, user=employee)
    client.force_login(lead)

    response = client.post(url(session), {"member": employee.pk})

    assert response.status_code == 409
    assert "Eli Moreno is already booked" in response.content.decode()
    assert Booking.objects.filter(user=employee).count() == 1


def test_full_session_with_closed_waitlist_is_a_conflict(client, lead, employee):
    session = TrainingSessionFactory(capacity=1, waitlist_open=False)
    booking_create(session=session, user=UserFactory())
    client.force_login(lead)

    response = client.post(url(session), {"member": employee.pk})

    assert response.status_code == 409
    assert "full and its waitlist is closed" in response.content.decode()
    assert not Booking.objects.filter(user=employee).exists()


def test_a_member_who_teaches_the_session_cannot_be_booked(client, lead, employee, session):
    co_trainer(session, employee)
    client.force_login(lead)

    page = client.get(url(session)).content.decode()
    response = client.post(url(session), {"member": employee.pk})

    assert "Teaches this session." in page
    assert response.status_code == 409
    assert not Booking.objects.exists()


def test_cancelled_session_is_refused_with_a_reason(client, lead, employee):
    session = TrainingSessionFactory(status="cancelled")
    client.force_login(lead)

    response = client.post(url(session), {"member": employee.pk})

    assert response.status_code == 409
    assert "This session was cancelled." in response.content.decode()


def test_drafts_and_unknown_sessions_are_not_found(client, lead, employee):
    draft = TrainingSessionFactory(status="draft")
    client.force_login(lead)

    assert client.get(url(draft)).status_code == 404
    assert client.post(url(draft), {"member": employee.pk}).status_code == 404
    assert client.get("/sessions/999999/book-member/").status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, employee, session):
    response = client.post(url(session), {"member": employee.pk})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Booking.objects.exists()


def test_other_methods_are_405(client, lead, session):
    client.force_login(lead)

    assert client.put(url(session)).status_code == 405
    assert client.delete(url(session)).status_code == 405


@pytest.mark.parametrize("members", [1, 40])
def test_lead_booking_page_query_count_is_flat(client, lead, team, data_query_budget, members):
    session = TrainingSessionFactory(capacity=100)
    for person in UserFactory.create_batch(members, team=team):
        booking_create(session=session, user=person)
    client.force_login(lead)

    # session, user, roles, led teams, team tree, teams, session, co-trainers,
    # members, their bookings
    with data_query_budget(10):
        page = client.get(url(session))
    assert page.content.decode().count(">Booked</span>") == members


@pytest.mark.parametrize("others", [0, 40])
def test_lead_booking_post_query_count_is_flat(client, lead, employee, data_query_budget, others):
    ContentType.objects.get_for_model(Booking)  # cached once per process in production
    session = TrainingSessionFactory(capacity=100)
    for person in UserFactory.create_batch(others):
        booking_create(session=session, user=person)
    client.force_login(lead)

    # session, user, led teams, team tree, teams, session, co-trainers, member, lock,
    # existing booking, insert, seat counter, audit, outbox row
    with data_query_budget(14):
        assert client.post(url(session), {"member": employee.pk}).status_code == 302
