"""Recording a suggestion that a colleague becomes a trainer (the workflow comes later)."""

import pytest

from peertrain.audit.models import AuditEvent
from trainers.errors import NominationError
from trainers.models import TrainerProfile
from trainers.services import trainer_nominate

from ..factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

NOMINATE = "/trainers/nominate/"


@pytest.fixture
def sql(db):
    return SkillFactory(name="SQL")


@pytest.fixture
def ana(team):
    return UserFactory(team=team, display_name="Ana Teach", suggest_me_as_teacher=True)


# --- The service -----------------------------------------------------------------------------
def test_nomination_creates_a_nominated_profile_and_an_audit_row(ana, sql, ld_staff):
    profile, created = trainer_nominate(user=ana, skill=sql, nominated_by=ld_staff)

    assert created
    assert (profile.user, profile.status, profile.nominated_by) == (
        ana,
        TrainerProfile.Status.NOMINATED,
        ld_staff,
    )
    event = AuditEvent.objects.get(action="trainers.nomination.recorded")
    assert event.actor == ld_staff
    assert event.object_id == str(profile.pk)
    assert event.data == {"user": ana.pk, "skill": "sql", "created": True, "status": "nominated"}


def test_someone_already_on_the_programme_keeps_their_status(trainer, sql, ld_staff):
    profile, created = trainer_nominate(user=trainer, skill=sql, nominated_by=ld_staff)

    assert not created
    profile.refresh_from_db()
    assert profile.status == TrainerProfile.Status.CERTIFIED
    assert profile.nominated_by is None
    event = AuditEvent.objects.get(action="trainers.nomination.recorded")
    assert event.data["created"] is False


def test_someone_who_left_cannot_be_nominated(ana, sql, ld_staff):
    ana.is_active = False
    ana.save()

    with pytest.raises(NominationError, match="no longer works here"):
        trainer_nominate(user=ana, skill=sql, nominated_by=ld_staff)
    assert not TrainerProfile.objects.filter(user=ana).exists()


# --- The view --------------------------------------------------------------------------------
def test_ld_staff_nominate_from_the_gap_list_and_return_to_it(client, ld_staff, ana, sql):
    client.force_login(ld_staff)

    response = client.post(
        NOMINATE, {"user": ana.pk, "skill": sql.pk, "next": "/skills/gaps/?priority=3"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/skills/gaps/?priority=3"
    assert TrainerProfile.objects.get(user=ana).status == TrainerProfile.Status.NOMINATED
    page = client.get("/skills/gaps/").content.decode()
    assert "Nomination recorded: Ana Teach for SQL. L&amp;D will follow up with Ana Teach." in page


def test_htmx_nomination_swaps_the_button(client, ld_staff, ana, sql):
    client.force_login(ld_staff)

    response = client.post(
        NOMINATE, {"user": ana.pk, "skill": sql.pk}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert ">Nominated<" in page


def test_nominating_an_existing_trainer_says_so_and_changes_nothing(client, ld_staff, trainer, sql):
    client.force_login(ld_staff)

    response = client.post(NOMINATE, {"user": trainer.pk, "skill": sql.pk}, follow=True)

    assert "already on the trainer programme (certified)" in response.content.decode()
    assert trainer.trainer_profile.status == TrainerProfile.Status.CERTIFIED


def test_unsafe_next_is_ignored(client, ld_staff, ana, sql):
    client.force_login(ld_staff)

    response = client.post(
        NOMINATE, {"user": ana.pk, "skill": sql.pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/skills/gaps/"


@pytest.mark.parametrize("bad", [{"user": "abc"}, {"skill": ""}, {"user": ""}, {"skill": "-1"}])
def test_bad_input_is_answered_400_and_saves_nothing(client, ld_staff, ana, sql, bad):
    client.force_login(ld_staff)

    response = client.post(NOMINATE, {"user": ana.pk, "skill": sql.pk, **bad})

    assert response.status_code == 400
    assert "Choose a person and a skill" in response.content.decode()
    assert not TrainerProfile.objects.exists()


def test_unknown_person_or_skill_is_not_found(client, ld_staff, ana, sql):
    client.force_login(ld_staff)

    assert client.post(NOMINATE, {"user": 999999, "skill": sql.pk}).status_code == 404
    assert client.post(NOMINATE, {"user": ana.pk, "skill": 999999}).status_code == 404
    assert not TrainerProfile.objects.exists()


def test_person_who_left_is_not_found(client, ld_staff, ana, sql):
    ana.is_active = False
    ana.save()
    client.force_login(ld_staff)

    assert client.post(NOMINATE, {"user": ana.pk, "skill": sql.pk}).status_code == 404


@pytest.mark.parametrize("person", ["employee", "lead", "trainer"])
def test_only_ld_staff_may_nominate_here(client, request, person, ana, sql):
    client.force_login(request.getfixturevalue(person))

    response = client.post(NOMINATE, {"user": ana.pk, "skill": sql.pk})

    assert response.status_code == 403
    assert not TrainerProfile.objects.filter(user=ana).exists()


def test_anonymous_visitor_is_asked_to_sign_in(client, ana, sql):
    response = client.post(NOMINATE, {"user": ana.pk, "skill": sql.pk})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not TrainerProfile.objects.exists()


def test_nominate_refuses_get(client, ld_staff):
    client.force_login(ld_staff)

    assert client.get(NOMINATE).status_code == 405
