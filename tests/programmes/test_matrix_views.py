"""The team skills matrix and assessments recorded from it."""

import re

import pytest

from peertrain.accounts.models import User
from peertrain.audit.models import AuditEvent
from programmes.models import AssessmentSource, CurrentSkillLevel, Priority, SkillAssessment
from programmes.services import assessment_record, target_set

from ..factories import SkillFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

MATRIX = "/skills/matrix/"
ASSESS = "/skills/matrix/assess/"


def rate(user: User, skill, level: int, source=AssessmentSource.SELF, by: User | None = None):
    return assessment_record(
        user=user, skill=skill, level=level, source=source, assessed_by=by or user
    )


@pytest.fixture
def sql(db):
    return SkillFactory(name="SQL", category="Data")


@pytest.fixture
def python(db):
    return SkillFactory(name="Python", category="Engineering")


@pytest.fixture
def targets(team, sql, python, ld_staff):
    """Customer Success targets SQL ≥ 3 (high) and Python ≥ 2 (low)."""
    target_set(team=team, skill=sql, target_level=3, priority=Priority.HIGH, by=ld_staff)
    target_set(team=team, skill=python, target_level=2, priority=Priority.LOW, by=ld_staff)


def cell_html(response, member: User, skill) -> str:
    match = re.search(
        rf'<td id="cell-{member.pk}-{skill.pk}"(.*?)</td>', response.content.decode(), re.S
    )
    assert match, f"no cell for {member} in {skill}"
    return match.group(0)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Who may see which matrix --------------------------------------------------------------
def test_lead_sees_levels_against_target_with_their_source(
    client, lead, employee, other_employee, sql, python, targets
):
    rate(employee, sql, 2)
    rate(employee, python, 3, source=AssessmentSource.LEAD, by=lead)
    client.force_login(lead)

    response = client.get(MATRIX)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Eli Moreno" in page
    assert "Olu Adeyemi" not in page  # another team's member
    sql_cell = text_of(cell_html(response, employee, sql))
    assert "2 /3" in sql_cell
    assert "1 below target" in sql_cell
    assert "self-assessed" in sql_cell
    python_cell = text_of(cell_html(response, employee, python))
    assert "3 /2" in python_cell
    assert "above target" in python_cell
    assert "verified by team lead" in python_cell
    assert 'class="mx-cell mx-below"' in cell_html(response, employee, sql)


def test_unassessed_member_shows_a_dash_and_counts_as_zero(client, lead, employee, sql, targets):
    client.force_login(lead)

    cell = cell_html(client.get(MATRIX), employee, sql)

    assert "mx-unassessed" in cell
    assert "\u2013" in cell  # an en dash where the level would be
    assert "not assessed (counts as 0)" in text_of(cell)


def test_self_assessment_after_a_verified_one_shows_pending_verification(
    client, lead, employee, sql, targets
):
    rate(employee, sql, 2, source=AssessmentSource.LEAD, by=lead)
    rate(employee, sql, 4)
    client.force_login(lead)

    cell = text_of(cell_html(client.get(MATRIX), employee, sql))

    assert "4 /3" in cell
    assert "self, pending verification" in cell


def test_footer_shows_the_team_gap_and_flags_single_points_of_knowledge(
    client, lead, employee, sql, python, targets
):
    # SQL ≥ 3: employee 3 (at target), lead unassessed (short 3) → one person at target.
    # Python ≥ 2: both at 2 → two people at target, no flag.
    rate(employee, sql, 3)
    rate(employee, python, 2)
    rate(lead, python, 2)
    client.force_login(lead)

    page = client.get(MATRIX).content.decode()

    sql_gap = text_of(re.search(rf'<td id="gap-{sql.pk}".*?</td>', page, re.S).group(0))
    assert "3 levels short" in sql_gap
    assert "50% below" in sql_gap
    assert "1 of 2 at target" in sql_gap
    assert "Single point of knowledge" in sql_gap
    python_gap = text_of(re.search(rf'<td id="gap-{python.pk}".*?</td>', page, re.S).group(0))
    assert "0 levels short" in python_gap
    assert "Single point of knowledge" not in python_gap
    assert 'data-testid="spok-summary"' in page


def test_lead_sees_a_sub_team_through_the_picker(client, lead, team, sql, ld_staff):
    sub_team = TeamFactory(name="Tier 2", parent=team)
    member = UserFactory(team=sub_team, display_name="Sam Sub")
    target_set(team=sub_team, skill=sql, target_level=2, priority=Priority.LOW, by=ld_staff)
    client.force_login(lead)

    response = client.get(MATRIX, {"team": sub_team.pk})

    assert response.status_code == 200
    assert "Sam Sub" in response.content.decode()
    assert 'data-testid="team-picker"' in response.content.decode()
    assert member.pk


