"""Programmes (/programmes/): what employees see, and L&D staff creating and editing them."""

from datetime import date

import pytest

from peertrain.audit.models import AuditEvent
from programmes.models import AssessmentSource, Programme
from programmes.services import assessment_record

from ..factories import ProgrammeFactory, SkillFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills():
    return [SkillFactory(name="Negotiation"), SkillFactory(name="Customer empathy")]


@pytest.fixture
def active(team, other_team, skills, ld_staff):
    return ProgrammeFactory(
        title="Customer conversations",
        owner=ld_staff,
        skills=skills,
        audience_teams=[team, other_team],
    )


@pytest.fixture
def draft(team, skills, ld_staff):
    return ProgrammeFactory(
        title="Draft plan for next year",
        status="draft",
        owner=ld_staff,
        skills=skills[:1],
        audience_teams=[team],
    )


@pytest.fixture
def elsewhere(skills, ld_staff):
    return ProgrammeFactory(
        title="Engineering onboarding",
        owner=ld_staff,
        skills=skills[:1],
        audience_teams=[TeamFactory(name="Engineering")],
    )


# --- Employees ----------------------------------------------------------------------------
def test_employee_sees_active_programmes_for_their_team_only(
    client, employee, active, draft, elsewhere
):
    client.force_login(employee)

    page = client.get("/programmes/").content.decode()

    assert "Customer conversations" in page
    assert "Negotiation" in page
    assert "Lena Daniels" in page  # the owner
    assert "Draft plan for next year" not in page  # a draft
    assert "Engineering onboarding" not in page  # another team's
    assert "New programme" not in page


def test_employee_without_a_team_is_told_why_nothing_shows(client, ld_staff, skills):
    ProgrammeFactory(title="For nobody in particular", owner=ld_staff, skills=skills)
    client.force_login(UserFactory(team=None))

    page = client.get("/programmes/").content.decode()

    assert "You're not in a team yet" in page
    assert "For nobody in particular" not in page


