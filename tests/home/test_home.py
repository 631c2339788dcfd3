import re
from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.notifications.models import Notification
from programmes.models import AssessmentSource
from programmes.services import assessment_record, target_set
from sessions.services.booking import booking_create
from sessions.services.demand import interest_register
from trainers.services_nominations import nomination_make

from ..factories import (
    CertificationFactory,
    SkillFactory,
    TeamFactory,
    TrainingSessionFactory,
    UserFactory,
    co_trainer,
)

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


PANELS = ["learner-panel", "trainer-panel", "lead-panel", "ld-panel"]


@pytest.mark.parametrize(
    ("person", "shown"),
    [
        ("employee", {"learner-panel"}),
        ("trainer", {"learner-panel", "trainer-panel"}),
        ("lead", {"learner-panel", "lead-panel"}),
        ("ld_staff", {"learner-panel", "ld-panel"}),
    ],
)
def test_home_shows_each_role_its_own_parts_only(client, request, person, shown):
    client.force_login(request.getfixturevalue(person))

    page = client.get("/").content.decode()

    assert {panel for panel in PANELS if f'data-testid="{panel}"' in page} == shown


def test_home_requires_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_refuses_post(client, employee):
    client.force_login(employee)

    assert client.post("/").status_code == 405


def make_organisation(size: int, *, lead, employee, trainer, ld_staff) -> None:
    """An organisation that grows with ``size`` in everything the homes read: teams and
    people, skills and targets, sessions and bookings (seats and waitlists), drafts,
    invitations to co-teach, wishes to learn, nominations and unsent messages."""
    teams = [employee.team, *TeamFactory.create_batch(size)]
    for team in teams:
        UserFactory.create_batch(3, team=team)
    skills = SkillFactory.create_batch(size)
    for index, skill in enumerate(skills):
        CertificationFactory(skill=skill)
        target_set(team=employee.team, skill=skill, target_level=3, priority=1, by=ld_staff)
        assessment_record(
            user=lead, skill=skill, level=3, source=AssessmentSource.SELF, assessed_by=lead
        )
        session = TrainingSessionFactory(skill=skill, capacity=1, lead_trainer=trainer)
        TrainingSessionFactory(skill=skill, lead_trainer=trainer, status="draft")
        booking_create(session=session, user=UserFactory())
        booking_create(session=session, user=employee)  # full: a waitlist place
        co_trainer(TrainingSessionFactory(skill=skill), user=trainer, accept=index % 2 == 0)
        interest_register(user=employee, skill=SkillFactory())
        nomination_make(nominee=UserFactory(), skill=skill, nominated_by=lead, reason="Knows it.")
        Notification.objects.create(
            recipient=employee,
            address=employee.email,
            kind="test.message",
            unique_key=f"test-{size}-{index}",
            subject="Hello",
            body="Hello",
            attempts=index % 3 * 8,
            next_attempt_at=timezone.now() - timedelta(hours=index),
        )


# The session, the user and their roles, then each part of the home the role sees: a
# fixed number of queries each, whatever the organisation's size.
HOME_QUERIES = {"employee": 12, "trainer": 16, "lead": 20, "ld_staff": 22}


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize("person", list(HOME_QUERIES))
def test_home_query_count_stays_flat(
    client, request, django_assert_max_num_queries, person, size, lead, employee, trainer, ld_staff
):
    make_organisation(size, lead=lead, employee=employee, trainer=trainer, ld_staff=ld_staff)
    client.force_login(request.getfixturevalue(person))

    with django_assert_max_num_queries(HOME_QUERIES[person]):
        assert client.get("/").status_code == 200