def test_lead_of_one_team_is_refused_another_team(client, lead, other_team):
    client.force_login(lead)

    response = client.get(MATRIX, {"team": other_team.pk})

    assert response.status_code == 403
    assert "only see the teams you lead" in response.content.decode()


@pytest.mark.parametrize("team_id", ["999999", "abc"])
def test_unknown_team_is_not_found(client, lead, team_id):
    client.force_login(lead)

    assert client.get(MATRIX, {"team": team_id}).status_code == 404


def test_employee_who_leads_no_team_is_refused(client, employee):
    client.force_login(employee)

    response = client.get(MATRIX)

    assert response.status_code == 403
    assert "for team leads and L&amp;D staff" in response.content.decode()


def test_trainer_who_leads_no_team_is_refused(client, trainer):
    client.force_login(trainer)

    assert client.get(MATRIX).status_code == 403


def test_ld_staff_see_any_team(client, ld_staff, other_team, other_employee, sql):
    target_set(team=other_team, skill=sql, target_level=2, priority=Priority.LOW, by=ld_staff)
    client.force_login(ld_staff)

    response = client.get(MATRIX, {"team": other_team.pk})

    assert response.status_code == 200
    assert "Olu Adeyemi" in response.content.decode()


def test_anonymous_visitor_is_asked_to_sign_in(client):
    response = client.get(MATRIX)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_matrix_refuses_post(client, lead):
    client.force_login(lead)

    assert client.post(MATRIX).status_code == 405


def test_team_without_targets_says_so(client, lead, employee):
    client.force_login(lead)

    response = client.get(MATRIX)

    assert response.status_code == 200
    assert "no skill targets yet" in response.content.decode()


def test_page_has_no_inline_script_or_style(client, lead, employee, targets):
    client.force_login(lead)

    page = client.get(MATRIX).content.decode()

    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "css/matrix.css" in page


def build_team(team, ld_staff, *, members: int, skills: int) -> None:
    people = UserFactory.create_batch(members, team=team)
    for index, skill in enumerate(SkillFactory.create_batch(skills)):
        target_set(team=team, skill=skill, target_level=3, priority=Priority.MEDIUM, by=ld_staff)
        for person in people[index % 3 :: 2]:
            rate(person, skill, (index + person.pk) % 5)


@pytest.mark.parametrize(("members", "skills"), [(3, 3), (40, 25)])
def test_matrix_query_count_stays_flat(
    client, lead, ld_staff, django_assert_max_num_queries, members, skills
):
    build_team(lead.team, ld_staff, members=members, skills=skills)
    TeamFactory(lead=lead)  # a second team, so the picker shows
    client.force_login(lead)

    # the team list is read once for the picker and the access check
    with django_assert_max_num_queries(9):
        response = client.get(MATRIX, {"team": lead.team.pk})

    assert response.status_code == 200
    assert response.content.decode().count('class="mx-cell ') == (members + 1) * skills


@pytest.mark.parametrize(("members", "skills"), [(3, 3), (40, 25)])
def test_matrix_query_count_stays_flat_for_ld_staff(
    client, team, ld_staff, django_assert_max_num_queries, members, skills
):
    build_team(team, ld_staff, members=members, skills=skills)
    client.force_login(ld_staff)

    with django_assert_max_num_queries(10):
        response = client.get(MATRIX, {"team": team.pk})

    assert response.status_code == 200


# --- Assessments from the matrix -----------------------------------------------------------
def current(user, skill) -> CurrentSkillLevel | None:
    return CurrentSkillLevel.objects.filter(user=user, skill=skill).first()


