"""Co-teaching rules: who may be invited, accepting and declining, withdrawing, and that
only an accepted co-trainer counts anywhere (issue 9)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from sessions.errors import BookingError, SessionError
from sessions.models import Booking, CoTrainer, TrainingSession
from sessions.selectors import (
    feed_sessions_of,
    feed_video_link_session_ids,
    pending_co_teaching_invitations,
    sessions_taught_by,
    teaches,
)
from sessions.services.attendance import check_in_refusal
from sessions.services.booking import booking_create
from sessions.services.co_trainers import (
    co_trainer_accept,
    co_trainer_decline,
    co_trainer_withdraw,
    co_trainers_invite,
    co_trainers_replace,
)
from sessions.services.demand import interest_register
from sessions.services.sessions import (
    training_series_create,
    training_session_create,
    training_session_publish,
    training_session_update,
)
from trainers.models import TrainerProfile

from ..factories import (
    CertificationFactory,
    TrainingSessionFactory,
    UserFactory,
    co_trainer,
)

pytestmark = pytest.mark.django_db


def next_week(hours: int = 0):
    return timezone.now() + timedelta(days=7, hours=hours)


@pytest.fixture
def skill(trainer):
    return trainer.trainer_profile.certifications.get().skill


@pytest.fixture
def colleague(skill):
    """A trainer certified in the lead's skill: someone who may be asked to co-teach."""
    return CertificationFactory(
        skill=skill, trainer__user__display_name="Chidi Obi", trainer__user__email="chidi@x.test"
    ).trainer.user


@pytest.fixture
def draft(trainer, skill):
    return TrainingSessionFactory(lead_trainer=trainer, skill=skill, status="draft")


@pytest.fixture
def published(trainer, skill):
    return TrainingSessionFactory(lead_trainer=trainer, skill=skill, capacity=1)


def invitation(session, person) -> CoTrainer:
    return CoTrainer.objects.get(session=session, user=person)


def kinds(person) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


# --- Who may be invited ----------------------------------------------------------------
def test_a_certified_colleague_is_invited_and_told_but_is_not_a_co_trainer_yet(
    trainer, skill, colleague
):
    session = training_session_create(
        trainer=trainer,
        skill=skill,
        title="Pairing",
        starts_at=next_week(),
        ends_at=next_week(1),
        capacity=4,
        co_trainers=[colleague],
    )

    row = invitation(session, colleague)
    assert (row.state, row.invited_by, row.answered_at) == ("invited", trainer, None)
    assert not teaches(session, colleague)
    message = Notification.objects.get(recipient=colleague)
    assert message.kind == "training.cotrainer.invited"
    assert message.subject == f"Tomás Rivera invites you to co-teach {session.title}"
    assert f"/sessions/{session.pk}/" in message.body
    event = AuditEvent.objects.get(action="training.cotrainer.invited")
    assert (event.actor, event.object_id, event.data) == (
        trainer,
        str(session.pk),
        {"co_trainer": colleague.pk},
    )


def test_a_colleague_not_certified_in_the_skill_is_refused_and_nothing_is_saved(
    trainer, skill, other_trainer, employee
):
    with pytest.raises(SessionError) as refused:
        training_session_create(
            trainer=trainer,
            skill=skill,
            title="Pairing",
            starts_at=next_week(),
            ends_at=next_week(1),
            capacity=4,
            co_trainers=[other_trainer, employee],
        )

    assert refused.value.field == "co_trainers"
    assert f"{other_trainer} isn't certified to teach {skill} today" in str(refused.value)
    assert f"{employee} isn't certified to teach {skill} today" in str(refused.value)
    assert not TrainingSession.objects.exists()
    assert not CoTrainer.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "lapse",
    [
        {"status": TrainerProfile.Status.PAUSED},
        {"expired": True},
    ],
)
def test_a_paused_or_expired_certification_does_not_let_anyone_co_teach(
    trainer, draft, colleague, lapse
):
    if lapse.get("expired"):
        colleague.trainer_profile.certifications.update(
            issued_at=timezone.now() - timedelta(days=400),
            expires_at=timezone.now() - timedelta(days=1),
        )
    else:
        TrainerProfile.objects.filter(user=colleague).update(**lapse)

    with pytest.raises(SessionError, match="isn't certified to teach"):
        co_trainers_invite(session=draft, people=[colleague], by=trainer)
    assert not CoTrainer.objects.exists()


