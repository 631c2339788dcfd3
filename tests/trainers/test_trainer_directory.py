"""/trainers/: the directory of who can teach what today, and (for L&D) who is on the way."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from peertrain.core.ports import provide, provider_of, withdraw
from portal.home.navigation import active_nav_url, navigation_for
from sessions.models import TrainingSession
from trainers.models import TrainerProfile

from ..factories import (
    CertificationFactory,
    SkillFactory,
    TeamFactory,
    TrainerProfileFactory,
    TrainingSessionFactory,
    UserFactory,
    co_trainer,
)

pytestmark = pytest.mark.django_db
URL = "/trainers/"


def certify(name: str, *skills, **profile) -> TrainerProfile:
    """A trainer called ``name``, certified (validly, unless told) in each of ``skills``."""
    trainer = TrainerProfileFactory(user__display_name=name, **profile)
    for skill in skills:
        CertificationFactory(trainer=trainer, skill=skill)
    return trainer


def expire(trainer: TrainerProfile, skill) -> None:
    issued = timezone.now() - timedelta(days=400)
    CertificationFactory(
        trainer=trainer, skill=skill, issued_at=issued, expires_at=issued + timedelta(days=365)
    )


def card_names(response) -> list[str]:
    return re.findall(r'<h3 class="h6 card-title[^>]*>([^<]+)</h3>', response.content.decode())


def card_of(response, name: str) -> str:
    for card in response.content.decode().split('data-testid="trainer-card"')[1:]:
        if f">{name}</h3>" in card:
            return card
    raise AssertionError(f"no card for {name}")


# --- who may use it -----------------------------------------------------------------------
def test_anonymous_visitor_is_asked_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_post_is_refused(client, employee):
    client.force_login(employee)

    assert client.post(URL).status_code == 405


# --- what employees see -------------------------------------------------------------------
def test_employee_sees_a_trainer_with_name_team_job_bio_and_skills(client, employee):
    python = SkillFactory(name="Python")
    trainer = certify("Ada Byron", python, bio="Ask me about testing.")
    trainer.user.job_title = "Backend developer"
    trainer.user.team = TeamFactory(name="Platform")
    trainer.user.save()
    client.force_login(employee)

    response = client.get(URL)

    assert response.status_code == 200
    card = card_of(response, "Ada Byron")
    assert "Backend developer" in card
    assert "Platform" in card
    assert "Ask me about testing." in card
    assert f'href="/sessions/?skill={python.pk}"' in card
    assert "Python</a>" in card


def ran(session: TrainingSession, status: str = "completed") -> TrainingSession:
    """``session`` moved a month into the past with ``status``."""
    starts_at = timezone.now() - timedelta(days=30)
    TrainingSession.objects.filter(pk=session.pk).update(
        status=status, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    return session


def test_each_trainer_shows_the_completed_sessions_they_led_or_co_taught(client, employee):
    python = SkillFactory(name="Python")
    ada = certify("Ada Byron", python).user
    certify("Bob Idle", python)
    for _ in range(2):
        ran(TrainingSessionFactory(skill=python, lead_trainer=ada))
    ran(TrainingSessionFactory(skill=python, lead_trainer=ada), status="cancelled")
    TrainingSessionFactory(skill=python, lead_trainer=ada)  # upcoming: not run yet
    co_taught = TrainingSessionFactory(skill=python)
    co_trainer(co_taught, ada)
    ran(co_taught)
    only_invited = TrainingSessionFactory(skill=python)
    co_trainer(only_invited, ada, accept=False)
    ran(only_invited)
    client.force_login(employee)

    response = client.get(URL)

    assert "3 sessions run" in card_of(response, "Ada Byron")
    assert "No sessions run yet" in card_of(response, "Bob Idle")


def test_without_the_sessions_app_nobody_has_run_a_session(client, employee):
    ada = certify("Ada Byron", SkillFactory()).user
    ran(TrainingSessionFactory(lead_trainer=ada))
    provider = provider_of("trainers.sessions_run")
    withdraw("trainers.sessions_run")
    client.force_login(employee)
    try:
        response = client.get(URL)
    finally:
        provide("trainers.sessions_run", provider)

    assert "No sessions run yet" in card_of(response, "Ada Byron")


def test_only_valid_certifications_are_listed_as_skills(client, employee):
    python, excel = SkillFactory(name="Python"), SkillFactory(name="Excel")
    trainer = certify("Ada Byron", python)
    expire(trainer, excel)
    client.force_login(employee)

    card = card_of(client.get(URL), "Ada Byron")

    assert "Python</a>" in card
    assert "Excel" not in card


def test_people_who_cannot_teach_today_are_not_listed(client, employee):
    python, excel = SkillFactory(name="Python"), SkillFactory(name="Excel")
    certify("Ada Byron", python)
    certify("Paul Paused", python, status=TrainerProfile.Status.PAUSED)
    certify("Nina Nominated", status=TrainerProfile.Status.NOMINATED)
    certify("Ian Training", python, status=TrainerProfile.Status.IN_TRAINING)
    gone = certify("Gus Gone", python)
    gone.user.is_active = False
    gone.user.save()
    expire(certify("Eve Expired"), excel)
    client.force_login(employee)

    response = client.get(URL)

    assert card_names(response) == ["Ada Byron"]
    assert 'data-testid="pipeline"' not in response.content.decode()


def test_trainers_are_ordered_by_name(client, employee):
    skill = SkillFactory()
    for name in ["Zoe Zhang", "Ada Byron", "Milo Park"]:
        certify(name, skill)
    client.force_login(employee)

    assert card_names(client.get(URL)) == ["Ada Byron", "Milo Park", "Zoe Zhang"]


def test_nobody_certified_yet_shows_a_helpful_sentence(client, employee):
    client.force_login(employee)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nobody is certified to teach yet" in page
    assert '<a href="/trainers/nominate/">Nominate them</a>' in page
    assert "/skills/gaps/" not in page


def test_ld_staff_empty_state_points_to_the_gap_list(client, ld_staff):
    client.force_login(ld_staff)

    page = client.get(URL).content.decode()

    assert "Nobody is certified to teach yet" in page
    assert 'href="/skills/gaps/"' in page


# --- the skill filter ---------------------------------------------------------------------
def test_skill_filter_shows_only_trainers_certified_in_it(client, employee):
    python, excel = SkillFactory(name="Python"), SkillFactory(name="Excel")
    certify("Ada Byron", python, excel)
    certify("Milo Park", excel)
    expire(certify("Zoe Zhang", excel), python)
    client.force_login(employee)

    response = client.get(URL, {"skill": python.pk})

    assert response.status_code == 200
    assert card_names(response) == ["Ada Byron"]
    # Their other skills still show.
    assert "Excel</a>" in card_of(response, "Ada Byron")


def test_filter_offers_skills_that_have_trainers_with_counts(client, employee):
    python, excel, unused = SkillFactory(name="Python"), SkillFactory(name="Excel"), SkillFactory()
    certify("Ada Byron", python, excel)
    certify("Milo Park", excel)
    certify("Paul Paused", python, status=TrainerProfile.Status.PAUSED)
    gone = certify("Gus Gone", python)
    gone.user.is_active = False
    gone.user.save()
    client.force_login(employee)

    page = client.get(URL).content.decode()

    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', page)
    assert options == [
        ("", "Any skill"),
        (str(excel.pk), "Excel (2 trainers)"),
        (str(python.pk), "Python (1 trainer)"),
    ]
    assert unused.name not in page


def test_a_skill_nobody_teaches_yet_says_so(client, employee):
    certify("Ada Byron", SkillFactory())
    lonely = SkillFactory(name="Negotiation")
    client.force_login(employee)

    response = client.get(URL, {"skill": lonely.pk})

    assert response.status_code == 200
    assert card_names(response) == []
    assert "Nobody is certified to teach Negotiation yet" in response.content.decode()


def test_blank_skill_means_no_filter(client, employee):
    certify("Ada Byron", SkillFactory())
    client.force_login(employee)

    response = client.get(URL, {"skill": ""})

    assert response.status_code == 200
    assert card_names(response) == ["Ada Byron"]


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", "99999999999999999999", "424242"])
def test_bad_skill_filter_is_a_400_with_a_message(client, employee, value):
    certify("Ada Byron", SkillFactory())
    client.force_login(employee)

    response = client.get(URL, {"skill": value})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="filter-error"' in page
    assert "Choose one from the list" in page
    assert card_names(response) == []


# --- "On the way", for L&D staff only ------------------------------------------------------
def test_ld_staff_see_who_is_on_the_way(client, ld_staff, trainer):
    nominator = UserFactory(display_name="Nora Nominator")
    nominated = certify("Nina Nominated", status=TrainerProfile.Status.NOMINATED)
    nominated.nominated_by = nominator
    nominated.save()
    paused = certify("Paul Paused", SkillFactory(), status=TrainerProfile.Status.PAUSED)
    expired = certify("Eve Expired")
    expire(expired, SkillFactory())
    gone = certify("Gus Gone", status=TrainerProfile.Status.CANDIDATE)
    gone.user.is_active = False
    gone.user.save()
    client.force_login(ld_staff)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    section = page.split('data-testid="pipeline"')[1]
    rows = section.split('data-testid="pipeline-row"')[1:]
    assert [re.search(r'fw-semibold">([^<]+)<', row).group(1) for row in rows] == [
        "Eve Expired",
        "Nina Nominated",
        "Paul Paused",
    ]
    assert "Nominated" in rows[1]
    assert "Nora Nominator" in rows[1]
    assert nominated.created_at.strftime("%-d %b %Y") in rows[1]
    assert f'href="/admin/trainers/trainerprofile/{nominated.pk}/change/"' in rows[1]
    assert "no valid certification" in rows[0]
    assert f'href="/admin/trainers/trainerprofile/{paused.pk}/change/"' in rows[2]
    # The certified trainer is in the directory, not on the way.
    assert card_names(response) == [str(trainer)]


def test_a_long_pipeline_is_capped_with_a_link_to_the_admin(client, ld_staff, monkeypatch):
    monkeypatch.setattr("trainers.selectors.PIPELINE_LIMIT", 2)
    for name in ["Ann", "Bob", "Cat"]:
        certify(name, status=TrainerProfile.Status.CANDIDATE)
    client.force_login(ld_staff)

    page = client.get(URL).content.decode()

    assert page.count('data-testid="pipeline-row"') == 2
    assert "Cat" not in page
    assert 'href="/admin/trainers/trainerprofile/"' in page


@pytest.mark.parametrize("person", ["employee", "trainer", "lead"])
def test_nobody_else_sees_the_pipeline(client, request, person):
    certify("Nina Nominated", status=TrainerProfile.Status.NOMINATED)
    client.force_login(request.getfixturevalue(person))

    page = client.get(URL).content.decode()

    assert 'data-testid="pipeline"' not in page
    assert "On the way" not in page
    assert "Nina Nominated" not in page
    assert "/admin/" not in page


def test_staff_outside_the_ld_group_do_not_see_the_pipeline(client, employee):
    employee.is_staff = True
    employee.save()
    certify("Nina Nominated", status=TrainerProfile.Status.NOMINATED)
    client.force_login(employee)

    assert "Nina Nominated" not in client.get(URL).content.decode()


# --- paging and query count ---------------------------------------------------------------
def test_more_than_fifty_trainers_are_paged(client, employee):
    skill = SkillFactory()
    for number in range(51):
        certify(f"Trainer {number:02}", skill)
    client.force_login(employee)

    first = client.get(URL, {"skill": skill.pk})
    second = client.get(URL, {"skill": skill.pk, "page": 2})

    assert len(card_names(first)) == 50
    assert f'href="?skill={skill.pk}&amp;page=2"' in first.content.decode()
    assert card_names(second) == ["Trainer 50"]
    assert f'href="?skill={skill.pk}&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize("page", ["x", "-1", "99999999999999999999"])
def test_malformed_page_numbers_do_no_harm(client, employee, page):
    certify("Ada Byron", SkillFactory())
    client.force_login(employee)

    response = client.get(URL, {"page": page})

    assert response.status_code == 200


def test_a_page_past_the_end_says_so(client, employee):
    certify("Ada Byron", SkillFactory())
    client.force_login(employee)

    response = client.get(URL, {"page": 3})

    assert response.status_code == 200
    assert "No trainers on this page" in response.content.decode()


def make_trainers(count: int) -> list:
    """``count`` trainers, each validly certified in three skills and expired in one, with a
    team; and as many people on the way. Returns the skills; everyone teaches the third."""
    skills = SkillFactory.create_batch(5)
    for number in range(count):
        trainer = certify(f"Trainer {number:02}", *skills[number % 2 : number % 2 + 3])
        trainer.user.team = TeamFactory()
        trainer.user.save()
        expire(trainer, skills[4])
        ran(TrainingSessionFactory(skill=skills[2], lead_trainer=trainer.user))
        TrainerProfileFactory(status=TrainerProfile.Status.NOMINATED, nominated_by=trainer.user)
    return skills


# session + user + (L&D group) + skill choices + trainers + their certifications
# + "I want to learn this" for the skills shown + sessions each ran + (L&D: the pipeline)
# + the navigation's roles
QUERY_BUDGET = {"employee": 8, "ld_staff": 10}


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("person", ["employee", "ld_staff"])
@pytest.mark.parametrize("filtered", [False, True])
def test_query_count_stays_flat(
    client, request, django_assert_max_num_queries, person, size, filtered
):
    skills = make_trainers(size)
    client.force_login(request.getfixturevalue(person))
    params = {"skill": skills[2].pk}

    with django_assert_max_num_queries(QUERY_BUDGET[person]):
        response = client.get(URL, params if filtered else {})

    assert response.status_code == 200
    assert len(card_names(response)) == size


# --- navigation ---------------------------------------------------------------------------
def nav_links(response) -> dict[str, bool]:
    nav = re.search(r'data-testid="main-nav">(.*?)</ul>', response.content.decode(), re.S)
    links = re.findall(r'class="nav-link( active)?"[^>]*>([^<]+)</a>', nav.group(1))
    return {label: bool(active) for active, label in links}


def test_every_employee_gets_a_trainers_link_active_on_the_directory(client, employee):
    client.force_login(employee)

    links = nav_links(client.get(URL))

    assert links["Trainers"] is True
    assert [label for label, active in links.items() if active] == ["Trainers"]


def test_on_my_trainer_profile_only_teaching_is_active(client, trainer):
    client.force_login(trainer)

    links = nav_links(client.get("/trainers/me/"))

    assert links["Trainers"] is False
    assert [label for label, active in links.items() if active] == ["Teaching"]


def test_navigation_marks_only_the_most_specific_entry(rf: RequestFactory, ld_staff):
    request = rf.get("/skills/gaps/")
    request.user = ld_staff

    active = [link.label for link in navigation_for(request) if link.active]

    assert active == ["Gaps"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "/"),
        ("/trainers/", "/trainers/"),
        ("/trainers/me/", "/trainers/me/"),
        ("/trainers/assess/", "/trainers/"),
        ("/sessions/12/", "/sessions/"),
        ("/healthz", None),
    ],
)
def test_active_nav_url_prefers_the_longest_match(path, expected):
    urls = ["/", "/sessions/", "/trainers/", "/trainers/me/"]

    assert active_nav_url(path, urls) == expected
