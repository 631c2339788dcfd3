"""The knowledge-gap definition against gaps worked out by hand."""

import pytest

from peertrain.accounts.models import User
from peertrain.accounts.selectors import teams_led_by
from programmes.models import AssessmentSource, Priority
from programmes.selectors import (
    colleagues_who_know,
    gap_count,
    gap_ranking,
    my_gaps,
    single_point_of_knowledge,
    skill_gaps,
)
from programmes.services import assessment_record, target_set

from ..factories import SkillFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def rate(user: User, skill, level: int, source=AssessmentSource.SELF, by: User | None = None):
    return assessment_record(
        user=user, skill=skill, level=level, source=source, assessed_by=by or user
    )


@pytest.fixture
def org(ld_staff):
    """Support (3 active members + 1 inactive) targets SQL ≥ 3 (high) and Python ≥ 2 (low);
    its sub-team Tier 2 targets SQL ≥ 2; Empty has a target and nobody in it."""
    sql, python, excel = SkillFactory(name="SQL"), SkillFactory(name="Python"), SkillFactory()
    support = TeamFactory(name="Support")
    tier2 = TeamFactory(name="Tier 2", parent=support)
    empty = TeamFactory(name="Empty")
    ana = UserFactory(team=support, display_name="Ana")
    ben = UserFactory(team=support, display_name="Ben")
    cai = UserFactory(team=support, display_name="Cai")  # never assessed
    UserFactory(team=support, is_active=False)  # left the company: not counted
    dee = UserFactory(team=tier2, display_name="Dee")
    rate(ana, sql, 3)
    rate(ana, python, 4)
    rate(ben, sql, 4)
    rate(ben, sql, 1)  # the latest assessment is the current level
    rate(ben, excel, 4)  # a level in another skill does not count for SQL
    rate(dee, sql, 4)
    for team, skill, level, priority in [
        (support, sql, 3, Priority.HIGH),
        (support, python, 2, Priority.LOW),
        (tier2, sql, 2, Priority.LOW),
        (empty, sql, 2, Priority.MEDIUM),
    ]:
        target_set(team=team, skill=skill, target_level=level, priority=priority, by=ld_staff)
    return {
        "sql": sql,
        "python": python,
        "support": support,
        "tier2": tier2,
        "empty": empty,
        "ana": ana,
        "ben": ben,
        "cai": cai,
        "dee": dee,
    }


def gap_of(team, skill):
    return skill_gaps().get(team=team, skill=skill)


def test_gap_sums_shortfalls_and_counts_members_below(org):
    gap = gap_of(org["support"], org["sql"])

    # Ana 3 (at target), Ben 1 (short 2), Cai unassessed = 0 (short 3)
    assert gap.member_count == 3
    assert gap.members_below == 2
    assert gap.shortfall == 5
    assert gap.share_below == pytest.approx(2 / 3)
    assert gap.members_at_target == 1
    assert gap.score == 15  # 5 times high (3)
    assert single_point_of_knowledge(gap)


def test_members_without_any_assessment_count_as_level_zero(org):
    gap = gap_of(org["support"], org["python"])

    # Ana 4; Ben and Cai have no Python level: 2 + 2
    assert (gap.shortfall, gap.members_below, gap.members_at_target) == (4, 2, 1)
    assert gap.score == 4


def test_sub_team_has_its_own_members_and_target(org):
    gap = gap_of(org["tier2"], org["sql"])

    assert (gap.member_count, gap.shortfall, gap.members_below) == (1, 0, 0)
    assert gap.share_below == 0
    # Only Dee knows it, but Dee is the whole team: nothing the team could spread.
    assert not single_point_of_knowledge(gap)


def test_team_without_members_has_no_shortfall(org):
    gap = gap_of(org["empty"], org["sql"])

    assert (gap.member_count, gap.shortfall, gap.share_below, gap.score) == (0, 0, 0.0, 0)


def test_ranking_orders_by_weighted_score_then_share_then_name(org, ld_staff):
    # A tie with Support/Python (score 4): Tie team, one member at 0, target 2 → shortfall 2,
    # priority medium → score 4, share 1.0 > Support/Python's 2/3, so it ranks first.
    tie = TeamFactory(name="Tie")
    UserFactory(team=tie)
    target_set(team=tie, skill=org["sql"], target_level=2, priority=Priority.MEDIUM, by=ld_staff)

    ranking = [(gap.team.name, gap.skill.name, gap.score) for gap in gap_ranking()]

    assert ranking == [
        ("Support", "SQL", 15),
        ("Tie", "SQL", 4),
        ("Support", "Python", 4),
        ("Empty", "SQL", 0),
        ("Tier 2", "SQL", 0),
    ]


def test_ranking_filters_by_team_category_and_priority(org):
    assert {g.skill.name for g in gap_ranking(teams=[org["support"]])} == {"SQL", "Python"}
    assert [g.team.name for g in gap_ranking(priority=Priority.LOW)] == ["Support", "Tier 2"]
    assert list(gap_ranking(skill_category="No such category")) == []


def test_my_gaps_lists_targets_i_am_below(org):
    gaps = my_gaps(user=org["ben"])

    assert [(g.skill.name, g.my_level, g.target_level) for g in gaps] == [
        ("SQL", 1, 3),
        ("Python", 0, 2),
    ]
    assert my_gaps(user=org["ana"]) == []


def test_colleagues_who_know_only_lists_people_who_opted_in(org):
    org["dee"].suggest_me_as_teacher = True
    org["dee"].save()

    found = colleagues_who_know(skills=[org["sql"], org["python"]], exclude=org["ben"])

    assert [c.user.display_name for c in found[org["sql"].pk]] == ["Dee"]
    assert found[org["python"].pk] == []  # Ana knows Python but did not opt in


def test_lead_sees_own_team_and_sub_teams(org, lead):
    org["support"].lead = lead
    org["support"].save()

    assert {t.name for t in teams_led_by(lead=lead)} == {
        "Customer Success",
        "Support",
        "Tier 2",
    }


def test_ld_staff_may_assess_someone_without_a_team(ld_staff):
    from programmes.access import member_for_lead

    loner = UserFactory(team=None)

    assert member_for_lead(lead=ld_staff, member_id=loner.pk) == loner


def test_a_met_target_is_left_out_only_when_asked(org):
    met = gap_of(org["tier2"], org["sql"])
    assert met.shortfall == 0

    unmet_only = list(skill_gaps(include_met=False))

    assert met not in unmet_only
    assert all(gap.shortfall > 0 for gap in unmet_only)
    assert {gap.pk for gap in unmet_only} == {gap.pk for gap in skill_gaps() if gap.shortfall > 0}
    assert gap_count(include_met=False) == len(unmet_only)


def test_nobody_at_target_is_a_gap_not_a_single_point_of_knowledge(org, ld_staff):
    team = TeamFactory(name="Newcomers")
    UserFactory.create_batch(3, team=team)
    target_set(team=team, skill=org["sql"], target_level=2, priority=1, by=ld_staff)

    gap = gap_of(team, org["sql"])

    assert (gap.members_at_target, gap.shortfall) == (0, 6)
    assert not single_point_of_knowledge(gap)
