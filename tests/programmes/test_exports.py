"""CSV exports of the skills matrix and the gap list."""

import csv
import io
import re

import pytest

from peertrain.accounts.models import User
from programmes.models import AssessmentSource, Priority
from programmes.services import assessment_record, target_set

from ..factories import SkillFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

MATRIX_CSV = "/skills/matrix/export.csv"
GAPS_CSV = "/skills/gaps/export.csv"


def rate(user: User, skill, level: int, source=AssessmentSource.SELF, by: User | None = None):
    return assessment_record(
        user=user, skill=skill, level=level, source=source, assessed_by=by or user
    )


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def sql(db):
    return SkillFactory(name="SQL", category="Data")


@pytest.fixture
def matrix_data(team, lead, employee, sql, ld_staff):
    python = SkillFactory(name="Python", category="Engineering")
    target_set(team=team, skill=sql, target_level=3, priority=Priority.HIGH, by=ld_staff)
    target_set(team=team, skill=python, target_level=2, priority=Priority.LOW, by=ld_staff)
    rate(employee, sql, 2)
    rate(employee, python, 3, source=AssessmentSource.LEAD, by=lead)
    rate(lead, sql, 3)
    return {"sql": sql, "python": python}


def test_a_name_with_a_formula_after_spaces_is_quoted_in_the_matrix_export(
    client, lead, employee, team, matrix_data
):
    employee.display_name = '  =HYPERLINK("http://evil.example","x")'
    employee.save(update_fields=["display_name"])
    client.force_login(lead)

    rows = read_csv(client.get(MATRIX_CSV, {"team": team.pk}))

    members = {row["Member"] for row in rows}
    assert "'" + employee.display_name in members
    assert employee.display_name not in members


# --- Matrix --------------------------------------------------------------------------------
def test_matrix_export_has_a_row_per_member_and_skill_matching_the_page(
    client, lead, employee, team, matrix_data
):
    client.force_login(lead)

    response = client.get(MATRIX_CSV, {"team": team.pk})

    rows = read_csv(response)
    assert response["Content-Disposition"].startswith(
        'attachment; filename="skills-matrix-customer-success-'
    )
    assert response["Content-Disposition"].endswith('.csv"')
    matrix = client.get("/skills/matrix/", {"team": team.pk}).context["matrix"]
    expected = {
        (str(cell.member), cell.column.skill.name): (
            "" if cell.level is None else str(cell.level),
            cell.source_label,
            str(cell.column.gap.shortfall),
        )
        for row in matrix.rows
        for cell in row.cells
    }
    assert {
        (row["Member"], row["Skill"]): (
            row["Current level"],
            row["Source"],
            row["Team shortfall"],
        )
        for row in rows
    } == expected
    assert len(rows) == 4
    by_cell = {(row["Member"], row["Skill"]): row for row in rows}
    eli_sql = by_cell["Eli Moreno", "SQL"]
    assert (eli_sql["Current level"], eli_sql["Target level"], eli_sql["Status"]) == (
        "2",
        "3",
        "1 below target",
    )
    assert by_cell["Eli Moreno", "Python"]["Source"] == "verified by team lead"
    assert by_cell["Leah Okafor", "Python"]["Status"] == "not assessed (counts as 0)"
    assert eli_sql["Single point of knowledge"] == "yes"  # only Leah is at 3


def test_matrix_export_quotes_formula_like_names(client, lead, team, matrix_data):
    UserFactory(team=team, display_name="=cmd|' /C calc'!A0")
    client.force_login(lead)

    rows = read_csv(client.get(MATRIX_CSV, {"team": team.pk}))

    assert "'=cmd|' /C calc'!A0" in {row["Member"] for row in rows}


def test_matrix_export_follows_the_matrix_access_rule(client, lead, other_team, employee):
    client.force_login(lead)

    assert client.get(MATRIX_CSV, {"team": other_team.pk}).status_code == 403
    assert client.get(MATRIX_CSV, {"team": 999999}).status_code == 404
    client.force_login(employee)
    assert client.get(MATRIX_CSV).status_code == 403


def test_matrix_export_asks_anonymous_visitors_to_sign_in_and_refuses_post(client, lead):
    assert client.get(MATRIX_CSV).status_code == 302
    client.force_login(lead)
    assert client.post(MATRIX_CSV).status_code == 405