def test_a_colleague_who_left_is_refused(trainer, draft, colleague):
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])

    with pytest.raises(SessionError, match="no longer has an active account") as refused:
        co_trainers_invite(session=draft, people=[colleague], by=trainer)
    assert refused.value.field == "co_trainers"


def test_the_lead_cannot_invite_themself(trainer, draft):
    with pytest.raises(SessionError, match="leads this session"):
        co_trainers_invite(session=draft, people=[trainer], by=trainer)


def test_nobody_is_invited_to_a_cancelled_session(trainer, published, colleague):
    TrainingSession.objects.filter(pk=published.pk).update(status="cancelled")
    published.refresh_from_db()

    with pytest.raises(SessionError, match="cancelled"):
        co_trainers_invite(session=published, people=[colleague], by=trainer)


# --- Answering -------------------------------------------------------------------------
def test_accepting_makes_them_a_co_trainer_and_tells_the_lead(trainer, draft, colleague):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)

    co_trainer_accept(invitation=invitation(draft, colleague), user=colleague)

    row = invitation(draft, colleague)
    assert row.state == "accepted"
    assert row.answered_at is not None
    assert teaches(TrainingSession.objects.get(pk=draft.pk), colleague)
    told = Notification.objects.get(recipient=trainer)
    assert told.kind == "training.cotrainer.accepted"
    assert told.subject == f"Chidi Obi will co-teach {draft.title}"
    assert AuditEvent.objects.filter(
        action="training.cotrainer.accepted", actor=colleague, object_id=str(draft.pk)
    ).exists()


def test_declining_tells_the_lead_and_leaves_them_out(trainer, draft, colleague):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)

    co_trainer_decline(invitation=invitation(draft, colleague), user=colleague)

    assert invitation(draft, colleague).state == "declined"
    assert not teaches(draft, colleague)
    told = Notification.objects.get(recipient=trainer)
    assert told.kind == "training.cotrainer.declined"
    assert told.subject == f"Chidi Obi can't co-teach {draft.title}"
    assert AuditEvent.objects.filter(action="training.cotrainer.declined").count() == 1


def test_nobody_answers_someone_elses_invitation(trainer, draft, colleague, other_trainer):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    row = invitation(draft, colleague)

    for answer in (co_trainer_accept, co_trainer_decline):
        with pytest.raises(SessionError, match="for someone else"):
            answer(invitation=row, user=other_trainer)

    assert invitation(draft, colleague).state == "invited"
    assert not teaches(draft, other_trainer)


def test_an_invitation_is_answered_once(trainer, draft, colleague):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    co_trainer_decline(invitation=invitation(draft, colleague), user=colleague)

    with pytest.raises(SessionError, match="You already declined"):
        co_trainer_accept(invitation=invitation(draft, colleague), user=colleague)
    assert invitation(draft, colleague).state == "declined"


def test_accepting_needs_the_certification_still(trainer, draft, colleague):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    colleague.trainer_profile.certifications.all().delete()

    with pytest.raises(SessionError, match="aren't certified to teach"):
        co_trainer_accept(invitation=invitation(draft, colleague), user=colleague)
    assert invitation(draft, colleague).state == "invited"


def test_an_invitation_to_a_session_that_is_over_cannot_be_answered(trainer, draft, colleague):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    past = timezone.now() - timedelta(days=1)
    TrainingSession.objects.filter(pk=draft.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=1)
    )

    with pytest.raises(SessionError, match="over"):
        co_trainer_accept(invitation=invitation(draft, colleague), user=colleague)


def test_accepting_gives_up_a_seat_they_booked_to_the_first_person_waiting(
    trainer, published, colleague, employee
):
    co_trainers_invite(session=published, people=[colleague], by=trainer)
    booking_create(session=published, user=colleague)  # an invitee may book, like anyone
    waiting = booking_create(session=TrainingSession.objects.get(pk=published.pk), user=employee)
    assert waiting.status == "waitlisted"

    co_trainer_accept(invitation=invitation(published, colleague), user=colleague)

    assert Booking.objects.get(user=colleague).status == "cancelled"
    assert Booking.objects.get(user=employee).status == "confirmed"
    assert teaches(published, colleague)


# --- Withdrawing and replacing ---------------------------------------------------------
def test_withdrawing_an_invitation_tells_the_invitee_who_can_no_longer_accept(
    trainer, draft, colleague
):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    row = invitation(draft, colleague)

    assert co_trainer_withdraw(invitation=row, by=trainer) == "invited"

    assert not CoTrainer.objects.exists()
    assert kinds(colleague) == ["training.cotrainer.invited", "training.cotrainer.withdrawn"]
    assert AuditEvent.objects.filter(action="training.cotrainer.withdrawn").count() == 1
    with pytest.raises(SessionError, match="withdrawn"):
        co_trainer_accept(invitation=row, user=colleague)


