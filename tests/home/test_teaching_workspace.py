"""A trainer's workspace: on the home page in short, on /teaching/ in full, reached from
the navigation's "Teaching"."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ..factories import CertificationFactory, TrainingSessionFactory, co_trainer
from .test_learner_home import home, section

pytestmark = pytest.mark.django_db


def skill_of(trainer):
    return trainer.trainer_profile.certifications.order_by("pk").first().skill


def taught(trainer, title, *, days, hours=0, **fields):
    return TrainingSessionFactory(
        title=title,
        lead_trainer=trainer,
        skill=skill_of(trainer),
        starts_at=timezone.now() + timedelta(days=days, hours=hours),
        **fields,
    )


def test_next_sessions_come_soonest_first_with_the_propose_action(client, trainer):
    taught(trainer, "In three weeks", days=21)
    taught(trainer, "Next week", days=7)
    taught(trainer, "In two weeks", days=14)

    panel = section(home(client, trainer), "teaching-next")
    page = home(client, trainer)

    assert re.findall(r">(In three weeks|Next week|In two weeks)<", panel) == [
        "Next week",
        "In two weeks",
        "In three weeks",
    ]
    assert 'href="/sessions/new/"' in section(page, "trainer-panel")
    assert 'href="/teaching/"' in page


def test_todays_session_links_to_its_attendance(client, trainer):
    today = taught(trainer, "Running soon", days=0, hours=0)
    today.starts_at = timezone.now() - timedelta(minutes=5)
    today.save()

    panel = section(home(client, trainer), "teaching-today")

    assert "Running soon" in panel
    assert f'href="/sessions/{today.pk}/attendance/"' in panel


def test_drafts_sessions_to_wrap_up_and_invitations_are_listed(client, trainer, other_trainer):
    taught(trainer, "Half-written", days=10, status="draft")
    ended = taught(trainer, "Held yesterday", days=-1)
    ended.ends_at = ended.starts_at + timedelta(hours=1)
    ended.save()
    elsewhere = TrainingSessionFactory(title="Asked to help", lead_trainer=other_trainer)
    co_trainer(elsewhere, user=trainer, accept=False)

    page = home(client, trainer)

    assert "Half-written" in section(page, "teaching-drafts")
    assert f'href="/sessions/{ended.pk}/attendance/"' in section(page, "teaching-wrap-up")
    assert "Asked to help" in section(page, "home-invitations")


def test_only_my_sessions_are_in_my_workspace(client, trainer, other_trainer):
    mine = taught(trainer, "Mine", days=3)
    TrainingSessionFactory(title="Someone else's", lead_trainer=other_trainer)
    co_taught = TrainingSessionFactory(title="We teach it together", lead_trainer=other_trainer)
    co_trainer(co_taught, user=trainer)

    client.force_login(trainer)
    page = client.get("/teaching/").content.decode()

    assert mine.title in page
    assert "We teach it together" in page
    assert "Someone else&#x27;s" not in page


def test_a_trainer_with_nothing_scheduled_is_told_to_propose_one(client, trainer):
    panel = section(home(client, trainer), "teaching-next")

    assert "Nothing scheduled. Propose a session" in panel


def test_the_workspace_page_lists_what_they_can_teach_and_the_propose_action(client, trainer):
    client.force_login(trainer)

    response = client.get("/teaching/")

    assert response.status_code == 200
    page = response.content.decode()
    assert skill_of(trainer).name in section(page, "workspace-certifications")
    assert 'href="/sessions/new/"' in page
    assert 'href="/trainers/me/"' in page


@pytest.mark.parametrize("path", ["/teaching/", "/trainers/me/"])
def test_teaching_in_the_navigation_leads_to_the_workspace_and_covers_the_profile(
    client, trainer, path
):
    client.force_login(trainer)

    page = client.get(path).content.decode()

    nav = re.search(r'data-testid="main-nav">(.*?)</ul>', page, re.S).group(1)
    active = re.findall(r'class="nav-link active"[^>]*>([^<]+)</a>', nav)
    assert active == ["Teaching"]
    assert re.search(r'href="/teaching/"[^>]*>Teaching</a>', nav)


@pytest.mark.parametrize("person", ["employee", "lead", "ld_staff"])
def test_people_certified_in_nothing_are_refused_the_workspace(client, request, person):
    client.force_login(request.getfixturevalue(person))

    assert client.get("/teaching/").status_code == 403


def test_the_workspace_needs_sign_in_and_refuses_post(client, trainer):
    assert client.get("/teaching/").status_code == 302
    client.force_login(trainer)
    assert client.post("/teaching/").status_code == 405


@pytest.mark.parametrize("size", [1, 15])
def test_the_workspace_query_count_stays_flat(client, trainer, django_assert_max_num_queries, size):
    for day in range(size):
        taught(trainer, f"Session {day}", days=day + 1)
        taught(trainer, f"Draft {day}", days=day + 1, status="draft")
        co_trainer(TrainingSessionFactory(skill=skill_of(trainer)), user=trainer, accept=False)
        CertificationFactory(trainer=trainer.trainer_profile)
    client.force_login(trainer)

    with django_assert_max_num_queries(10):
        assert client.get("/teaching/").status_code == 200