def test_employee_opens_an_active_programme_for_their_team(client, employee, active, skills):
    assessment_record(
        user=employee, skill=skills[0], level=2, source=AssessmentSource.SELF, assessed_by=employee
    )
    client.force_login(employee)

    response = client.get(f"/programmes/{active.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Customer Success, Sales" in page
    assert "self-assessed" in page  # my level in a covered skill
    assert f"/skills/?skill={skills[1].pk}" in page  # rate myself in the other
    assert "No sessions scheduled in this programme yet." in page
    assert "/edit/" not in page


@pytest.mark.parametrize("programme", ["draft", "elsewhere"])
def test_employee_cannot_open_drafts_or_other_teams_programmes(
    client, request, employee, programme
):
    client.force_login(employee)

    response = client.get(f"/programmes/{request.getfixturevalue(programme).pk}/")

    assert response.status_code == 404


def test_closed_programme_is_not_found_for_employees(client, employee, active):
    active.status = Programme.Status.CLOSED
    active.save()
    client.force_login(employee)

    assert client.get(f"/programmes/{active.pk}/").status_code == 404


def test_unknown_programme_is_not_found(client, employee):
    client.force_login(employee)

    assert client.get("/programmes/999999/").status_code == 404


def test_programme_pages_need_sign_in(client, active):
    for url in ["/programmes/", f"/programmes/{active.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_programme_pages_refuse_post(client, employee, active):
    client.force_login(employee)

    assert client.post("/programmes/").status_code == 405
    assert client.post(f"/programmes/{active.pk}/").status_code == 405


# --- L&D staff ----------------------------------------------------------------------------
def test_ld_staff_see_every_programme_with_a_status_filter(
    client, ld_staff, active, draft, elsewhere
):
    client.force_login(ld_staff)

    page = client.get("/programmes/").content.decode()
    assert all(p.title in page for p in [active, draft, elsewhere])
    assert "New programme" in page

    drafts = client.get("/programmes/?status=draft").content.decode()
    assert "Draft plan for next year" in drafts
    assert "Customer conversations" not in drafts


def test_unknown_status_filter_is_answered_400(client, ld_staff, active):
    client.force_login(ld_staff)

    response = client.get("/programmes/?status=bogus")

    assert response.status_code == 400
    assert "Filter by draft, active or closed." in response.content.decode()


def test_ld_staff_open_drafts(client, ld_staff, draft):
    client.force_login(ld_staff)

    response = client.get(f"/programmes/{draft.pk}/")

    assert response.status_code == 200
    assert f"/programmes/{draft.pk}/edit/" in response.content.decode()


def programme_data(skills, teams, owner, /, **overrides) -> dict:
    return {
        "title": "Handling complaints well",
        "goals": "Everyone can calm an upset customer and fix the cause.",
        "skills": [skill.pk for skill in skills],
        "audience_teams": [team.pk for team in teams],
        "owner": owner.pk,
        "starts_on": "2026-01-12",
        "ends_on": "2026-03-27",
        "status": "active",
        **overrides,
    }


def test_ld_staff_create_a_programme(client, ld_staff, skills, team, other_team):
    client.force_login(ld_staff)
    assert client.get("/programmes/new/").status_code == 200

    response = client.post("/programmes/new/", programme_data(skills, [team], ld_staff))

    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/programmes/{programme.pk}/"
    assert (programme.title, programme.status, programme.owner) == (
        "Handling complaints well",
        "active",
        ld_staff,
    )
    assert (programme.starts_on, programme.ends_on) == (date(2026, 1, 12), date(2026, 3, 27))
    assert set(programme.skills.all()) == set(skills)
    assert list(programme.audience_teams.all()) == [team]
    assert AuditEvent.objects.filter(action="programmes.programme.created").count() == 1


def test_ld_staff_edit_a_programme(client, ld_staff, active, skills, other_team, lead):
    client.force_login(ld_staff)
    form_page = client.get(f"/programmes/{active.pk}/edit/").content.decode()
    assert 'value="Customer conversations"' in form_page
    assert f'value="{active.starts_on.isoformat()}"' in form_page  # what a date picker reads

    response = client.post(
        f"/programmes/{active.pk}/edit/",
        programme_data(
            skills[1:], [other_team], lead, title="Customer conversations II", status="closed"
        ),
    )

    assert response.status_code == 302
    active.refresh_from_db()
    assert (active.title, active.status, active.owner) == (
        "Customer conversations II",
        "closed",
        lead,
    )
    assert list(active.skills.all()) == skills[1:]
    assert list(active.audience_teams.all()) == [other_team]
    assert AuditEvent.objects.filter(action="programmes.programme.updated").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "2026-01-01"}, "The end date can&#x27;t be before the start date."),
        ({"title": ""}, "This field is required."),
        ({"skills": []}, "Pick at least one skill the programme covers."),
        ({"skills": [999999]}, "Pick skills from the list."),
        ({"audience_teams": []}, "Pick at least one team the programme is for."),
        ({"owner": 999999}, "Choose an owner from the list."),
        ({"status": "archived"}, "Choose draft, active or closed."),
        ({"starts_on": "next week"}, "Enter a valid date."),
    ],
)
def test_bad_programme_input_is_answered_400_and_saves_nothing(
    client, ld_staff, skills, team, overrides, message
):
    client.force_login(ld_staff)

    response = client.post(
        "/programmes/new/", programme_data(skills, [team], ld_staff, **overrides)
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved:" in page
    assert message in page
    assert not Programme.objects.exists()


def test_bad_edit_leaves_the_programme_as_it_was(client, ld_staff, active, skills, team):
    client.force_login(ld_staff)

    response = client.post(
        f"/programmes/{active.pk}/edit/",
        programme_data(skills, [team], ld_staff, title="Changed", ends_on="2025-01-01"),
    )

    assert response.status_code == 400
    active.refresh_from_db()
    assert active.title == "Customer conversations"
    assert not AuditEvent.objects.filter(action="programmes.programme.updated").exists()


@pytest.mark.parametrize("person", ["employee", "lead", "trainer"])
def test_only_ld_staff_create_or_edit(client, request, person, active, skills, team, ld_staff):
    client.force_login(request.getfixturevalue(person))

    assert client.get("/programmes/new/").status_code == 403
    assert (
        client.post("/programmes/new/", programme_data(skills, [team], ld_staff)).status_code == 403
    )
    assert client.get(f"/programmes/{active.pk}/edit/").status_code == 403
    edit = client.post(f"/programmes/{active.pk}/edit/", programme_data(skills, [team], ld_staff))
    assert edit.status_code == 403
    assert Programme.objects.count() == 1
    active.refresh_from_db()
    assert active.title == "Customer conversations"


def test_create_and_edit_need_sign_in(client, active):
    for url in ["/programmes/new/", f"/programmes/{active.pk}/edit/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_create_and_edit_refuse_other_methods(client, ld_staff, active):
    client.force_login(ld_staff)

    assert client.delete("/programmes/new/").status_code == 405
    assert client.put(f"/programmes/{active.pk}/edit/").status_code == 405


def test_editing_an_unknown_programme_is_not_found(client, ld_staff):
    client.force_login(ld_staff)

    assert client.get("/programmes/999999/edit/").status_code == 404


# --- Query counts -------------------------------------------------------------------------
def make_programmes(size: int, teams, owner) -> list[Programme]:
    skills = SkillFactory.create_batch(size)
    return [
        ProgrammeFactory(owner=owner, skills=skills[: index + 1], audience_teams=teams)
        for index in range(size)
    ]


@pytest.mark.parametrize("size", [2, 30])
def test_employee_list_query_count_stays_flat(
    client, employee, team, ld_staff, django_assert_max_num_queries, size
):
    make_programmes(size, [team], ld_staff)
    client.force_login(employee)

    with django_assert_max_num_queries(8):
        response = client.get("/programmes/")

    assert response.content.decode().count('data-testid="programme-card"') == size


@pytest.mark.parametrize("size", [2, 30])
def test_ld_list_query_count_stays_flat(
    client, ld_staff, team, other_team, django_assert_max_num_queries, size
):
    make_programmes(size, [team, other_team], ld_staff)
    client.force_login(ld_staff)

    with django_assert_max_num_queries(9):
        response = client.get("/programmes/")

    assert response.content.decode().count('<th scope="row"><a href="/programmes/') == size


@pytest.mark.parametrize("size", [2, 30])
def test_detail_query_count_stays_flat(
    client, employee, team, ld_staff, django_assert_max_num_queries, size
):
    programme = make_programmes(size, [team], ld_staff)[-1]  # covers ``size`` skills
    for skill in programme.skills.all():
        assessment_record(
            user=employee, skill=skill, level=1, source=AssessmentSource.SELF, assessed_by=employee
        )
    client.force_login(employee)

    with django_assert_max_num_queries(10):
        response = client.get(f"/programmes/{programme.pk}/")

    assert response.content.decode().count("self-assessed") == size


@pytest.mark.parametrize("size", [2, 30])
def test_form_query_count_stays_flat(client, ld_staff, django_assert_max_num_queries, size):
    teams = TeamFactory.create_batch(size)
    programme = make_programmes(size, teams, ld_staff)[-1]
    client.force_login(ld_staff)

    with django_assert_max_num_queries(12):
        assert client.get(f"/programmes/{programme.pk}/edit/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/programmes/new/").status_code == 200
