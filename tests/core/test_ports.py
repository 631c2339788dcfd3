"""Query ports: a lower app asks, a higher app provides, one provider each."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from peertrain.core.ports import ask, provide, provider_of, withdraw
from programmes.ports import SESSIONS_TEACHING, sessions_teaching
from sessions.selectors import teaching_invitations_of, upcoming_sessions_by_skill
from trainers.ports import INVITATIONS_TO_TEACH, invitations_to_teach

from ..factories import SkillFactory, TrainingSessionFactory


@pytest.fixture
def without_sessions():
    """As if the sessions app weren't installed: nobody provides the ports."""
    withdraw(SESSIONS_TEACHING)
    withdraw(INVITATIONS_TO_TEACH)
    yield
    provide(SESSIONS_TEACHING, upcoming_sessions_by_skill)
    provide(INVITATIONS_TO_TEACH, teaching_invitations_of)


def test_the_sessions_app_provides_both_ports_at_start_up():
    assert provider_of("programmes.sessions_teaching") is upcoming_sessions_by_skill
    assert provider_of("trainers.invitations_to_teach") is teaching_invitations_of


@pytest.mark.django_db
def test_asking_gets_the_providers_answer_for_every_skill_asked():
    taught, untaught = SkillFactory(), SkillFactory()
    session = TrainingSessionFactory(skill=taught)

    assert sessions_teaching([taught.pk, untaught.pk]) == {taught.pk: [session], untaught.pk: []}
    assert sessions_teaching([]) == {}


@pytest.mark.django_db
def test_without_a_provider_the_ports_default_answers(without_sessions, employee):
    skill = SkillFactory()
    TrainingSessionFactory(skill=skill)

    assert sessions_teaching([skill.pk]) == {skill.pk: []}
    assert invitations_to_teach(user=employee) == []


def test_a_second_provider_is_refused_and_the_same_one_again_is_not():
    provide("programmes.sessions_teaching", upcoming_sessions_by_skill)  # ready() run twice

    with pytest.raises(ImproperlyConfigured, match="provided already"):
        provide("programmes.sessions_teaching", lambda skill_ids: {})


def test_an_undeclared_port_is_refused():
    with pytest.raises(ImproperlyConfigured, match="No app declares the port"):
        provide("programmes.sessions_taught", upcoming_sessions_by_skill)
    with pytest.raises(ImproperlyConfigured):
        ask("trainers.invitations", None)
