""" "I want to learn this" wherever a skill has no upcoming session: my gaps, the home, the
session list filtered to a skill and the trainer directory, all with the one partial
``training/_want_to_learn.html`` and one toggle (a plain POST form, or htmx)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.core.ports import provide, withdraw
from programmes.models import AssessmentSource
from programmes.ports import LEARNING_OFFERS
from programmes.services import assessment_record, target_set
from sessions.models import LearningInterest
from sessions.selectors_demand import learning_offers
from sessions.services.demand import interest_register

from ..factories import CertificationFactory, SkillFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

# Each page that offers the action, and where it sends a plain POST back to.
PAGES = {
    "my gaps": lambda skill: "/skills/",
    "home": lambda skill: "/",
    "session list": lambda skill: f"/sessions/?skill={skill.pk}",
    "trainer directory": lambda skill: "/trainers/",
    "trainer directory, by skill": lambda skill: f"/trainers/?skill={skill.pk}",
}


@pytest.fixture
def skill(employee, ld_staff):
    """A skill employee's team needs (a gap), that a certified trainer teaches."""
    skill = SkillFactory(name="Negotiation")
    target_set(team=employee.team, skill=skill, target_level=3, priority=3, by=ld_staff)
    assessment_record(
        user=employee, skill=skill, level=1, source=AssessmentSource.SELF, assessed_by=employee
    )
    CertificationFactory(skill=skill)
    return skill


def schedule(skill, kind: str) -> None:
    """A session for ``skill`` of ``kind``; only "published" is an upcoming session."""
    teacher = skill.certifications.first().trainer.user
    starts = timezone.now() + timedelta(days=7)
    if kind == "past":
        starts = timezone.now() - timedelta(days=7)
    status = {"draft": "draft", "cancelled": "cancelled"}.get(kind, "published")
    TrainingSessionFactory(skill=skill, lead_trainer=teacher, starts_at=starts, status=status)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def register_actions(html: str, skill) -> int:
    return html.count(f'action="/sessions/interest/{skill.pk}/"')


def withdraw_actions(html: str, skill) -> int:
    return html.count(f'action="/sessions/interest/{skill.pk}/withdraw/"')


# --- Where it is offered ---------------------------------------------------------------
@pytest.mark.parametrize("where", list(PAGES))
@pytest.mark.parametrize("kind", ["none", "draft", "past", "cancelled"])
def test_offered_once_where_no_upcoming_published_session_teaches_the_skill(
    client, employee, skill, where, kind
):
    if kind != "none":
        schedule(skill, kind)
    client.force_login(employee)

    html = page(client, PAGES[where](skill))

    assert register_actions(html, skill) == 1
    assert "I want to learn this" in html
    assert withdraw_actions(html, skill) == 0


@pytest.mark.parametrize("where", list(PAGES))
def test_absent_where_an_upcoming_session_exists(client, employee, skill, where):
    schedule(skill, "published")
    interest_register(user=employee, skill=skill)  # asked earlier: still nothing to show
    client.force_login(employee)

    html = page(client, PAGES[where](skill))

    assert register_actions(html, skill) == withdraw_actions(html, skill) == 0
    assert "I want to learn this" not in html


def test_the_session_list_offers_nothing_when_other_filters_hide_existing_sessions(
    client, employee, skill
):
    schedule(skill, "published")
    client.force_login(employee)

    html = page(client, f"/sessions/?skill={skill.pk}&q=nothing-like-this")

    assert "No upcoming sessions match" in html
    assert register_actions(html, skill) == 0


@pytest.mark.parametrize("where", list(PAGES))
def test_my_request_shows_as_asked_with_a_withdraw_button(client, employee, skill, where):
    interest_register(user=employee, skill=skill)
    client.force_login(employee)

    html = page(client, PAGES[where](skill))

    assert withdraw_actions(html, skill) == 1
    assert "You asked for this" in html
    assert register_actions(html, skill) == 0


def test_a_colleagues_request_is_not_mine_but_is_counted(client, employee, other_employee, skill):
    interest_register(user=other_employee, skill=skill)
    interest_register(user=UserFactory(is_active=False), skill=skill)  # left: not counted
    client.force_login(employee)

    html = page(client, "/skills/")

    assert register_actions(html, skill) == 1
    assert "You asked for this" not in html
    assert "1 colleague asked already" in html

    interest_register(user=employee, skill=skill)
    assert "1 colleague asked too" in page(client, "/skills/")