def test_removing_an_accepted_co_trainer_tells_them(trainer, published, colleague):
    row = co_trainer(published, colleague)

    assert co_trainer_withdraw(invitation=row, by=trainer) == "accepted"

    assert not teaches(published, colleague)
    removed = Notification.objects.get(recipient=colleague, kind="training.cotrainer.removed")
    assert removed.subject == f"You no longer co-teach {published.title}"
    assert AuditEvent.objects.filter(action="training.cotrainer.removed").count() == 1


def test_a_declined_invitation_is_not_withdrawn(trainer, draft, colleague):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    co_trainer_decline(invitation=invitation(draft, colleague), user=colleague)

    with pytest.raises(SessionError, match="already declined"):
        co_trainer_withdraw(invitation=invitation(draft, colleague), by=trainer)


def test_the_edit_list_invites_newcomers_and_withdraws_whoever_is_left_out(
    trainer, published, colleague, skill
):
    staying = co_trainer(published, UserFactory(display_name="Stays"))
    leaving = co_trainer(published, UserFactory(display_name="Leaves"))

    changed = co_trainers_replace(session=published, people=[staying.user, colleague], by=trainer)

    assert changed
    states = dict(CoTrainer.objects.filter(session=published).values_list("user", "state"))
    assert states == {staying.user_id: "accepted", colleague.pk: "invited"}
    assert "training.cotrainer.removed" in kinds(leaving.user)
    assert co_trainers_replace(session=published, people=[staying.user, colleague], by=trainer) is (
        False
    )


def test_someone_who_declined_and_is_listed_again_is_invited_anew(trainer, draft, colleague):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    co_trainer_decline(invitation=invitation(draft, colleague), user=colleague)

    co_trainers_replace(session=draft, people=[colleague], by=trainer)

    assert invitation(draft, colleague).state == "invited"
    assert kinds(colleague).count("training.cotrainer.invited") == 2


def test_leaving_someone_who_declined_off_the_list_keeps_their_answer(trainer, draft, colleague):
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    co_trainer_decline(invitation=invitation(draft, colleague), user=colleague)

    assert co_trainers_replace(session=draft, people=[], by=trainer) is False
    assert invitation(draft, colleague).state == "declined"


def test_an_uncertified_newcomer_on_the_edit_list_changes_nothing(trainer, published, employee):
    with pytest.raises(SessionError, match="isn't certified"):
        training_session_update(
            session=published, by=trainer, title="Renamed", co_trainers=[employee]
        )

    published.refresh_from_db()
    assert published.title != "Renamed"
    assert not CoTrainer.objects.exists()


# --- A series ----------------------------------------------------------------------------
def test_a_series_invites_to_every_date_tells_once_and_is_answered_at_once(
    trainer, skill, colleague
):
    first = next_week()
    series = training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=(first + timedelta(weeks=2)).date(),
        skill=skill,
        title="Clinic",
        starts_at=first,
        ends_at=first + timedelta(hours=1),
        capacity=4,
        location="Room 1",
        co_trainers=[colleague],
    )

    rows = CoTrainer.objects.filter(user=colleague).order_by("session__starts_at")
    assert [row.state for row in rows] == ["invited"] * 3
    [message] = Notification.objects.filter(recipient=colleague)
    assert "a series of 3 dates" in message.body

    co_trainer_accept(invitation=rows[1], user=colleague, whole_series=True)

    assert set(CoTrainer.objects.filter(user=colleague).values_list("state", flat=True)) == {
        "accepted"
    }
    assert sessions_taught_by(user=colleague).count() == 3
    assert Notification.objects.filter(recipient=trainer).count() == 1
    assert series.occurrences.count() == 3


def test_answering_one_date_of_a_series_leaves_the_others_open(trainer, skill, colleague):
    first = next_week()
    training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=(first + timedelta(weeks=1)).date(),
        skill=skill,
        title="Clinic",
        starts_at=first,
        ends_at=first + timedelta(hours=1),
        capacity=4,
        location="Room 1",
        co_trainers=[colleague],
    )
    rows = list(CoTrainer.objects.filter(user=colleague).order_by("session__starts_at"))

    co_trainer_decline(invitation=rows[0], user=colleague)

    states = CoTrainer.objects.filter(user=colleague).order_by("session__starts_at")
    assert list(states.values_list("state", flat=True)) == ["declined", "invited"]


