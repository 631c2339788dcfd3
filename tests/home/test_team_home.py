"""A team lead's part of the home: the team's biggest gaps with who to book on which
session, and its single points of knowledge, stated by the rule."""

import re

import pytest

from programmes.models import Priority
from programmes.selectors import SINGLE_POINT_RULE
from programmes.services import target_set
from sessions.services.booking import booking_create

from ..factories import SkillFactory, TeamFactory, TrainingSessionFactory, UserFactory
from .test_learner_home import home, rate, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm(lead, ld_staff):
    """Customer Success (the lead, Eli, Bo) targets the CRM at 3; only the lead is there."""
    skill = SkillFactory(name="Using the CRM")
    target_set(team=lead.team, skill=skill, target_level=3, priority=Priority.HIGH, by=ld_staff)
    rate(lead, skill, 3)
    return skill


def test_a_gap_names_who_is_below_target_and_offers_booking_them_on_the_next_session(
    client, lead, employee, crm
):
    bo = UserFactory(team=lead.team, display_name="Bo Lind")
    rate(bo, crm, 1)
    session = TrainingSessionFactory(skill=crm, title="CRM in an hour")

    gaps = section(home(client, lead), "team-gaps")

    assert "Using the CRM" in gaps
    assert "2 of 3 below the target of 3" in gaps
    to_book = re.search(r'data-testid="to-book">(.*?)</span>', gaps, re.S).group(1)
    assert "Bo Lind" in to_book
    assert employee.display_name in to_book
    assert lead.display_name not in to_book  # at target
    assert f'href="/sessions/{session.pk}/book-member/"' in gaps


def test_members_already_booked_for_the_skill_are_told_apart(client, lead, employee, crm):
    session = TrainingSessionFactory(skill=crm, title="CRM in an hour")
    booking_create(session=session, user=employee, booked_by=lead)

    gaps = section(home(client, lead), "team-gaps")

    already = re.search(r'data-testid="already-booked">(.*?)</span>', gaps, re.S).group(1)
    assert employee.display_name in already
    assert 'data-testid="to-book"' not in gaps


def test_a_gap_without_a_session_says_so_and_where_to_look(client, lead, employee, crm):
    gaps = section(home(client, lead), "team-gaps")

    assert "No session scheduled for this skill yet" in gaps
    assert 'href="/skills/matrix/"' in gaps


def test_single_points_of_knowledge_follow_the_rule_and_state_it(
    client, lead, employee, crm, ld_staff
):
    solo = TeamFactory(name="Solo", parent=lead.team)  # a sub-team: the lead sees it too
    alone = SkillFactory(name="Only in a team of one")
    target_set(team=solo, skill=alone, target_level=2, priority=Priority.HIGH, by=ld_staff)
    rate(UserFactory(team=solo), alone, 4)

    points = section(home(client, lead), "single-points")

    assert "Using the CRM" in points  # one of two at target
    assert "Only in a team of one" not in points
    assert SINGLE_POINT_RULE.replace("'", "&#x27;") in points


def test_a_team_without_targets_is_told_what_to_do(client, lead):
    gaps = section(home(client, lead), "team-gaps")

    assert "Your team has no skill targets yet" in gaps
    single = section(home(client, lead), "single-points")
    assert "None right now" in single


def test_a_team_meeting_every_target_is_told_so(client, lead, employee, crm):
    rate(employee, crm, 3)

    gaps = section(home(client, lead), "team-gaps")

    assert "Everyone meets every target" in gaps


def test_people_who_lead_no_team_see_no_team_part(client, employee, crm):
    page = home(client, employee)

    assert 'data-testid="lead-panel"' not in page
    assert "book-member" not in page
