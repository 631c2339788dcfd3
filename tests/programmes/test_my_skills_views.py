"""My skills (/skills/), the per-skill history and another person's levels."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programmes.models import AssessmentSource, Priority, SkillAssessment
from programmes.services import assessment_record, target_set

from ..factories import SkillFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def rate(user, skill, level, source=AssessmentSource.SELF, by=None, at=None):
    return assessment_record(
        user=user, skill=skill, level=level, source=source, assessed_by=by or user, at=at
    )


@pytest.fixture
def sql():
    return SkillFactory(name="SQL", category="Data")


@pytest.fixture
def python():
    return SkillFactory(name="Python", category="Engineering")


@pytest.fixture
def signed_in(client, employee):
    client.force_login(employee)
    return client


# --- The page --------------------------------------------------------------------------------
def test_page_offers_every_skill_by_category_and_plain_language_levels(signed_in, sql, python):
    page = signed_in.get("/skills/").content.decode()

    assert '<optgroup label="Data">' in page
    assert '<optgroup label="Engineering">' in page
    assert "<legend" in page
    assert "Your level" in page
    assert "4 · Expert — can teach it" in page
    assert "0 · None — haven&#x27;t used it" in page


def test_page_preselects_the_skill_asked_for(signed_in, sql):
    page = signed_in.get(f"/skills/?skill={sql.pk}").content.decode()

    assert f'<option value="{sql.pk}" selected>' in page


def test_page_shows_current_levels_with_their_source(signed_in, employee, lead, sql, python):
    now = timezone.now()
    rate(employee, sql, 2, source=AssessmentSource.LEAD, by=lead, at=now - timedelta(days=2))
    rate(employee, sql, 4, at=now)
    rate(employee, python, 1)

    page = signed_in.get("/skills/").content.decode()

    assert "self, pending verification" in page
    assert "self-assessed" in page
    assert "/skills/history/sql/" in page


def test_anonymous_visitor_is_asked_to_sign_in(client):
    response = client.get("/skills/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/skills/"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_page_refuses_other_methods(signed_in, method):
    assert getattr(signed_in, method)("/skills/").status_code == 405


# --- Rating myself --------------------------------------------------------------------------
def test_rating_saves_a_self_assessment_and_redirects_with_a_message(signed_in, employee, sql):
    response = signed_in.post(
        "/skills/rate/", {"skill": sql.pk, "level": 3, "note": "Wrote the Q3 report"}, follow=True
    )

    assert response.redirect_chain == [("/skills/", 302)]
    assessment = SkillAssessment.objects.get()
    assert (assessment.user, assessment.skill, assessment.level) == (employee, sql, 3)
    assert (assessment.source, assessment.assessed_by, assessment.note) == (
        "self",
        employee,
        "Wrote the Q3 report",
    )
    assert "Saved: SQL at level 3." in response.content.decode()


def test_rating_with_htmx_returns_the_panel_with_my_gaps_updated(
    signed_in, employee, team, ld_staff, sql
):
    target_set(team=team, skill=sql, target_level=3, priority=Priority.HIGH, by=ld_staff)
    assert 'data-skill="sql"' in signed_in.get("/skills/").content.decode()

    response = signed_in.post("/skills/rate/", {"skill": sql.pk, "level": 3}, **HTMX)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # a partial for htmx to swap in
    assert 'id="my-skills-panel"' in page
    assert "Saved: SQL at level 3." in page
    assert 'data-testid="gap"' not in page
    assert "at or above every target Customer Success has set" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": 7}, "Choose a level from 0 (none) to 4 (can teach it)."),
        ({"level": -1}, "Choose a level from 0 (none) to 4 (can teach it)."),
        ({"level": "abc"}, "Choose a level from 0 (none) to 4 (can teach it)."),
        ({"level": ""}, "Choose a level from 0 (none) to 4 (can teach it)."),
        ({"skill": 999999}, "Choose a skill from the list."),
        ({"skill": "abc"}, "Choose a skill from the list."),
        ({"skill": ""}, "Choose a skill from the list."),
        ({"note": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_rating_is_answered_400_with_a_message_and_saves_nothing(signed_in, sql, data, message):
    response = signed_in.post("/skills/rate/", {"skill": sql.pk, "level": 2, **data})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved:" in page
    assert message in page
    assert "<html" in page  # the whole page again, without JavaScript
    assert not SkillAssessment.objects.exists()


def test_bad_rating_with_htmx_returns_the_panel_with_errors(signed_in, sql):
    response = signed_in.post("/skills/rate/", {"skill": sql.pk, "level": 9}, **HTMX)

    assert response.status_code == 400
    page = response.content.decode()
    assert "<html" not in page
    assert "Choose a level from 0 (none) to 4 (can teach it)." in page
    assert not SkillAssessment.objects.exists()


def test_missing_fields_are_answered_400(signed_in, sql):
    response = signed_in.post("/skills/rate/", {})

    assert response.status_code == 400
    assert not SkillAssessment.objects.exists()


def test_rating_refuses_get(signed_in):
    assert signed_in.get("/skills/rate/").status_code == 405


def test_anonymous_rating_is_sent_to_sign_in_and_saves_nothing(client, sql):
    response = client.post("/skills/rate/", {"skill": sql.pk, "level": 3})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not SkillAssessment.objects.exists()


def test_csrf_is_enforced_on_rating(employee, sql):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)

    assert client.post("/skills/rate/", {"skill": sql.pk, "level": 3}).status_code == 403
    assert not SkillAssessment.objects.exists()


# --- My gaps ------------------------------------------------------------------------------
@pytest.fixture
def gaps(team, other_team, employee, ld_staff, sql, python):
    """Customer Success targets SQL ≥ 3 (high) and Python ≥ 2 (low); Eli is at SQL 1."""
    target_set(team=team, skill=sql, target_level=3, priority=Priority.HIGH, by=ld_staff)
    target_set(team=team, skill=python, target_level=2, priority=Priority.LOW, by=ld_staff)
    rate(employee, sql, 1)
    helper = UserFactory(display_name="Hana Opted-In", team=other_team, suggest_me_as_teacher=True)
    private = UserFactory(display_name="Pia Private", team=team, suggest_me_as_teacher=False)
    sharer = UserFactory(
        display_name="Sol Sharer", team=team, suggest_me_as_teacher=True, share_skill_levels=True
    )
    rate(helper, sql, 4)
    rate(private, sql, 4)
    rate(sharer, sql, 3)
    return {"helper": helper, "private": private, "sharer": sharer}


def test_my_gaps_show_target_my_level_sessions_and_colleagues(signed_in, gaps):
    page = signed_in.get("/skills/").content.decode()

    sql_gap = page[page.index('data-skill="sql"') : page.index('data-skill="python"')]
    assert "You: <strong>1</strong>" in sql_gap
    assert "Target: <strong>3</strong>" in sql_gap
    assert "High priority" in sql_gap
    assert "No sessions scheduled for this skill yet." in sql_gap
    assert "Hana Opted-In" in sql_gap
    assert "Sol Sharer" in sql_gap
    assert page.index('data-skill="sql"') < page.index('data-skill="python"')  # high first


def test_colleagues_list_leaves_out_people_who_did_not_opt_in(signed_in, gaps):
    page = signed_in.get("/skills/").content.decode()

    assert "Pia Private" not in page


def test_colleagues_who_share_levels_link_to_their_page(signed_in, gaps):
    page = signed_in.get("/skills/").content.decode()

    assert f'href="/skills/people/{gaps["sharer"].pk}/"' in page
    assert f'href="/skills/people/{gaps["helper"].pk}/"' not in page  # would only be refused


def test_person_without_a_team_is_told_so(client):
    client.force_login(UserFactory(team=None))

    page = client.get("/skills/").content.decode()

    assert "You're not in a team yet" in page


def test_team_without_targets_is_told_so(signed_in):
    assert "Customer Success hasn't set any skill targets yet." in (
        signed_in.get("/skills/").content.decode()
    )


# --- Privacy ------------------------------------------------------------------------------
def test_privacy_choices_are_saved(signed_in, employee):
    response = signed_in.post(
        "/account/profile/privacy/", {"share_skill_levels": "on", "suggest_me_as_teacher": "on"}
    )

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.share_skill_levels
    assert employee.suggest_me_as_teacher


def test_unticked_privacy_boxes_close_my_levels_again(signed_in, employee):
    employee.share_skill_levels = employee.suggest_me_as_teacher = True
    employee.save()

    signed_in.post("/account/profile/privacy/", {})

    employee.refresh_from_db()
    assert not employee.share_skill_levels
    assert not employee.suggest_me_as_teacher


def test_privacy_with_htmx_returns_the_privacy_partial(signed_in, employee):
    response = signed_in.post("/account/profile/privacy/", {"share_skill_levels": "on"}, **HTMX)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "Your privacy choices are saved." in page
    employee.refresh_from_db()
    assert employee.share_skill_levels


def test_privacy_refuses_get_and_anonymous_visitors(client, signed_in):
    assert signed_in.get("/account/profile/privacy/").status_code == 405
    client.logout()
    response = client.post("/account/profile/privacy/", {"share_skill_levels": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- History ------------------------------------------------------------------------------
def test_history_lists_every_assessment_with_source_who_and_when(
    signed_in, employee, lead, other_employee, sql
):
    now = timezone.now()
    rate(employee, sql, 1, at=now - timedelta(days=20))
    rate(employee, sql, 3, source=AssessmentSource.LEAD, by=lead, at=now - timedelta(days=10))
    rate(employee, sql, 4, at=now)
    rate(other_employee, sql, 2)  # someone else's history stays out

    response = signed_in.get("/skills/history/sql/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<time ") == 3
    assert "Leah Okafor" in page
    assert "Team lead" in page
    assert "self, pending verification" in page
    assert "Olu Adeyemi" not in page


def test_history_of_a_skill_never_rated_says_so(signed_in, sql):
    assert "You haven't been assessed in SQL yet." in (
        signed_in.get("/skills/history/sql/").content.decode()
    )


def test_history_of_an_unknown_skill_is_not_found(signed_in):
    assert signed_in.get("/skills/history/no-such-skill/").status_code == 404


def test_history_needs_sign_in_and_get(client, signed_in, sql):
    assert signed_in.post("/skills/history/sql/").status_code == 405
    client.logout()
    assert client.get("/skills/history/sql/").status_code == 302


# --- Another person's levels --------------------------------------------------------------
@pytest.fixture
def eli_rated(employee, sql):
    rate(employee, sql, 3)
    return employee


def person_url(user) -> str:
    return f"/skills/people/{user.pk}/"


@pytest.mark.parametrize("viewer", ["employee", "lead", "ld_staff"])
def test_person_their_lead_and_ld_staff_see_the_levels(client, request, eli_rated, viewer):
    client.force_login(request.getfixturevalue(viewer))

    response = client.get(person_url(eli_rated))

    assert response.status_code == 200
    assert "SQL" in response.content.decode()


def test_lead_of_a_parent_team_sees_the_levels(client, eli_rated, team):
    parent_lead = UserFactory()
    team.parent = TeamFactory(name="Customers", lead=parent_lead)
    team.save()
    client.force_login(parent_lead)

    assert client.get(person_url(eli_rated)).status_code == 200


def test_colleague_is_refused_levels_that_are_not_shared(client, other_employee, eli_rated):
    client.force_login(other_employee)

    response = client.get(person_url(eli_rated))

    assert response.status_code == 403
    assert "Eli Moreno keeps their skill levels private" in response.content.decode()


def test_lead_of_another_team_is_refused(client, eli_rated, other_team):
    other_lead = UserFactory(team=other_team)
    other_team.lead = other_lead
    other_team.save()
    client.force_login(other_lead)

    assert client.get(person_url(eli_rated)).status_code == 403


def test_colleague_sees_levels_that_are_shared(client, other_employee, eli_rated):
    eli_rated.share_skill_levels = True
    eli_rated.save()
    client.force_login(other_employee)

    response = client.get(person_url(eli_rated))

    assert response.status_code == 200
    assert "self-assessed" in response.content.decode()


def test_unknown_or_departed_person_is_not_found(signed_in, other_employee):
    other_employee.is_active = False
    other_employee.save()

    assert signed_in.get(person_url(other_employee)).status_code == 404
    assert signed_in.get("/skills/people/999999/").status_code == 404


def test_person_page_needs_sign_in_and_get(client, signed_in, eli_rated):
    assert signed_in.post(person_url(eli_rated)).status_code == 405
    client.logout()
    assert client.get(person_url(eli_rated)).status_code == 302


# --- Query counts -------------------------------------------------------------------------
def make_skill_world(size: int, employee, team, ld_staff) -> None:
    """``size`` skills my team targets; I, and ``size`` opted-in colleagues, are rated in each."""
    colleagues = UserFactory.create_batch(size, team=team, suggest_me_as_teacher=True)
    for index, skill in enumerate(SkillFactory.create_batch(size)):
        target_set(team=team, skill=skill, target_level=4, priority=Priority.HIGH, by=ld_staff)
        rate(employee, skill, index % 3)
        rate(colleagues[index], skill, 4)


@pytest.mark.parametrize("size", [2, 30])
def test_my_skills_query_count_stays_flat(
    signed_in, employee, team, ld_staff, django_assert_max_num_queries, size
):
    make_skill_world(size, employee, team, ld_staff)

    with django_assert_max_num_queries(11):
        response = signed_in.get("/skills/")

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="gap"') == size


@pytest.mark.parametrize("size", [2, 30])
def test_rating_with_htmx_query_count_stays_flat(
    signed_in, employee, team, ld_staff, django_assert_max_num_queries, size
):
    make_skill_world(size, employee, team, ld_staff)
    skill = SkillFactory()

    with django_assert_max_num_queries(22):
        response = signed_in.post("/skills/rate/", {"skill": skill.pk, "level": 2}, **HTMX)

    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_history_query_count_stays_flat(
    signed_in, employee, lead, sql, django_assert_max_num_queries, size
):
    start = timezone.now() - timedelta(days=size)
    for day in range(size):
        source, by = (AssessmentSource.LEAD, lead) if day % 2 else (AssessmentSource.SELF, None)
        rate(employee, sql, day % 5, source=source, by=by, at=start + timedelta(days=day))

    with django_assert_max_num_queries(7):
        response = signed_in.get("/skills/history/sql/")

    assert response.content.decode().count("<time ") == size


@pytest.mark.parametrize("size", [2, 30])
def test_person_page_query_count_stays_flat(
    client, lead, employee, django_assert_max_num_queries, size
):
    for skill in SkillFactory.create_batch(size):
        rate(employee, skill, 2)
    client.force_login(lead)

    with django_assert_max_num_queries(9):
        response = client.get(person_url(employee))

    assert response.status_code == 200
    assert response.content.decode().count('<tr data-skill="') == size


def test_colleagues_who_keep_levels_private_are_listed_without_their_level(signed_in, gaps):
    page = signed_in.get("/skills/").content.decode()
    helper = gaps["helper"]
    start = page.index(str(helper))
    entry = page[start : page.index("</li>", start)]

    assert "can teach it" in entry
    assert "level " not in entry