def test_an_uncertified_colleague_is_refused_for_a_series_and_nothing_is_saved(
    trainer, skill, employee
):
    with pytest.raises(SessionError, match="isn't certified"):
        training_series_create(
            trainer=trainer,
            every_weeks=1,
            until=timezone.localdate() + timedelta(weeks=3),
            skill=skill,
            title="Clinic",
            starts_at=next_week(),
            ends_at=next_week(1),
            capacity=4,
            location="Room 1",
            co_trainers=[employee],
        )
    assert not TrainingSession.objects.exists()


# --- Only an accepted co-trainer counts --------------------------------------------------
def test_an_invitee_is_not_a_trainer_anywhere_until_they_accept(trainer, published, colleague):
    co_trainers_invite(session=published, people=[colleague], by=trainer)
    row = invitation(published, colleague)

    assert not sessions_taught_by(user=colleague).exists()
    assert feed_sessions_of(user=colleague) == []
    assert published.pk not in feed_video_link_session_ids(user=colleague)
    assert pending_co_teaching_invitations(user=colleague) == [row]

    co_trainer_accept(invitation=row, user=colleague)

    assert list(sessions_taught_by(user=colleague)) == [published]
    assert feed_sessions_of(user=colleague) == [published]
    assert published.pk in feed_video_link_session_ids(user=colleague)
    assert pending_co_teaching_invitations(user=colleague) == []


def test_an_invitee_may_book_a_seat_and_check_in_but_an_accepted_co_trainer_may_not(
    trainer, published, colleague
):
    co_trainers_invite(session=published, people=[colleague], by=trainer)
    start = timezone.now() - timedelta(minutes=5)
    TrainingSession.objects.filter(pk=published.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    published.refresh_from_db()
    assert check_in_refusal(session=published, user=colleague) is None

    co_trainer_accept(invitation=invitation(published, colleague), user=colleague)

    assert "You teach this session" in check_in_refusal(session=published, user=colleague)


def test_booking_refuses_an_accepted_co_trainer_but_not_an_invitee(trainer, skill, colleague):
    invited = TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    taught = TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    co_trainers_invite(session=invited, people=[colleague], by=trainer)
    co_trainer(taught, colleague)

    assert booking_create(session=invited, user=colleague).status == "confirmed"
    with pytest.raises(BookingError, match="You teach this session"):
        booking_create(session=taught, user=colleague)


def test_publishing_tells_an_interested_invitee_but_not_an_accepted_co_trainer(
    trainer, skill, colleague, other_trainer
):
    CertificationFactory(trainer=other_trainer.trainer_profile, skill=skill)
    draft = TrainingSessionFactory(lead_trainer=trainer, skill=skill, status="draft")
    co_trainers_invite(session=draft, people=[colleague], by=trainer)
    co_trainer(draft, other_trainer)
    for person in (colleague, other_trainer):
        interest_register(user=person, skill=skill)

    training_session_publish(session=draft, by=trainer)

    published_kind = "training.demand.session_published"
    assert published_kind in kinds(colleague)
    assert published_kind not in kinds(other_trainer)


# --- The lead trainer too must be certified, whoever sets the session up ------------------
@pytest.mark.parametrize("who", ["ld_staff", "employee"])
def test_nobody_uncertified_leads_a_session_even_when_ld_staff_set_it_up(request, who, skill):
    person = request.getfixturevalue(who)

    with pytest.raises(SessionError, match="certified in"):
        training_session_create(
            trainer=person,
            skill=skill,
            title="Mine",
            starts_at=next_week(),
            ends_at=next_week(1),
            capacity=4,
        )
    assert not TrainingSession.objects.exists()


def test_the_lead_trainer_cannot_be_changed_by_an_update(ld_staff, published, employee):
    with pytest.raises(SessionError, match="can't be changed here: lead_trainer"):
        training_session_update(session=published, by=ld_staff, lead_trainer=employee)
    published.refresh_from_db()
    assert published.lead_trainer != employee


def test_sessions_taught_come_next_one_first_then_the_most_recent_past(trainer):
    skill = trainer.trainer_profile.certifications.get().skill
    now = timezone.now()

    def held(days):
        start = now + timedelta(days=days)
        return TrainingSessionFactory(
            skill=skill, lead_trainer=trainer, starts_at=start, ends_at=start + timedelta(hours=1)
        )

    later, sooner, long_ago, recent = held(20), held(2), held(-30), held(-3)

    assert list(sessions_taught_by(user=trainer)) == [sooner, later, recent, long_ago]
