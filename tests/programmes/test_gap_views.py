"""L&D's gap list and team targets pages."""

import re

import pytest

from peertrain.accounts.models import User
from peertrain.audit.models import AuditEvent
from programmes.models import AssessmentSource, Priority, SkillTarget
from programmes.services import assessment_record, target_set
from programmes.views import gaps as gap_views

from ..factories import SkillFactory, TeamFactory, TrainerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

GAPS = "/skills/gaps/"
TARGETS = "/skills/targets/"


def rate(user: User, skill, level: int):
    return assessment_record(
        user=user, skill=skill, level=level, source=AssessmentSource.SELF, assessed_by=user
    )


def rows_of(response) -> list[str]:
    """Each gap row as "team / skill", in page order."""
    page = response.content.decode()
    rows = re.findall(r'<tr data-testid="gap-row">(.*?)</tr>', page, re.S)
    result = []
    for row in rows:
        team = re.search(r'<th scope="row"[^>]*><a [^>]*>([^<]+)</a>', row).group(1)
        skill = re.search(r"<td data-label=\"Skill\">([^<]+?) <span", row).group(1)
        result.append(f"{team} / {skill}")
    return result


@pytest.fixture
def org(ld_staff, team, other_team, employee, other_employee):
    """Customer Success (Eli) targets SQL ≥ 3 (high); Sales (Olu) targets Excel ≥ 2 (low)
    and SQL ≥ 2 (medium). Ana in Sales knows SQL well and agreed to be suggested."""
    sql = SkillFactory(name="SQL", category="Data")
    excel = SkillFactory(name="Excel", category="Office")
    ana = UserFactory(team=other_team, display_name="Ana Teach", suggest_me_as_teacher=True)
    rate(ana, sql, 4)
    rate(other_employee, excel, 1)
    target_set(team=team, skill=sql, target_level=3, priority=Priority.HIGH, by=ld_staff)
    target_set(team=other_team, skill=excel, target_level=2, priority=Priority.LOW, by=ld_staff)
    target_set(team=other_team, skill=sql, target_level=2, priority=Priority.MEDIUM, by=ld_staff)
    return {"sql": sql, "excel": excel, "ana": ana}


# --- The gap list ---------------------------------------------------------------------------
def test_ld_staff_see_gaps_worst_first(client, ld_staff, org):
    client.force_login(ld_staff)

    response = client.get(GAPS)

    assert response.status_code == 200
    # Customer Success/SQL: Eli 0 → short 3, high → 9; Sales/SQL: Olu 0 (Ana 4) → 2 x 2 = 4;
    # Sales/Excel: Olu 1 (short 1), Ana 0 (short 2) → 3 x 1 = 3.
    assert rows_of(response) == [
        "Customer Success / SQL",
        "Sales / SQL",
        "Sales / Excel",
    ]


def test_each_row_shows_the_gap_figures_and_single_point_of_knowledge(client, ld_staff, org):
    client.force_login(ld_staff)

    page = client.get(GAPS).content.decode()

    first, second, _ = (
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r'<tr data-testid="gap-row">(.*?)</tr>', page, re.S)
    )
    assert "High" in first
    assert "3 levels" in first
    assert "100% 1 of 1" in first
    assert "Single point of knowledge" not in first  # Customer Success is Eli alone
    assert "Single point of knowledge" in second  # Sales/SQL: Ana is the only one of two


def test_colleagues_who_could_teach_are_listed_with_a_nominate_button(client, ld_staff, org):
    client.force_login(ld_staff)

    page = client.get(GAPS).content.decode()

    assert "Ana Teach" in page
    assert 'action="/trainers/nominate/"' in page
    assert f'name="user" value="{org["ana"].pk}"' in page


def test_colleagues_already_on_the_trainer_programme_are_not_suggested(client, ld_staff, org):
    TrainerProfileFactory(user=org["ana"])
    client.force_login(ld_staff)

    assert "Ana Teach" not in client.get(GAPS).content.decode()


