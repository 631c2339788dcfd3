import re

import pytest

from ..factories import CertificationFactory, SkillFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
EVERYONE = ["Home", "Sessions", "My skills", "Programmes", "Trainers"]


def nav_labels(response) -> list[str]:
    nav = re.search(r'data-testid="main-nav">(.*?)</ul>', response.content.decode(), re.S)
    return re.findall(r'class="nav-link[^"]*"[^>]*>([^<]+)</a>', nav.group(1))


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("employee", EVERYONE),
        ("trainer", [*EVERYONE, "Teaching"]),
        ("lead", [*EVERYONE, "My team", "Skills matrix"]),
        ("ld_staff", [*EVERYONE, "Skills matrix", "Gaps", "Demand", "Admin"]),
    ],
)
def test_each_role_sees_its_own_navigation(client, request, person, expected):
    client.force_login(request.getfixturevalue(person))

    response = client.get("/")

    assert response.status_code == 200
    assert nav_labels(response) == expected


def test_paused_or_expired_trainers_lose_the_teaching_link(client, trainer):
    profile = trainer.trainer_profile
    profile.status = profile.Status.PAUSED
    profile.save()
    client.force_login(trainer)

    assert nav_labels(client.get("/")) == EVERYONE


def test_staff_outside_the_ld_group_get_no_admin_link(client, employee):
    employee.is_staff = True
    employee.save()
    client.force_login(employee)

    assert nav_labels(client.get("/")) == EVERYONE


def test_home_shows_each_role_its_panels(client, ld_staff, trainer, lead):
    client.force_login(ld_staff)
    assert 'data-testid="ld-panel"' in client.get("/").content.decode()
    client.force_login(trainer)
    assert 'data-testid="trainer-panel"' in client.get("/").content.decode()
    client.force_login(lead)
    page = client.get("/").content.decode()
    assert 'data-testid="lead-panel"' in page
    assert 'data-testid="ld-panel"' not in page


def test_home_requires_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_refuses_post(client, employee):
    client.force_login(employee)

    assert client.post("/").status_code == 405


def make_organisation(size: int) -> None:
    teams = TeamFactory.create_batch(size)
    for team in teams:
        UserFactory.create_batch(3, team=team)
    skills = SkillFactory.create_batch(size)
    for skill in skills:
        CertificationFactory(skill=skill)


@pytest.mark.parametrize("size", [1, 25])
@pytest.mark.parametrize("person", ["employee", "trainer", "lead", "ld_staff"])
def test_home_query_count_stays_flat(client, request, django_assert_max_num_queries, person, size):
    user = request.getfixturevalue(person)
    make_organisation(size)
    client.force_login(user)

    # session + user + roles + the role's panels, whatever the organisation's size
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
