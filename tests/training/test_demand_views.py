""" "I want to learn this" and the L&D demand page, through the views."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.models import LearningInterest
from sessions.services.demand import interest_register

from ..factories import SkillFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def skill(db):
    return SkillFactory(name="Negotiation")


def interest_url(skill):
    return f"/sessions/interest/{skill.pk}/"


def withdraw_url(skill):
    return f"/sessions/interest/{skill.pk}/withdraw/"


# --- Saying "I want to learn this" ------------------------------------------------------
def test_employee_registers_interest_and_goes_back(client, employee, skill):
    client.force_login(employee)
    back = f"/sessions/?skill={skill.pk}"

    response = client.post(interest_url(skill), {"next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    assert LearningInterest.objects.filter(user=employee, skill=skill).exists()
    page = client.get("/sessions/wanted/").content.decode()
    assert "you&#x27;ll hear first when a session on Negotiation is published" in page


def test_htmx_register_returns_the_button_in_its_new_state(client, employee, skill):
    client.force_login(employee)

    response = client.post(interest_url(skill), headers=HTMX)

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "data-want-to-learn" in fragment
    assert "You asked for this" in fragment
    assert f'action="/sessions/interest/{skill.pk}/withdraw/"' in fragment


def test_registering_twice_keeps_one_interest(client, employee, skill):
    client.force_login(employee)
    client.post(interest_url(skill))

    response = client.post(interest_url(skill), headers=HTMX)

    assert "already on the list" in response.content.decode()
    assert LearningInterest.objects.filter(user=employee).count() == 1


def test_withdrawing_removes_only_my_interest(client, employee, other_employee, skill):
    interest_register(user=employee, skill=skill)
    interest_register(user=other_employee, skill=skill)
    client.force_login(employee)

    response = client.post(withdraw_url(skill), headers=HTMX)

    assert response.status_code == 200
    assert 'I want to learn this<span class="visually-hidden">: Negotiation' in (
        response.content.decode()
    )
    assert list(LearningInterest.objects.values_list("user", flat=True)) == [other_employee.pk]


def test_withdrawing_what_i_never_asked_for_changes_nothing(client, employee, skill):
    client.force_login(employee)

    response = client.post(withdraw_url(skill))

    assert response.status_code == 302
    assert response["Location"] == "/sessions/wanted/"
    assert "nothing changed" in client.get("/sessions/wanted/").content.decode()


def test_next_may_not_leave_the_site(client, employee, skill):
    client.force_login(employee)

    response = client.post(interest_url(skill), {"next": "https://evil.example/"})

    assert response["Location"] == "/sessions/wanted/"


def test_unknown_skill_is_404_and_nothing_saved(client, employee):
    client.force_login(employee)

    assert client.post("/sessions/interest/999999/").status_code == 404
    assert client.post("/sessions/interest/999999/withdraw/").status_code == 404
    assert client.get("/sessions/interest/999999/button/").status_code == 404
    assert not LearningInterest.objects.exists()


def test_wrong_methods_are_refused(client, employee, skill):
    client.force_login(employee)

    assert client.get(interest_url(skill)).status_code == 405
    assert client.get(withdraw_url(skill)).status_code == 405
    assert client.post(f"/sessions/interest/{skill.pk}/button/").status_code == 405
    assert client.post("/sessions/wanted/").status_code == 405
    assert not LearningInterest.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, skill):
    response = client.post(interest_url(skill))

    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/sessions/wanted/")["Location"].startswith("/accounts/login/")
    assert client.get("/sessions/demand/")["Location"].startswith("/accounts/login/")
    assert not LearningInterest.objects.exists()


def test_the_button_state_endpoint_knows_whether_i_asked(client, employee, skill):
    client.force_login(employee)
    assert (
        "I want to learn" in client.get(f"/sessions/interest/{skill.pk}/button/").content.decode()
    )

    interest_register(user=employee, skill=skill)

    state = client.get(f"/sessions/interest/{skill.pk}/button/", headers=HTMX).content.decode()
    assert "You asked for this" in state


# --- My list ----------------------------------------------------------------------------
def test_wanted_lists_my_interests_only_with_the_next_session(client, employee, other_employee):
    wanted, scheduled, theirs = SkillFactory.create_batch(3)
    interest_register(user=employee, skill=wanted)
    interest_register(user=employee, skill=scheduled)
    interest_register(user=other_employee, skill=theirs)
    TrainingSessionFactory(skill=scheduled)
    client.force_login(employee)

    response = client.get("/sessions/wanted/")

    page = response.content.decode()
    assert response.status_code == 200
    assert wanted.name in page
    assert scheduled.name in page
    assert theirs.name not in page
    assert page.count('data-testid="wanted-row"') == 2
    assert "No session scheduled yet." in page
    assert f"?skill={scheduled.pk}" in page


def test_wanted_is_empty_at_first(client, employee):
    client.force_login(employee)

    assert 'data-testid="wanted-empty"' in client.get("/sessions/wanted/").content.decode()


# --- L&D demand -------------------------------------------------------------------------
def test_ld_staff_see_demand_per_skill_most_wanted_first(client, ld_staff):
    popular, niche, scheduled = (SkillFactory(name=name) for name in ("Popular", "Niche", "Booked"))
    for person in UserFactory.create_batch(3):
        interest_register(user=person, skill=popular)
    interest_register(user=UserFactory(), skill=niche)
    told, _ = interest_register(user=UserFactory(), skill=scheduled)
    told.last_told_at = timezone.now() - timedelta(days=2)
    told.save(update_fields=["last_told_at"])
    TrainingSessionFactory(skill=scheduled)
    client.force_login(ld_staff)

    response = client.get("/sessions/demand/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Popular") < page.index("Niche")
    assert page.index("Popular") < page.index("Booked")
    rows = page.split('data-testid="demand-row"')[1:]
    popular_row = next(row for row in rows if "Popular" in row)
    assert '<td class="text-end">3</td>' in popular_row
    assert "None scheduled" in popular_row
    booked_row = next(row for row in rows if "Booked" in row)
    assert "None scheduled" not in booked_row
    assert "Never" not in booked_row


def test_inactive_people_do_not_count_as_demand(client, ld_staff, skill):
    interest_register(user=UserFactory(is_active=False), skill=skill)
    client.force_login(ld_staff)

    assert 'data-testid="demand-empty"' in client.get("/sessions/demand/").content.decode()


@pytest.mark.parametrize("who", ["employee", "trainer", "lead"])
def test_only_ld_staff_see_demand(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/sessions/demand/").status_code == 403


def test_demand_page_refuses_post(client, ld_staff):
    client.force_login(ld_staff)

    assert client.post("/sessions/demand/").status_code == 405


# --- Query budgets ----------------------------------------------------------------------
@pytest.mark.parametrize("skills", [1, 30])
def test_demand_page_query_count_is_flat(client, ld_staff, data_query_budget, skills):
    people = UserFactory.create_batch(3)
    for skill in SkillFactory.create_batch(skills):
        TrainingSessionFactory(skill=skill)
        for person in people:
            interest_register(user=person, skill=skill)
    client.force_login(ld_staff)

    # django session, user, "is this L&D staff?", roles (navigation), the demand table
    with data_query_budget(5):
        response = client.get("/sessions/demand/")
    assert response.content.decode().count('data-testid="demand-row"') == skills


@pytest.mark.parametrize("skills", [1, 30])
def test_wanted_page_query_count_is_flat(client, employee, data_query_budget, skills):
    for skill in SkillFactory.create_batch(skills):
        interest_register(user=employee, skill=skill)
        TrainingSessionFactory(skill=skill)
    client.force_login(employee)

    # django session, user, roles (navigation), my interests with their next session
    with data_query_budget(4):
        response = client.get("/sessions/wanted/")
    assert response.content.decode().count('data-testid="wanted-row"') == skills