def test_colleagues_who_did_not_opt_in_are_not_suggested(client, ld_staff, org, other_team):
    shy = UserFactory(team=other_team, display_name="Shy Expert")
    rate(shy, org["sql"], 4)
    client.force_login(ld_staff)

    assert "Shy Expert" not in client.get(GAPS).content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "Office"}, ["Sales / Excel"]),
        ({"priority": Priority.HIGH}, ["Customer Success / SQL"]),
        ({"category": "Data", "priority": Priority.MEDIUM}, ["Sales / SQL"]),
    ],
)
def test_gaps_can_be_filtered(client, ld_staff, org, params, expected):
    client.force_login(ld_staff)

    assert rows_of(client.get(GAPS, params)) == expected


def test_gaps_can_be_filtered_by_team(client, ld_staff, org, other_team):
    client.force_login(ld_staff)

    assert rows_of(client.get(GAPS, {"team": other_team.pk})) == ["Sales / SQL", "Sales / Excel"]


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"team": "abc"}, "Ignored the team filter"),
        ({"team": "999999"}, "Ignored the team filter"),
        ({"category": "No such"}, "Ignored the skill category filter"),
        ({"priority": "9"}, "Ignored the priority filter"),
        ({"priority": "high"}, "Ignored the priority filter"),
        ({"page": "abc"}, None),
        ({"page": "999"}, None),
    ],
)
def test_bad_filter_values_are_ignored_with_a_message(client, ld_staff, org, params, problem):
    client.force_login(ld_staff)

    response = client.get(GAPS, params)

    assert response.status_code == 200
    assert len(rows_of(response)) == 3
    if problem:
        assert problem in response.content.decode()


def test_gaps_are_paginated_and_keep_their_filters(client, ld_staff, org, monkeypatch):
    monkeypatch.setattr(gap_views, "GAPS_PER_PAGE", 1)
    client.force_login(ld_staff)

    first = client.get(GAPS, {"category": "Data"})
    second = client.get(GAPS, {"category": "Data", "page": 2})

    assert rows_of(first) == ["Customer Success / SQL"]
    assert rows_of(second) == ["Sales / SQL"]
    assert "?category=Data&amp;page=2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def test_targets_already_met_are_hidden_until_asked_for(client, ld_staff, org, employee):
    # Eli reaches the Customer Success target: no gap left there.
    rate(employee, org["sql"], 3)
    client.force_login(ld_staff)

    default = client.get(GAPS)
    with_met = client.get(GAPS, {"show_met": "on"})

    assert rows_of(default) == ["Sales / SQL", "Sales / Excel"]
    assert "2 gaps; targets already met are hidden." in default.content.decode()
    assert rows_of(with_met) == ["Sales / SQL", "Sales / Excel", "Customer Success / SQL"]
    assert "3 targets, met ones included." in with_met.content.decode()
    assert 'name="show_met" value="on" id="id_show_met" checked' in with_met.content.decode()


def test_the_export_follows_the_met_filter(client, ld_staff, org, employee):
    rate(employee, org["sql"], 3)
    client.force_login(ld_staff)

    default = client.get("/skills/gaps/export.csv").content.decode()
    with_met = client.get("/skills/gaps/export.csv", {"show_met": "on"}).content.decode()

    assert "Customer Success" not in default
    assert "Customer Success" in with_met


def test_each_skill_with_no_session_coming_says_how_many_asked_to_learn_it(
    client, ld_staff, team, employee, other_employee
):
    from sessions.services.demand import interest_register  # the app that keeps requests

    from ..factories import TrainingSessionFactory

    wanted, taught = SkillFactory(name="Wanted"), SkillFactory(name="Taught")
    for skill in (wanted, taught):
        target_set(team=team, skill=skill, target_level=3, priority=2, by=ld_staff)
        interest_register(user=employee, skill=skill)
    interest_register(user=other_employee, skill=wanted)
    interest_register(user=UserFactory(is_active=False), skill=wanted)  # left: not counted
    TrainingSessionFactory(skill=taught)
    client.force_login(ld_staff)

    page = client.get(GAPS).content.decode()

    demand = re.findall(r'data-testid="gap-demand">(.*?)</span>', page, re.S)
    assert demand == ["No session coming · <strong>2</strong> asked to learn it"]


