"""Which teams a lead leads, said once (``teams_led_by``) and used by every page for leads.

The product's rule: a team's lead answers for every team below it. So the lead of a parent
team sees and acts on a sub-sub-team's member on each page for leads (roster, matrix,
assessing from the matrix, booking onto a session, a person's levels, home), and each of
those pages refuses the same people: someone outside the teams they lead, and anyone who
leads no team. A page that read "my teams" its own way would fail here.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from peertrain.accounts.access import (
    NOT_A_TEAM_LEAD,
    NOT_IN_YOUR_TEAMS,
    member_of_teams,
    teams_led_or_refuse,
)
from peertrain.accounts.selectors import teams_led_by
from programmes.models import Priority
from programmes.services import target_set

from ..factories import SkillFactory, TeamFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub_sub_member(team, ld_staff):
    """Someone two teams below the lead's, in a team with a target (so the matrix lists them)."""
    support = TeamFactory(name="Support", parent=team)
    tier_two = TeamFactory(name="Tier 2", parent=support)
    target_set(
        team=tier_two, skill=SkillFactory(), target_level=2, priority=Priority.LOW, by=ld_staff
    )
    return UserFactory(display_name="Tia Two", team=tier_two, share_skill_levels=False)


@pytest.fixture
def session(db):
    return TrainingSessionFactory(title="Pairing on SQL")


def lead_pages(person, session) -> dict[str, str]:
    """Every page for leads, opened on ``person`` (or their team) where the page takes one."""
    targeted = person.team.skill_targets.first()
    return {
        "roster": "/team/",
        "matrix": f"/skills/matrix/?team={person.team_id}",
        "assess": f"/skills/matrix/assess/?member={person.pk}&skill={targeted.skill_id}",
        "booking": f"/sessions/{session.pk}/book-member/",
        "levels": f"/skills/people/{person.pk}/",
        "home": "/",
    }


def test_teams_led_by_are_the_teams_led_and_every_team_below(lead, team, sub_sub_member):
    other = TeamFactory(name="Sales")
    TeamFactory(name="Sales East", parent=other)

    assert [t.name for t in teams_led_by(lead=lead)] == ["Customer Success", "Support", "Tier 2"]
    assert teams_led_by(lead=sub_sub_member) == []
    assert teams_led_by(lead=AnonymousUser()) == []


def test_leading_a_sub_team_only_gives_that_sub_team_and_below(team, sub_sub_member):
    support = sub_sub_member.team.parent
    support_lead = UserFactory(team=support)
    support.lead = support_lead
    support.save()

    assert [t.name for t in teams_led_by(lead=support_lead)] == ["Support", "Tier 2"]


@pytest.mark.parametrize("page", ["roster", "matrix", "assess", "booking", "levels", "home"])
def test_a_parent_teams_lead_reaches_a_sub_sub_team_member_on_every_lead_page(
    client, lead, sub_sub_member, session, page
):
    client.force_login(lead)

    response = client.get(lead_pages(sub_sub_member, session)[page])

    assert response.status_code == 200
    html = response.content.decode()
    assert ("Tier 2" if page == "home" else "Tia Two") in html


@pytest.mark.parametrize("page", ["matrix", "assess", "levels"])
def test_every_lead_page_refuses_a_team_the_lead_does_not_lead(
    client, lead, team, ld_staff, session, page
):
    outsider = UserFactory(team=TeamFactory(name="Sales"), share_skill_levels=False)
    target_set(
        team=outsider.team,
        skill=SkillFactory(),
        target_level=2,
        priority=Priority.LOW,
        by=ld_staff,
    )
    client.force_login(lead)

    assert client.get(lead_pages(outsider, session)[page]).status_code == 403


def test_booking_a_member_outside_the_leads_teams_is_refused_like_assessing_one(
    client, lead, other_employee, session
):
    client.force_login(lead)

    booking = client.post(f"/sessions/{session.pk}/book-member/", {"member": other_employee.pk})
    skill = SkillFactory()
    assess = client.post(
        "/skills/matrix/assess/", {"member": other_employee.pk, "skill": skill.pk, "level": 2}
    )

    assert booking.status_code == assess.status_code == 403
    assert "only choose people in the teams you lead" in booking.content.decode()
    assert "only choose people in the teams you lead" in assess.content.decode()


@pytest.mark.parametrize("who", ["employee", "trainer", "ld_staff"])
@pytest.mark.parametrize("page", ["roster", "booking"])
def test_pages_only_for_leads_refuse_everyone_else_with_one_answer(
    client, request, who, page, session
):
    client.force_login(request.getfixturevalue(who))

    response = client.get(
        {"roster": "/team/", "booking": f"/sessions/{session.pk}/book-member/"}[page]
    )

    assert response.status_code == 403
    assert "This page is for team leads." in response.content.decode()


def test_the_access_helpers_refuse_with_their_reasons(lead, employee, other_employee):
    teams = teams_led_or_refuse(user=lead)

    assert member_of_teams(teams=teams, member_id=str(employee.pk)) == employee
    with pytest.raises(PermissionDenied, match=NOT_IN_YOUR_TEAMS):
        member_of_teams(teams=teams, member_id=other_employee.pk)
    with pytest.raises(PermissionDenied, match=NOT_A_TEAM_LEAD):
        teams_led_or_refuse(user=employee)


@pytest.mark.parametrize("member_id", [None, "", "abc", "999999", 10**30])
def test_an_unknown_or_malformed_member_is_not_found(lead, member_id):
    with pytest.raises(Http404):
        member_of_teams(teams=teams_led_by(lead=lead), member_id=member_id)


def test_a_deactivated_member_is_not_found(lead, employee):
    employee.is_active = False
    employee.save()

    with pytest.raises(Http404):
        member_of_teams(teams=teams_led_by(lead=lead), member_id=employee.pk)