@pytest.mark.parametrize(("members", "skills"), [(3, 3), (40, 25)])
def test_matrix_export_query_count_stays_flat(
    client, lead, ld_staff, django_assert_max_num_queries, members, skills
):
    people = UserFactory.create_batch(members, team=lead.team)
    for index, skill in enumerate(SkillFactory.create_batch(skills)):
        target_set(team=lead.team, skill=skill, target_level=2, priority=2, by=ld_staff)
        rate(people[index % members], skill, index % 5)
    client.force_login(lead)

    with django_assert_max_num_queries(8):
        response = client.get(MATRIX_CSV)

    assert len(read_csv(response)) == (members + 1) * skills


# --- Gap list ------------------------------------------------------------------------------
@pytest.fixture
def gap_data(ld_staff, team, other_team, employee, other_employee, sql):
    excel = SkillFactory(name="Excel", category="Office")
    ana = UserFactory(team=other_team, display_name="Ana Teach", suggest_me_as_teacher=True)
    rate(ana, sql, 4)
    target_set(team=team, skill=sql, target_level=3, priority=Priority.HIGH, by=ld_staff)
    target_set(team=other_team, skill=excel, target_level=2, priority=Priority.LOW, by=ld_staff)
    target_set(team=other_team, skill=sql, target_level=2, priority=Priority.MEDIUM, by=ld_staff)
    return {"excel": excel, "ana": ana}


def page_rows(response) -> list[tuple[str, str, str]]:
    """(team, skill, shortfall) of each row of the gap list page."""
    result = []
    for row in re.findall(r'<tr data-testid="gap-row">(.*?)</tr>', response.content.decode(), re.S):
        row = re.sub(r'<span [^>]*data-testid="gap-demand">.*?</span>', "", row, flags=re.S)
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        result.append((cells[1], cells[2].rsplit(" ", 1)[0], cells[5].split(" ")[0]))
    return result


def test_gap_export_equals_the_page(client, ld_staff, gap_data):
    client.force_login(ld_staff)

    page = client.get("/skills/gaps/")
    response = client.get(GAPS_CSV)

    rows = read_csv(response)
    assert response["Content-Disposition"].startswith('attachment; filename="skill-gaps-')
    assert [(row["Team"], row["Skill"], row["Shortfall"]) for row in rows] == page_rows(page)
    assert [row["Rank"] for row in rows] == ["1", "2", "3"]
    first = rows[0]
    assert (first["Priority"], first["Share below target (%)"]) == ("High", "100")
    assert first["Single point of knowledge"] == "no"  # a team of one: nobody to share with
    assert first["Colleagues who could teach it"] == "Ana Teach (level 4, Sales)"
    sales_sql = next(row for row in rows if (row["Team"], row["Skill"]) == ("Sales", "SQL"))
    assert sales_sql["Single point of knowledge"] == "yes"  # only Ana of two


def test_gap_export_uses_the_filters(client, ld_staff, other_team, gap_data):
    client.force_login(ld_staff)

    rows = read_csv(client.get(GAPS_CSV, {"team": other_team.pk, "category": "Office"}))

    assert [(row["Team"], row["Skill"]) for row in rows] == [("Sales", "Excel")]


@pytest.mark.parametrize("params", [{"team": "abc"}, {"priority": "9"}, {"category": "Nope"}])
def test_gap_export_with_a_bad_filter_is_refused_with_a_message(client, ld_staff, gap_data, params):
    client.force_login(ld_staff)

    response = client.get(GAPS_CSV, params)

    assert response.status_code == 400
    assert "Ignored the" in response.content.decode()


@pytest.mark.parametrize("person", ["employee", "lead", "trainer"])
def test_gap_export_is_for_ld_staff_only(client, request, person):
    client.force_login(request.getfixturevalue(person))

    assert client.get(GAPS_CSV).status_code == 403


def test_gap_export_asks_anonymous_visitors_to_sign_in(client):
    assert client.get(GAPS_CSV).status_code == 302


@pytest.mark.parametrize(("teams", "skills"), [(1, 2), (10, 12)])
def test_gap_export_query_count_stays_flat(
    client, ld_staff, django_assert_max_num_queries, teams, skills
):
    skill_list = SkillFactory.create_batch(skills)
    for _ in range(teams):
        team = TeamFactory()
        expert = UserFactory(team=team, suggest_me_as_teacher=True)
        UserFactory(team=team)  # not assessed: below every target, so each is a gap
        for skill in skill_list:
            target_set(team=team, skill=skill, target_level=3, priority=2, by=ld_staff)
            rate(expert, skill, 4)
    client.force_login(ld_staff)

    with django_assert_max_num_queries(6):
        response = client.get(GAPS_CSV)

    assert len(read_csv(response)) == teams * skills
