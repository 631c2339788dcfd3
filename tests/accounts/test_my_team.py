import pytest

from ..factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_lead_sees_the_members_of_their_team(client, lead, employee, other_employee):
    client.force_login(lead)

    response = client.get("/team/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Eli Moreno" in page
    assert "Olu Adeyemi" not in page  # another team's member


def test_employee_who_leads_no_team_is_refused(client, employee):
    client.force_login(employee)

    assert client.get("/team/").status_code == 403


def test_anonymous_visitor_is_asked_to_sign_in(client):
    response = client.get("/team/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_team_page_refuses_post(client, lead):
    client.force_login(lead)

    assert client.post("/team/").status_code == 405


@pytest.mark.parametrize("members", [2, 40])
def test_team_page_query_count_stays_flat(client, lead, django_assert_max_num_queries, members):
    UserFactory.create_batch(members, team=lead.team)
    TeamFactory(lead=lead)  # a second team led by the same person
    client.force_login(lead)

    with django_assert_max_num_queries(8):
        response = client.get("/team/")

    assert response.status_code == 200