def test_cell_links_to_the_assessment_form_without_javascript(client, lead, employee, sql, targets):
    rate(employee, sql, 1)
    client.force_login(lead)

    response = client.get(ASSESS, {"member": employee.pk, "skill": sql.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Record an assessment" in page
    assert "Current level: 1 (self-assessed)" in page
    assert '<html lang="en-gb">' in page


def test_htmx_gets_just_the_form_for_the_cell(client, lead, employee, sql, targets):
    client.force_login(lead)

    response = client.get(
        ASSESS, {"member": employee.pk, "skill": sql.pk}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert 'data-hx-post="/skills/matrix/assess/"' in page


def test_lead_records_an_assessment_and_returns_to_the_matrix(client, lead, employee, sql, targets):
    rate(employee, sql, 1)
    client.force_login(lead)

    response = client.post(
        ASSESS, {"member": employee.pk, "skill": sql.pk, "level": 3, "note": "Led the migration"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{MATRIX}?team={employee.team_id}"
    level = current(employee, sql)
    assert (level.level, level.source, level.verified_level) == (3, AssessmentSource.LEAD, 3)
    assessment = SkillAssessment.objects.get(user=employee, source=AssessmentSource.LEAD)
    assert (assessment.assessed_by, assessment.note) == (lead, "Led the migration")
    assert AuditEvent.objects.filter(action="programmes.assessment.recorded").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Recorded Eli Moreno at level 3 in SQL" in page
    assert "verified by team lead" in text_of(cell_html(client.get(MATRIX), employee, sql))


def test_htmx_assessment_swaps_the_cell_and_the_gap(client, lead, employee, sql, targets):
    client.force_login(lead)

    response = client.post(
        ASSESS,
        {"member": employee.pk, "skill": sql.pk, "level": 4},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(f'<td id="cell-{employee.pk}-{sql.pk}"')
    assert "4 /3" in text_of(page)
    assert f'<td id="gap-{sql.pk}"' in page
    assert 'data-hx-swap-oob="true"' in page
    assert current(employee, sql).level == 4


@pytest.mark.parametrize(
    "bad",
    [{"level": 7}, {"level": "abc"}, {"level": ""}, {"member": "abc"}, {"skill": ""}],
)
def test_bad_assessment_input_is_answered_400_and_saves_nothing(
    client, lead, employee, sql, targets, bad
):
    client.force_login(lead)

    response = client.post(ASSESS, {"member": employee.pk, "skill": sql.pk, "level": 2, **bad})

    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not SkillAssessment.objects.exists()


def test_htmx_bad_input_replaces_the_cell_with_the_form_and_its_error(
    client, lead, employee, sql, targets
):
    client.force_login(lead)

    response = client.post(
        ASSESS,
        {"member": employee.pk, "skill": sql.pk, "level": 9},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    page = response.content.decode().strip()
    # The same id as the cell it replaces, so Escape can put the cell back (inline-edit.js).
    assert page.startswith(f'<td id="cell-{employee.pk}-{sql.pk}" class="mx-cell mx-editing">')
    assert page.endswith("</td>")
    assert "Choose a level from 0 (none) to 4" in page
    assert not SkillAssessment.objects.exists()


def test_level_out_of_range_names_the_range(client, lead, employee, sql, targets):
    client.force_login(lead)

    response = client.post(ASSESS, {"member": employee.pk, "skill": sql.pk, "level": 7})

    assert "Choose a level from 0 (none) to 4" in response.content.decode()


def test_unknown_skill_or_person_is_not_found(client, lead, employee, sql):
    client.force_login(lead)

    assert (
        client.post(ASSESS, {"member": employee.pk, "skill": 999999, "level": 2}).status_code == 404
    )
    assert client.post(ASSESS, {"member": 999999, "skill": sql.pk, "level": 2}).status_code == 404
    assert not SkillAssessment.objects.exists()


def test_lead_cannot_assess_someone_outside_their_teams(client, lead, other_employee, sql):
    client.force_login(lead)

    post = client.post(ASSESS, {"member": other_employee.pk, "skill": sql.pk, "level": 2})
    get = client.get(ASSESS, {"member": other_employee.pk, "skill": sql.pk})

    assert post.status_code == 403
    assert "only choose people in the teams you lead" in post.content.decode()
    assert get.status_code == 403
    assert not SkillAssessment.objects.exists()


def test_lead_cannot_assess_themselves_as_lead(client, lead, sql, targets):
    client.force_login(lead)

    response = client.post(ASSESS, {"member": lead.pk, "skill": sql.pk, "level": 4})

    assert response.status_code == 400
    assert "Only you can self-assess" in response.content.decode()
    assert not SkillAssessment.objects.exists()


def test_lead_row_is_not_clickable_for_the_lead(client, lead, employee, sql, targets):
    client.force_login(lead)

    response = client.get(MATRIX)

    assert "mx-cell-link" not in cell_html(response, lead, sql)
    assert "mx-cell-link" in cell_html(response, employee, sql)


def test_employee_cannot_assess_a_colleague(client, employee, other_employee, sql):
    colleague = UserFactory(team=employee.team)
    client.force_login(employee)

    response = client.post(ASSESS, {"member": colleague.pk, "skill": sql.pk, "level": 2})

    assert response.status_code == 403
    assert not SkillAssessment.objects.exists()


def test_assess_requires_sign_in_and_refuses_other_methods(client, lead, employee, sql):
    anonymous = client.post(ASSESS, {"member": employee.pk, "skill": sql.pk, "level": 2})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert client.get(ASSESS).status_code == 302
    client.force_login(lead)
    assert client.put(ASSESS).status_code == 405
    assert not SkillAssessment.objects.exists()
