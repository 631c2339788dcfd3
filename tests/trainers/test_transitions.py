"""The trainer status transition table, every pair of states: allowed or refused."""

import itertools

import pytest

from peertrain.audit.models import AuditEvent
from trainers.errors import IllegalTransition
from trainers.models import TrainerProfile
from trainers.services import trainer_profile_save
from trainers.transitions import LEGAL_TRANSITIONS, trainer_resume, trainer_status_change

from ..factories import TrainerProfileFactory

pytestmark = pytest.mark.django_db
Status = TrainerProfile.Status
STATES = [status.value for status in Status]
ALLOWED = {
    ("nominated", "candidate"),
    ("candidate", "in_training"),
    ("candidate", "paused"),
    ("in_training", "certified"),
    ("in_training", "paused"),
    ("certified", "paused"),
    ("paused", "candidate"),
    ("paused", "in_training"),
    ("paused", "certified"),
}


def test_the_table_says_what_this_test_says():
    declared = {(old, new) for old, targets in LEGAL_TRANSITIONS.items() for new in targets}

    assert declared == ALLOWED
    assert set(LEGAL_TRANSITIONS) == set(STATES)


@pytest.mark.parametrize(("old", "new"), list(itertools.product(STATES, STATES)))
def test_every_pair_of_states_is_allowed_or_refused(ld_staff, old, new):
    # Out of a pause, a trainer returns to where the pause began: make that ``new``.
    profile = TrainerProfileFactory(status=old, paused_from=new if old == "paused" else "")

    if (old, new) in ALLOWED:
        trainer_status_change(profile=profile, to=new, by=ld_staff)
        profile.refresh_from_db()
        assert profile.status == new
        event = AuditEvent.objects.get(action="trainers.profile.status_changed")
        assert (event.actor, event.data["from"], event.data["to"]) == (ld_staff, old, new)
    else:
        with pytest.raises(IllegalTransition, match=f"is {Status(old).label.lower()}, so can't"):
            trainer_status_change(profile=profile, to=new, by=ld_staff)
        profile.refresh_from_db()
        assert profile.status == old
        assert not AuditEvent.objects.exists()


def test_pausing_remembers_where_and_resuming_returns_there(ld_staff):
    profile = TrainerProfileFactory(status=Status.IN_TRAINING)

    trainer_status_change(profile=profile, to=Status.PAUSED, by=ld_staff)
    assert profile.paused_from == Status.IN_TRAINING

    trainer_resume(profile=profile, by=ld_staff)
    profile.refresh_from_db()
    assert (profile.status, profile.paused_from) == (Status.IN_TRAINING, "")


def test_resuming_somewhere_else_than_where_the_pause_began_is_refused(ld_staff):
    profile = TrainerProfileFactory(status=Status.PAUSED, paused_from=Status.CANDIDATE)

    with pytest.raises(IllegalTransition, match="resuming returns them there"):
        trainer_status_change(profile=profile, to=Status.CERTIFIED, by=ld_staff)


def test_the_admin_follows_the_same_table(ld_staff):
    profile = TrainerProfileFactory(status=Status.NOMINATED)
    profile.status = Status.CERTIFIED

    with pytest.raises(IllegalTransition):
        trainer_profile_save(profile=profile, by=ld_staff)
    profile.refresh_from_db()
    assert profile.status == Status.NOMINATED


def test_an_admin_status_change_is_audited_as_a_transition(ld_staff):
    profile = TrainerProfileFactory(status=Status.CERTIFIED)
    profile.status = Status.PAUSED

    trainer_profile_save(profile=profile, by=ld_staff)

    profile.refresh_from_db()
    assert (profile.status, profile.paused_from) == (Status.PAUSED, Status.CERTIFIED)
    event = AuditEvent.objects.get(action="trainers.profile.status_changed")
    assert (event.data["from"], event.data["to"]) == ("certified", "paused")
