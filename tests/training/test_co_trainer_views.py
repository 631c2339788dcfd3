"""Co-teaching through the pages: inviting from the session forms, the invitee's answer,
the lead's view of everyone's answer, and what an invitee may not see before accepting
(issue 9: anyone could be made a co-trainer and then saw the draft and the roster)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from sessions.models import Booking, CoTrainer, TrainingSession
from sessions.services.attendance import check_in_code
from sessions.services.co_trainers import co_trainers_invite

from ..factories import CertificationFactory, TrainingSessionFactory, UserFactory, co_trainer
from .test_manage_views import edit_data, proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill(trainer):
    return trainer.trainer_profile.certifications.get().skill


@pytest.fixture
def colleague(skill):
    """Certified in the lead's skill: may be asked to co-teach."""
    return CertificationFactory(
        skill=skill, trainer__user__display_name="Chidi Obi", trainer__user__email="chidi@x.test"
    ).trainer.user


@pytest.fixture
def draft(trainer, skill):
    return TrainingSessionFactory(
        lead_trainer=trainer,
        skill=skill,
        status="draft",
        title="Draft clinic",
        description="Secret plans for the clinic.",
    )


@pytest.fixture
def running(trainer, skill, employee):
    """Published, started five minutes ago (check-in open), with the employee booked."""
    start = timezone.now() - timedelta(minutes=5)
    session = TrainingSessionFactory(
        lead_trainer=trainer,
        skill=skill,
        title="Live clinic",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    Booking.objects.create(session=session, user=employee, status="confirmed")
    return session


def invite(session, person):
    co_trainers_invite(session=session, people=[person], by=session.lead_trainer)
    return CoTrainer.objects.get(session=session, user=person)


def accept(session):
    return f"/sessions/{session.pk}/co-teach/accept/"


def decline(session):
    return f"/sessions/{session.pk}/co-teach/decline/"


def withdraw(session, person):
    return f"/sessions/{session.pk}/co-trainers/{person.pk}/withdraw/"


def trainer_only_pages(session) -> list[str]:
    return [
        f"/sessions/{session.pk}/attendance/",
        f"/sessions/{session.pk}/check-in/code/",
    ]


# --- The reported fault, through the forms -----------------------------------------------
def test_a_colleague_named_as_co_trainer_sees_neither_the_draft_nor_the_roster(
    client, trainer, skill, employee, other_employee
):
    """The probe: a lead listed an uncertified colleague; they saw the draft and roster."""
    client.force_login(trainer)
    refused = client.post("/sessions/new/", proposal(skill, co_trainers=employee.email))
    assert refused.status_code == 400
    assert f"{employee} isn&#x27;t certified to teach {skill}" in refused.content.decode()
    assert not TrainingSession.objects.exists()

    draft = TrainingSessionFactory(lead_trainer=trainer, skill=skill, status="draft")
    client.force_login(employee)
    assert client.get(f"/sessions/{draft.pk}/").status_code == 404
    assert client.get(f"/sessions/{draft.pk}/attendance/").status_code == 404


def test_an_uncertified_colleague_is_refused_beside_the_field_on_the_edit_form(
    client, trainer, skill, other_trainer
):
    session = TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    client.force_login(trainer)

    response = client.post(
        f"/sessions/{session.pk}/edit/", edit_data(session, co_trainers=other_trainer.email)
    )

    assert response.status_code == 400
    beside = response.content.decode().split('id="error_1_id_co_trainers"')[1][:300]
    assert f"{other_trainer} isn&#x27;t certified to teach {skill} today" in beside
    assert not CoTrainer.objects.exists()


def test_a_colleague_who_left_is_refused_with_a_clear_message(client, trainer, skill, colleague):
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    client.force_login(trainer)

    response = client.post("/sessions/new/", proposal(skill, co_trainers=colleague.email))

    assert response.status_code == 400
    assert "no longer has an active account" in response.content.decode()


# --- The invitee before answering --------------------------------------------------------
def test_an_invitee_sees_only_the_invitation_to_a_draft(client, draft, colleague):
    invite(draft, colleague)
    client.force_login(colleague)

    response = client.get(f"/sessions/{draft.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tomás Rivera invites you to co-teach" in page
    assert "Draft clinic" in page
    assert "Secret plans" not in page  # the draft itself waits until they accept
    assert 'data-testid="booking-panel"' not in page
    assert client.get(f"/sessions/{draft.pk}/edit/").status_code == 404
    assert client.get(f"/sessions/{draft.pk}/calendar.ics").status_code == 404
    for url in trainer_only_pages(draft):
        assert client.get(url).status_code == 404, url


def test_an_invitee_sees_no_roster_attendance_or_check_in_code(
    client, running, colleague, employee
):
    invite(running, colleague)
    client.force_login(colleague)

    for url in trainer_only_pages(running):
        response = client.get(url)
        assert response.status_code == 403, url
        assert employee.display_name not in response.content.decode()
        assert not any(code in response.content.decode() for code in [check_in_code(running)])
    mark = f"/sessions/{running.pk}/attendance/{employee.pk}/"
    assert client.post(mark, {"status": "absent"}).status_code == 403


def test_an_invitee_is_not_named_as_trainer_and_may_book_until_they_accept(
    client, trainer, skill, colleague
):
    session = TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    invite(session, colleague)
    client.force_login(colleague)

    page = client.get(f"/sessions/{session.pk}/").content.decode()

    trainers = page.split('data-testid="trainers">')[1].split("</dd>")[0]
    assert "Chidi Obi" not in trainers
    assert 'data-testid="co-teach-invitation"' in page
    assert 'data-testid="book-button"' in page
    assert client.post(f"/sessions/{session.pk}/book/").status_code == 302
    assert Booking.objects.get(user=colleague).status == "confirmed"


# --- Answering ---------------------------------------------------------------------------
def test_accepting_opens_the_draft_and_the_roster(client, trainer, draft, colleague):
    invite(draft, colleague)
    client.force_login(colleague)

    response = client.post(accept(draft))

    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "You co-teach this session now" in page
    assert "Secret plans" in page
    assert "Tomás Rivera, Chidi Obi" in page
    assert client.get(f"/sessions/{draft.pk}/attendance/").status_code == 200
    assert Notification.objects.filter(
        recipient=trainer, kind="training.cotrainer.accepted"
    ).exists()


def test_declining_tells_the_lead_and_returns_to_my_sessions(client, trainer, draft, colleague):
    invite(draft, colleague)
    client.force_login(colleague)

    response = client.post(decline(draft))

    assert response.status_code == 302
    assert response["Location"] == "/sessions/mine/"
    assert "You declined 1 invitation" in client.get("/sessions/mine/").content.decode()
    assert CoTrainer.objects.get(user=colleague).state == "declined"
    assert Notification.objects.filter(
        recipient=trainer, kind="training.cotrainer.declined"
    ).exists()
    assert client.get(f"/sessions/{draft.pk}/").status_code == 404


def test_another_trainer_cannot_accept_or_decline_someone_elses_invitation(
    client, draft, colleague, other_trainer
):
    invite(draft, colleague)
    CertificationFactory(trainer=other_trainer.trainer_profile, skill=draft.skill)
    client.force_login(other_trainer)

    assert client.post(accept(draft)).status_code == 404
    assert client.post(decline(draft)).status_code == 404
    assert CoTrainer.objects.get().state == "invited"
    assert client.get(f"/sessions/{draft.pk}/attendance/").status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="training.cotrainer.accepted").exists()


def test_the_lead_cannot_accept_on_the_invitees_behalf(client, trainer, draft, colleague):
    invite(draft, colleague)
    client.force_login(trainer)

    assert client.post(accept(draft)).status_code == 404
    assert CoTrainer.objects.get().state == "invited"


def test_answering_twice_is_a_conflict_with_a_message(client, draft, colleague):
    invite(draft, colleague)
    client.force_login(colleague)
    client.post(accept(draft))

    response = client.post(decline(draft))

    assert response.status_code == 409
    assert "You already accepted this invitation." in response.content.decode()
    assert CoTrainer.objects.get().state == "accepted"


def test_accepting_a_withdrawn_invitation_is_404(client, draft, colleague):
    row = invite(draft, colleague)
    row.delete()
    client.force_login(colleague)

    assert client.post(accept(draft)).status_code == 404


def test_answers_are_posts_from_signed_in_people(client, draft, colleague):
    invite(draft, colleague)
    for url in (accept(draft), decline(draft), withdraw(draft, colleague)):
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    client.force_login(colleague)
    for url in (accept(draft), decline(draft)):
        assert client.get(url).status_code == 405
    client.force_login(draft.lead_trainer)
    assert client.get(withdraw(draft, colleague)).status_code == 405
    assert CoTrainer.objects.get().state == "invited"


def test_a_whole_series_is_answered_from_one_date(client, trainer, skill, colleague):
    client.force_login(trainer)
    client.post(
        "/sessions/new/",
        proposal(
            skill,
            co_trainers=colleague.email,
            repeat_every_weeks="1",
            repeat_until=(timezone.localdate() + timedelta(days=28)).isoformat(),
        ),
    )  # the proposal starts in 14 days: three dates
    second = TrainingSession.objects.order_by("starts_at")[1]
    client.force_login(colleague)

    page = client.get(f"/sessions/{second.pk}/").content.decode()
    assert "Answer for all 3 dates of this series" in page
    response = client.post(accept(second), {"whole_series": "1"})

    assert response.status_code == 302
    assert set(CoTrainer.objects.values_list("state", flat=True)) == {"accepted"}
    assert Notification.objects.filter(recipient=colleague).count() == 1


# --- The lead's view ---------------------------------------------------------------------
def test_the_lead_sees_each_co_trainers_answer(client, trainer, draft, colleague):
    co_trainer(draft, UserFactory(display_name="Ada Accepts"))
    invite(draft, colleague)
    declined = co_trainer(draft, UserFactory(display_name="Dev Declines"), accept=False)
    declined.state = "declined"
    declined.save(update_fields=["state"])
    client.force_login(trainer)

    page = client.get(f"/sessions/{draft.pk}/").content.decode()

    states = page.split('data-testid="co-trainer-states"')[1].split("</ul>")[0]
    assert states.index("Ada Accepts") < states.index("Chidi Obi") < states.index("Dev Declines")
    assert "Teaching" in states
    assert "Invited, no answer yet" in states
    assert "Declined" in states
    assert states.count("Withdraw invitation") == 1
    assert states.count("Remove") == 1
    edit = client.get(f"/sessions/{draft.pk}/edit/").content.decode()
    assert "Chidi Obi (no answer yet)" in edit


def test_others_do_not_see_who_was_asked(client, running, colleague, employee):
    invite(running, colleague)
    client.force_login(employee)

    page = client.get(f"/sessions/{running.pk}/").content.decode()

    assert 'data-testid="co-trainer-states"' not in page
    assert "Chidi Obi" not in page


def test_the_lead_withdraws_an_invitation(client, trainer, draft, colleague):
    invite(draft, colleague)
    client.force_login(trainer)

    response = client.post(withdraw(draft, colleague))

    assert response.status_code == 302
    assert "is withdrawn" in client.get(response["Location"]).content.decode()
    assert not CoTrainer.objects.exists()
    assert Notification.objects.filter(
        recipient=colleague, kind="training.cotrainer.withdrawn"
    ).exists()


def test_ld_staff_remove_an_accepted_co_trainer_who_is_told(client, ld_staff, running, colleague):
    co_trainer(running, colleague)
    client.force_login(ld_staff)

    response = client.post(withdraw(running, colleague))

    assert response.status_code == 302
    assert not CoTrainer.objects.exists()
    removed = AuditEvent.objects.get(action="training.cotrainer.removed")
    assert removed.actor == ld_staff
    assert Notification.objects.filter(
        recipient=colleague, kind="training.cotrainer.removed"
    ).exists()
    client.force_login(colleague)
    assert client.get(f"/sessions/{running.pk}/attendance/").status_code == 403


@pytest.mark.parametrize("who", ["colleague", "co_teacher", "other_trainer", "employee"])
def test_only_the_lead_and_ld_staff_withdraw(client, request, running, colleague, who):
    invite(running, colleague)
    person = co_trainer(running).user if who == "co_teacher" else request.getfixturevalue(who)
    client.force_login(person)

    assert client.post(withdraw(running, colleague)).status_code == 403
    assert CoTrainer.objects.filter(user=colleague, state="invited").exists()


def test_withdrawing_on_someone_elses_draft_is_404(client, draft, colleague, other_trainer):
    invite(draft, colleague)
    client.force_login(other_trainer)

    assert client.post(withdraw(draft, colleague)).status_code == 404
    assert CoTrainer.objects.exists()


def test_withdrawing_someone_not_asked_is_404(client, trainer, draft, employee):
    client.force_login(trainer)

    assert client.post(withdraw(draft, employee)).status_code == 404
    assert client.post(f"/sessions/{draft.pk}/co-trainers/999999/withdraw/").status_code == 404


def test_withdrawing_a_declined_invitation_is_a_conflict(client, trainer, draft, colleague):
    row = invite(draft, colleague)
    row.state = "declined"
    row.save(update_fields=["state"])
    client.force_login(trainer)

    response = client.post(withdraw(draft, colleague))

    assert response.status_code == 409
    assert "already declined" in response.content.decode()


# --- The invitee's own pages -------------------------------------------------------------
def test_invitations_wait_on_my_sessions_my_trainer_page_and_home(client, draft, colleague):
    invite(draft, colleague)
    client.force_login(colleague)

    mine = client.get("/sessions/mine/").content.decode()
    assert 'data-testid="co-teach-invitations"' in mine
    assert "Draft clinic" in mine
    assert "Sessions you teach" not in mine
    me = client.get("/trainers/me/").content.decode()
    assert 'data-testid="teaching-invitations"' in me
    assert f'href="/sessions/{draft.pk}/"' in me
    home = client.get("/").content.decode()
    invitations = home[home.index('data-testid="home-invitations"') :]
    assert f'href="/sessions/{draft.pk}/"' in invitations


def test_accepting_from_my_sessions_moves_it_to_the_sessions_i_teach(client, draft, colleague):
    invite(draft, colleague)
    client.force_login(colleague)

    client.post(accept(draft))

    mine = client.get("/sessions/mine/").content.decode()
    assert 'data-testid="co-teach-invitations"' not in mine
    assert "Sessions you teach" in mine
    assert "Draft clinic" in mine


# --- Query counts --------------------------------------------------------------------------
@pytest.mark.parametrize("co_trainers", [0, 5])
def test_session_page_query_count_is_flat_for_the_lead(
    client, trainer, draft, data_query_budget, co_trainers
):
    for _ in range(co_trainers):
        co_trainer(draft)
    client.force_login(trainer)

    # session, user, the session with its trainers (and prefetch), my booking, everyone
    # asked, L&D check
    with data_query_budget(7):
        assert client.get(f"/sessions/{draft.pk}/").status_code == 200


@pytest.mark.parametrize("co_trainers", [0, 5])
def test_session_page_query_count_is_flat_for_an_attendee(
    client, running, employee, data_query_budget, co_trainers
):
    for _ in range(co_trainers):
        co_trainer(running)
    client.force_login(employee)

    # session, user, the session with its trainers (and prefetch), my bookings, my
    # attendance (the session has started: attended is a booking state), my roles
    with data_query_budget(7):
        assert client.get(f"/sessions/{running.pk}/").status_code == 200