def test_the_page_states_the_single_point_of_knowledge_rule(client, ld_staff, org):
    client.force_login(ld_staff)

    page = client.get(GAPS).content.decode()

    assert 'data-testid="spok-rule"' in page
    assert "In a team of two or more, only one person is at the target level" in page


def test_no_targets_means_an_empty_state(client, ld_staff):
    client.force_login(ld_staff)

    response = client.get(GAPS)

    assert response.status_code == 200
    assert 'data-testid="gaps-empty"' in response.content.decode()


@pytest.mark.parametrize("person", ["employee", "lead", "trainer"])
def test_gap_list_is_for_ld_staff_only(client, request, person):
    client.force_login(request.getfixturevalue(person))

    response = client.get(GAPS)

    assert response.status_code == 403
    assert "for L&amp;D staff" in response.content.decode()


def test_gap_list_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(GAPS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_gap_list_refuses_post(client, ld_staff):
    client.force_login(ld_staff)

    assert client.post(GAPS).status_code == 405


def build_org(ld_staff, *, teams: int, skills: int, people_per_team: int) -> None:
    skill_list = SkillFactory.create_batch(skills)
    for team_index in range(teams):
        team = TeamFactory()
        people = UserFactory.create_batch(people_per_team, team=team, suggest_me_as_teacher=True)
        for skill_index, skill in enumerate(skill_list):
            target_set(team=team, skill=skill, target_level=3, priority=1, by=ld_staff)
            person = people[(team_index + skill_index) % people_per_team]
            rate(person, skill, 3 + (skill_index % 2))


@pytest.mark.parametrize(("teams", "skills", "people"), [(1, 2, 2), (8, 10, 6)])
def test_gap_list_query_count_stays_flat(
    client, ld_staff, django_assert_max_num_queries, teams, skills, people
):
    build_org(ld_staff, teams=teams, skills=skills, people_per_team=people)
    client.force_login(ld_staff)

    with django_assert_max_num_queries(11):  # 10, and 1 for "no session · n asked"
        response = client.get(GAPS, {"priority": 1})

    assert response.status_code == 200
    assert len(rows_of(response)) == min(teams * skills, gap_views.GAPS_PER_PAGE)
    assert response.content.decode().count('data-testid="nominate"') >= min(teams * skills, 50)


# --- Team targets ---------------------------------------------------------------------------
def test_ld_staff_see_a_teams_targets_with_its_gap(client, ld_staff, org, team, other_team):
    client.force_login(ld_staff)

    response = client.get(TARGETS, {"team": other_team.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="target-row"') == 2
    assert "Targets of Sales" in page


def test_targets_page_opens_on_the_first_team(client, ld_staff, org):
    client.force_login(ld_staff)

    response = client.get(TARGETS)

    assert response.status_code == 200
    assert "Team targets: Customer Success" in response.content.decode()


def test_ld_staff_add_a_target(client, ld_staff, team, org):
    excel = org["excel"]
    client.force_login(ld_staff)

    response = client.post(
        TARGETS,
        {"team": team.pk, "skill": excel.pk, "target_level": 2, "priority": Priority.MEDIUM},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{TARGETS}?team={team.pk}"
    target = SkillTarget.objects.get(team=team, skill=excel)
    assert (target.target_level, target.priority) == (2, Priority.MEDIUM)
    assert AuditEvent.objects.filter(action="programmes.target.set", actor=ld_staff).count() == 4
    assert "Excel target set to level 2" in client.get(response["Location"]).content.decode()


def test_ld_staff_change_a_target(client, ld_staff, team, org):
    client.force_login(ld_staff)

    response = client.post(
        TARGETS, {"team": team.pk, "skill": org["sql"].pk, "target_level": 4, "priority": 1}
    )

    assert response.status_code == 302
    target = SkillTarget.objects.get(team=team, skill=org["sql"])
    assert (target.target_level, target.priority) == (4, 1)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"target_level": 0}, "A target level is from 1"),
        ({"target_level": 5}, "A target level is from 1"),
        ({"target_level": "abc"}, "A target level is from 1"),
        ({"priority": 9}, "Priority is low, medium or high"),
        ({"skill": 999999}, "Choose a skill from the list"),
        ({"skill": ""}, "This field is required"),
    ],
)
def test_bad_target_input_is_answered_400_and_changes_nothing(
    client, ld_staff, team, org, bad, message
):
    before = list(SkillTarget.objects.values_list("team", "skill", "target_level", "priority"))
    client.force_login(ld_staff)

    response = client.post(
        TARGETS,
        {"team": team.pk, "skill": org["sql"].pk, "target_level": 2, "priority": 2, **bad},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    after = list(SkillTarget.objects.values_list("team", "skill", "target_level", "priority"))
    assert after == before


@pytest.mark.parametrize("missing", [{}, {"team": ""}, {"team": "  "}])
def test_a_target_without_its_team_is_refused_not_saved_on_the_first_team(
    client, ld_staff, org, missing
):
    before = list(SkillTarget.objects.values_list("team", "skill", "target_level", "priority"))
    client.force_login(ld_staff)

    response = client.post(
        TARGETS, {"skill": org["excel"].pk, "target_level": 2, "priority": 2, **missing}
    )

    assert response.status_code == 400
    assert "Choose the team this target is for" in response.content.decode()
    after = list(SkillTarget.objects.values_list("team", "skill", "target_level", "priority"))
    assert after == before


@pytest.mark.parametrize("team_id", ["999999", "abc"])
def test_target_for_an_unknown_team_is_not_found(client, ld_staff, org, team_id):
    client.force_login(ld_staff)

    response = client.post(
        TARGETS, {"team": team_id, "skill": org["sql"].pk, "target_level": 2, "priority": 2}
    )

    assert response.status_code == 404
    assert SkillTarget.objects.count() == 3


def test_ld_staff_remove_a_target(client, ld_staff, team, org):
    target = SkillTarget.objects.get(team=team, skill=org["sql"])
    client.force_login(ld_staff)

    response = client.post(f"{TARGETS}{target.pk}/remove/")

    assert response.status_code == 302
    assert response["Location"] == f"{TARGETS}?team={team.pk}"
    assert not SkillTarget.objects.filter(pk=target.pk).exists()
    assert AuditEvent.objects.filter(action="programmes.target.removed").count() == 1


def test_removing_an_unknown_target_is_not_found(client, ld_staff):
    client.force_login(ld_staff)

    assert client.post(f"{TARGETS}999999/remove/").status_code == 404


def test_remove_refuses_get(client, ld_staff, team, org):
    target = SkillTarget.objects.get(team=team, skill=org["sql"])
    client.force_login(ld_staff)

    assert client.get(f"{TARGETS}{target.pk}/remove/").status_code == 405
    assert SkillTarget.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("person", ["employee", "lead", "trainer"])
def test_targets_are_for_ld_staff_only(client, request, person, team, org):
    target = SkillTarget.objects.get(team=team, skill=org["sql"])
    client.force_login(request.getfixturevalue(person))

    assert client.get(TARGETS).status_code == 403
    post = client.post(TARGETS, {"team": team.pk, "skill": org["excel"].pk, "target_level": 2})
    assert post.status_code == 403
    assert client.post(f"{TARGETS}{target.pk}/remove/").status_code == 403
    assert SkillTarget.objects.count() == 3


def test_targets_ask_anonymous_visitors_to_sign_in(client):
    assert client.get(TARGETS).status_code == 302


def test_targets_refuse_other_methods(client, ld_staff):
    client.force_login(ld_staff)

    assert client.put(TARGETS).status_code == 405


@pytest.mark.parametrize("skills", [2, 25])
def test_targets_query_count_stays_flat(
    client, ld_staff, team, django_assert_max_num_queries, skills
):
    UserFactory.create_batch(5, team=team)
    for skill in SkillFactory.create_batch(skills):
        target_set(team=team, skill=skill, target_level=2, priority=2, by=ld_staff)
    client.force_login(ld_staff)

    with django_assert_max_num_queries(8):
        response = client.get(TARGETS, {"team": team.pk})

    assert response.content.decode().count('data-testid="target-row"') == skills
