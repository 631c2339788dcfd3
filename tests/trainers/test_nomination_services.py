"""Nominations: anyone nominates, the nominee answers, L&D decide; a "no" is respected."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from trainers.errors import NominationClosed, NominationError
from trainers.models import NOMINATION_REST_PERIOD, Nomination, TrainerProfile
from trainers.services_nominations import (
    nomination_accept,
    nomination_agree,
    nomination_decline,
    nomination_make,
    nomination_withdraw,
)

from ..factories import CertificationFactory, SkillFactory, TrainerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
REASON = "Ana rebuilt our reporting queries and explains them patiently."


@pytest.fixture
def sql(db):
    return SkillFactory(name="SQL")


@pytest.fixture
def ana(team):
    return UserFactory(team=team, display_name="Ana Teach")


def nominate(ana, sql, by, **kwargs):
    return nomination_make(nominee=ana, skill=sql, nominated_by=by, reason=REASON, **kwargs)


def test_a_nomination_names_skill_nominee_nominator_and_reason_and_is_audited(ana, sql, employee):
    nomination = nominate(ana, sql, employee)

    nomination.refresh_from_db()
    assert (nomination.skill, nomination.nominee, nomination.nominated_by) == (sql, ana, employee)
    assert (nomination.reason, nomination.state) == (REASON, Nomination.State.OPEN)
    assert nomination.nominee_agreed_at is None
    assert not TrainerProfile.objects.filter(user=ana).exists()  # not until L&D accept
    event = AuditEvent.objects.get(action="trainers.nomination.made")
    assert event.actor == employee
    assert event.data == {"nominee": ana.pk, "skill": "sql", "self_nominated": False}


def test_putting_yourself_forward_counts_as_agreeing(ana, sql):
    nomination = nominate(ana, sql, ana)

    assert nomination.nominee_agreed_at is not None


def test_someone_who_left_cannot_be_nominated(ana, sql, employee):
    ana.is_active = False
    ana.save()

    with pytest.raises(NominationError, match="no longer works here"):
        nominate(ana, sql, employee)
    assert not Nomination.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="trainers.").exists()


def test_a_reason_is_required(ana, sql, employee):
    with pytest.raises(NominationError, match="Say why") as refused:
        nomination_make(nominee=ana, skill=sql, nominated_by=employee, reason="   ")
    assert refused.value.field == "reason"
    assert not Nomination.objects.exists()


def test_someone_who_already_teaches_the_skill_is_not_nominated_for_it(trainer, employee):
    skill = trainer.trainer_profile.certifications.get().skill

    with pytest.raises(NominationError, match="already teaches"):
        nominate(trainer, skill, employee)


def test_one_open_nomination_per_person_and_skill(ana, sql, employee, other_employee):
    nominate(ana, sql, employee)

    with pytest.raises(NominationError, match="already nominated for SQL"):
        nominate(ana, sql, other_employee)
    assert Nomination.objects.count() == 1


def test_a_declined_nomination_is_not_offered_again_for_the_rest_period(
    ana, sql, employee, other_employee
):
    nomination_decline(nomination=nominate(ana, sql, employee), by=ana)

    with pytest.raises(NominationError, match=r"was declined on .* offered again before"):
        nominate(ana, sql, other_employee)
    assert Nomination.objects.filter(state=Nomination.State.OPEN).count() == 0


def test_after_the_rest_period_they_may_be_nominated_again(ana, sql, employee):
    declined = nomination_decline(nomination=nominate(ana, sql, employee), by=ana)
    Nomination.objects.filter(pk=declined.pk).update(
        decided_at=timezone.now() - NOMINATION_REST_PERIOD - timedelta(minutes=1)
    )

    assert nominate(ana, sql, employee).is_open


def test_the_nominee_may_change_their_mind_at_any_time(ana, sql, employee):
    nomination_decline(nomination=nominate(ana, sql, employee), by=ana)

    assert nominate(ana, sql, ana).is_open


def test_the_nominee_agrees_and_it_is_audited(ana, sql, employee):
    nomination = nomination_agree(nomination=nominate(ana, sql, employee), by=ana)

    assert nomination.nominee_agreed_at is not None
    assert AuditEvent.objects.filter(action="trainers.nomination.agreed", actor=ana).count() == 1


def test_the_nominee_declines_without_giving_a_reason(ana, sql, employee):
    nomination = nomination_decline(nomination=nominate(ana, sql, employee), by=ana)

    nomination.refresh_from_db()
    assert (nomination.state, nomination.decided_by) == (Nomination.State.DECLINED, ana)
    assert nomination.decided_at is not None
    event = AuditEvent.objects.get(action="trainers.nomination.declined")
    assert event.data["by_nominee"] is True


def test_ld_staff_decline_only_with_a_reason(ana, sql, employee, ld_staff):
    nomination = nominate(ana, sql, employee)

    with pytest.raises(NominationError, match="Give a reason"):
        nomination_decline(nomination=nomination, by=ld_staff, reason=" ")
    nomination.refresh_from_db()
    assert nomination.is_open

    nomination_decline(nomination=nomination, by=ld_staff, reason="Not this quarter.")
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decline_reason) == ("declined", "Not this quarter.")


def test_whoever_nominated_may_withdraw(ana, sql, employee):
    nomination = nomination_withdraw(nomination=nominate(ana, sql, employee), by=employee)

    assert nomination.state == Nomination.State.WITHDRAWN
    assert AuditEvent.objects.filter(action="trainers.nomination.withdrawn").count() == 1


@pytest.mark.parametrize("close", ["accept", "decline", "withdraw"])
def test_a_closed_nomination_refuses_every_further_action(ana, sql, ld_staff, close):
    nomination = nominate(ana, sql, ana)
    {
        "accept": lambda: nomination_accept(nomination=nomination, by=ld_staff),
        "decline": lambda: nomination_decline(nomination=nomination, by=ana),
        "withdraw": lambda: nomination_withdraw(nomination=nomination, by=ana),
    }[close]()
    events = AuditEvent.objects.count()

    for action in (
        lambda: nomination_agree(nomination=nomination, by=ana),
        lambda: nomination_accept(nomination=nomination, by=ld_staff),
        lambda: nomination_decline(nomination=nomination, by=ld_staff, reason="No."),
        lambda: nomination_withdraw(nomination=nomination, by=ana),
    ):
        with pytest.raises(NominationClosed, match="already"):
            action()
    assert AuditEvent.objects.count() == events


def test_ld_accept_only_once_the_nominee_agreed(ana, sql, employee, ld_staff):
    nomination = nominate(ana, sql, employee)

    with pytest.raises(NominationClosed, match="hasn't agreed"):
        nomination_accept(nomination=nomination, by=ld_staff)
    assert not TrainerProfile.objects.filter(user=ana).exists()


def test_accepting_makes_the_nominee_a_candidate_with_an_audited_transition(
    ana, sql, employee, ld_staff
):
    nomination = nomination_agree(nomination=nominate(ana, sql, employee), by=ana)

    nomination = nomination_accept(nomination=nomination, by=ld_staff)

    profile = TrainerProfile.objects.get(user=ana)
    assert (profile.status, profile.nominated_by) == (TrainerProfile.Status.CANDIDATE, employee)
    assert (nomination.state, nomination.decided_by) == (Nomination.State.ACCEPTED, ld_staff)
    changed = AuditEvent.objects.get(action="trainers.profile.status_changed")
    assert changed.actor == ld_staff
    assert (changed.data["from"], changed.data["to"]) == ("nominated", "candidate")
    accepted = AuditEvent.objects.get(action="trainers.nomination.accepted")
    assert accepted.data == {"nominee": ana.pk, "skill": "sql", "status": "candidate"}


def test_accepting_someone_further_along_keeps_their_status(trainer, ld_staff):
    sql = SkillFactory(name="SQL")
    nomination = nominate(trainer, sql, trainer)

    nomination_accept(nomination=nomination, by=ld_staff)

    assert trainer.trainer_profile.status == TrainerProfile.Status.CERTIFIED
    assert not AuditEvent.objects.filter(action="trainers.profile.status_changed").exists()


def test_a_profile_nominated_in_the_admin_moves_to_candidate(ana, sql, ld_staff):
    TrainerProfileFactory(user=ana, status=TrainerProfile.Status.NOMINATED)

    nomination_accept(nomination=nominate(ana, sql, ana), by=ld_staff)

    assert TrainerProfile.objects.get(user=ana).status == TrainerProfile.Status.CANDIDATE


def test_a_certification_in_another_skill_does_not_stop_a_nomination(ana, sql, employee):
    CertificationFactory(trainer__user=ana)

    assert nominate(ana, sql, employee).is_open


# --- Who is told ---------------------------------------------------------------------------
def messages_to(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person).order_by("pk"))


def test_the_nominee_is_told_who_nominated_them_and_why(ana, sql, employee):
    nominate(ana, sql, employee)

    [message] = messages_to(ana)
    assert message.kind == "trainers.nomination.received"
    assert message.subject == "Eli Moreno nominated you to teach SQL"
    assert REASON in message.body
    assert "/trainers/nominations/" in message.body


def test_nobody_is_told_of_their_own_nomination(ana, sql):
    nominate(ana, sql, ana)

    assert messages_to(ana) == []


def test_acceptance_tells_the_nominee_and_whoever_nominated(ana, sql, employee, ld_staff):
    nomination = nomination_agree(nomination=nominate(ana, sql, employee), by=ana)

    nomination_accept(nomination=nomination, by=ld_staff)

    assert messages_to(ana)[-1].subject == "You're a candidate trainer for SQL"
    [outcome] = messages_to(employee)
    assert outcome.subject == "Your nomination of Ana Teach to teach SQL: accepted"


def test_an_ld_decline_is_told_politely_with_the_reason(ana, sql, employee, ld_staff):
    nomination = nominate(ana, sql, employee)

    nomination_decline(nomination=nomination, by=ld_staff, reason="Two trainers cover SQL.")

    declined = messages_to(ana)[-1]
    assert declined.kind == "trainers.nomination.declined"
    assert "Thank you for being willing to teach SQL" in declined.body
    assert "Two trainers cover SQL." in declined.body
    assert "Two trainers cover SQL." in messages_to(employee)[0].body


def test_the_nominee_declining_tells_the_nominator_without_their_reason(ana, sql, employee):
    nomination_decline(nomination=nominate(ana, sql, employee), by=ana, reason="Private reasons")

    [outcome] = messages_to(employee)
    assert "Ana Teach decided not to teach SQL for now" in outcome.body
    assert "Private reasons" not in outcome.body
    assert [m.kind for m in messages_to(ana)] == ["trainers.nomination.received"]


def test_a_refused_nomination_tells_nobody(ana, sql, employee):
    ana.is_active = False
    ana.save()

    with pytest.raises(NominationError):
        nominate(ana, sql, employee)
    assert not Notification.objects.exists()