# --- Toggling ----------------------------------------------------------------------------
@pytest.mark.parametrize("where", list(PAGES))
def test_without_javascript_each_toggle_comes_back_to_the_page(client, employee, skill, where):
    url = PAGES[where](skill)
    client.force_login(employee)

    response = client.post(f"/sessions/interest/{skill.pk}/", {"next": url})

    assert (response.status_code, response["Location"]) == (302, url)
    after = page(client, url)
    assert "Noted: you&#x27;ll hear first" in after
    assert withdraw_actions(after, skill) == 1

    response = client.post(f"/sessions/interest/{skill.pk}/withdraw/", {"next": url})

    assert (response.status_code, response["Location"]) == (302, url)
    again = page(client, url)
    assert "You&#x27;re off the list for Negotiation" in again
    assert register_actions(again, skill) == 1
    assert not LearningInterest.objects.exists()


def test_with_htmx_each_toggle_answers_the_action_in_its_new_state(client, employee, skill):
    client.force_login(employee)
    form = {"next": "/skills/", "slot": "12"}

    asked = client.post(f"/sessions/interest/{skill.pk}/", form, headers=HTMX)

    html = asked.content.decode()
    assert asked.status_code == 200
    assert "<html" not in html
    assert html.count('class="want-to-learn"') == 1
    assert "You asked for this" in html
    assert 'role="status"' in html
    assert 'name="next" value="/skills/"' in html  # still comes back without JavaScript
    assert f'id="want-to-learn-{skill.pk}-12"' in html  # the same id: the focus stays

    withdrawn = client.post(f"/sessions/interest/{skill.pk}/withdraw/", form, headers=HTMX)

    html = withdrawn.content.decode()
    assert register_actions(html, skill) == 1
    assert "You&#x27;re off the list" in html
    assert f'id="want-to-learn-{skill.pk}-12"' in html
    assert not LearningInterest.objects.exists()


@pytest.mark.parametrize("slot", ['"><script>', "a" * 40, "-1"])
def test_an_odd_slot_is_dropped_never_echoed(client, employee, skill, slot):
    client.force_login(employee)

    html = client.post(f"/sessions/interest/{skill.pk}/", {"slot": slot}, headers=HTMX)

    html = html.content.decode()
    assert f'id="want-to-learn-{skill.pk}"' in html
    assert 'name="slot"' not in html
    assert "<script>" not in html


def test_withdrawing_takes_back_only_my_own_request(client, employee, other_employee, skill):
    interest_register(user=other_employee, skill=skill)
    client.force_login(employee)

    response = client.post(f"/sessions/interest/{skill.pk}/withdraw/", headers=HTMX)

    assert "nothing changed" in response.content.decode()
    assert list(LearningInterest.objects.values_list("user", flat=True)) == [other_employee.pk]


@pytest.mark.parametrize("action", ["", "withdraw/"])
def test_anonymous_visitors_are_sent_to_sign_in_with_or_without_htmx(client, skill, action):
    for headers in ({}, HTMX):
        response = client.post(f"/sessions/interest/{skill.pk}/{action}", headers=headers)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not LearningInterest.objects.exists()


# --- The selector and the port -------------------------------------------------------------
def test_learning_offers_answers_every_skill_in_one_query(
    employee, other_employee, django_assert_num_queries
):
    taught, wanted, quiet = SkillFactory.create_batch(3)
    TrainingSessionFactory(skill=taught)
    interest_register(user=employee, skill=wanted)
    interest_register(user=other_employee, skill=wanted)

    with django_assert_num_queries(1):
        offers = learning_offers(employee, [taught.pk, wanted.pk, quiet.pk])

    assert [offers[taught.pk].offered, offers[wanted.pk].offered, offers[quiet.pk].offered] == [
        False,
        True,
        True,
    ]
    assert (offers[wanted.pk].asked, offers[wanted.pk].colleagues_asked) == (True, 1)
    assert (offers[quiet.pk].asked, offers[quiet.pk].colleagues_asked) == (False, 0)


@pytest.fixture
def without_sessions():
    """As if the sessions app weren't installed: nobody answers "I want to learn this"."""
    withdraw(LEARNING_OFFERS)
    yield
    provide(LEARNING_OFFERS, learning_offers)


@pytest.mark.parametrize("url", ["/skills/", "/trainers/"])
def test_lower_apps_pages_show_no_action_while_nobody_provides_the_port(
    client, employee, skill, without_sessions, url
):
    client.force_login(employee)

    html = page(client, url)

    assert "I want to learn this" not in html
    assert "Negotiation" in html


# --- Query counts ------------------------------------------------------------------------
@pytest.mark.parametrize("asked", [0, 30])
def test_the_filtered_session_list_offering_it_costs_one_query_whatever_the_demand(
    client, employee, skill, django_assert_num_queries, asked
):
    for person in UserFactory.create_batch(asked):
        interest_register(user=person, skill=skill)
    client.force_login(employee)

    # session, user, L&D role check, the (empty) page, the form's skills and programmes,
    # the offer; no booking states: nothing is listed
    with django_assert_num_queries(7):
        html = page(client, f"/sessions/?skill={skill.pk}")

    assert register_actions(html, skill) == 1
