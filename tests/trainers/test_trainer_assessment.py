"""Trainers record verified levels in the skills they are certified in."""

import re

import pytest

from peertrain.audit.models import AuditEvent
from programmes.models import AssessmentSource, CurrentSkillLevel, SkillAssessment
from programmes.services import assessment_record

from ..factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

ASSESS = "/trainers/assess/"


@pytest.fixture
def taught(trainer):
    """The skill the trainer is certified in."""
    return trainer.trainer_profile.certifications.get().skill


def test_trainer_sees_only_their_certified_skills(client, trainer, taught):
    other_skill = SkillFactory(name="Negotiation")
    client.force_login(trainer)

    response = client.get(ASSESS)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{taught.pk}"' in page
    assert "Negotiation" not in page
    assert other_skill.pk


def test_trainer_records_a_verified_level(client, trainer, taught, employee):
    assessment_record(
        user=employee, skill=taught, level=1, source=AssessmentSource.SELF, assessed_by=employee
    )
    client.force_login(trainer)

    response = client.post(
        ASSESS,
        {"email": "EMPLOYEE@example.com", "skill": taught.pk, "level": 3, "note": "Demo day"},
    )

    assert response.status_code == 302
    assert response["Location"] == ASSESS
    current = CurrentSkillLevel.objects.get(user=employee, skill=taught)
    assert (current.level, current.source, current.verified_level) == (3, "trainer", 3)
    assert current.source_label == "verified by trainer"
    assessment = SkillAssessment.objects.get(source=AssessmentSource.TRAINER)
    assert (assessment.assessed_by, assessment.note) == (trainer, "Demo day")
    assert AuditEvent.objects.filter(action="programmes.assessment.recorded").count() == 1
    assert "Recorded Eli Moreno at level 3" in client.get(ASSESS).content.decode()


def test_trainer_is_refused_a_skill_they_are_not_certified_in(
    client, trainer, other_trainer, employee
):
    not_mine = other_trainer.trainer_profile.certifications.get().skill
    client.force_login(trainer)

    response = client.post(ASSESS, {"email": employee.email, "skill": not_mine.pk, "level": 3})

    assert response.status_code == 403
    assert "only assess skills you are certified to teach" in response.content.decode()
    assert not SkillAssessment.objects.exists()


def test_paused_trainer_is_refused(client, trainer, taught, employee):
    profile = trainer.trainer_profile
    profile.status = profile.Status.PAUSED
    profile.save()
    client.force_login(trainer)

    assert client.get(ASSESS).status_code == 403
    response = client.post(ASSESS, {"email": employee.email, "skill": taught.pk, "level": 3})
    assert response.status_code == 403
    assert not SkillAssessment.objects.exists()


@pytest.mark.parametrize(
    ("bad", "status", "message"),
    [
        ({"level": 7}, 400, "Choose a level from 0 (none) to 4"),
        ({"level": "abc"}, 400, "Choose a level from 0 (none) to 4"),
        ({"email": "not-an-email"}, 400, "Enter a valid email address"),
        ({"skill": "abc"}, 400, "Enter a whole number"),
        ({"email": "nobody@example.com"}, 404, "No level was recorded for nobody@example.com"),
        ({"skill": 999999}, 404, "No such skill"),
    ],
)
def test_bad_input_is_answered_4xx_and_saves_nothing(
    client, trainer, taught, employee, bad, status, message
):
    client.force_login(trainer)

    response = client.post(ASSESS, {"email": employee.email, "skill": taught.pk, "level": 3, **bad})

    assert response.status_code == status
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not SkillAssessment.objects.exists()


def errors_of(response) -> str:
    """The "Nothing was saved" box: the part of the page that answers the request."""
    return re.search(r'data-testid="form-errors">(.*?)</div>', response.content.decode(), re.S)[1]


def test_unknown_and_deactivated_addresses_get_the_same_answer(client, trainer, taught):
    UserFactory(email="left@example.com", is_active=False)
    client.force_login(trainer)

    answers = [
        client.post(ASSESS, {"email": email, "skill": taught.pk, "level": 3})
        for email in ("left@example.com", "nobody@example.com")
    ]

    assert [answer.status_code for answer in answers] == [404, 404]
    left, nobody = (errors_of(answer) for answer in answers)
    assert left.replace("left@", "nobody@") == nobody
    assert "No level was recorded for nobody@example.com" in nobody
    assert not SkillAssessment.objects.exists()


def test_a_skill_refusal_does_not_depend_on_whether_the_address_has_an_account(
    client, trainer, other_trainer, employee
):
    not_mine = other_trainer.trainer_profile.certifications.get().skill
    client.force_login(trainer)

    answers = [
        client.post(ASSESS, {"email": email, "skill": not_mine.pk, "level": 3})
        for email in (employee.email, "nobody@example.com")
    ]

    assert [answer.status_code for answer in answers] == [403, 403]
    mine, nobody = (errors_of(answer) for answer in answers)
    assert mine == nobody
    assert "only assess skills you are certified to teach" in mine
    assert not SkillAssessment.objects.exists()


def test_trainer_cannot_verify_themselves(client, trainer, taught):
    client.force_login(trainer)

    response = client.post(ASSESS, {"email": trainer.email, "skill": taught.pk, "level": 4})

    assert response.status_code == 400
    assert "Only you can self-assess" in response.content.decode()
    assert not SkillAssessment.objects.exists()


@pytest.mark.parametrize("person", ["employee", "lead", "ld_staff"])
def test_people_who_are_not_trainers_are_refused(client, request, person, employee):
    skill = SkillFactory()
    client.force_login(request.getfixturevalue(person))

    assert client.get(ASSESS).status_code == 403
    response = client.post(ASSESS, {"email": employee.email, "skill": skill.pk, "level": 3})
    assert response.status_code == 403
    assert not SkillAssessment.objects.exists()


def test_anonymous_visitor_is_asked_to_sign_in(client):
    response = client.get(ASSESS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_assess_refuses_other_methods(client, trainer):
    client.force_login(trainer)

    assert client.put(ASSESS).status_code == 405
