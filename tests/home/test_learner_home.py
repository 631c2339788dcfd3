"""Everyone's part of the home: next sessions, waitlist places, top gaps and what closes
them ("what should I do next?")."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from programmes.models import AssessmentSource, Priority
from programmes.services import assessment_record, target_set
from sessions.models import LearningInterest
from sessions.services.booking import booking_create
from sessions.services.sessions import training_session_cancel

from ..factories import SkillFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, testid: str) -> str:
    """The HTML of the element marked ``data-testid=testid`` up to its closing section."""
    found = re.search(rf'data-testid="{testid}".*?</section>', page, re.S)
    assert found, f"no {testid} on the page"
    return found.group(0)


def rate(user, skill, level):
    assessment_record(
        user=user, skill=skill, level=level, source=AssessmentSource.SELF, assessed_by=user
    )


def test_next_sessions_are_listed_soonest_first_and_waitlist_places_with_their_position(
    client, employee
):
    later = TrainingSessionFactory(title="Later one", starts_at=timezone.now() + timedelta(days=9))
    sooner = TrainingSessionFactory(title="Sooner one", starts_at=timezone.now() + timedelta(2))
    full = TrainingSessionFactory(title="Full one", capacity=1)
    booking_create(session=later, user=employee)
    booking_create(session=sooner, user=employee)
    booking_create(session=full, user=UserFactory())
    booking_create(session=full, user=UserFactory())
    booking_create(session=full, user=employee)

    page = home(client, employee)

    booked = section(page, "next-sessions")
    assert booked.index("Sooner one") < booked.index("Later one")
    waiting = re.search(r'data-testid="home-waitlisted".*?</ul>', page, re.S).group(0)
    assert "Full one" in waiting
    assert "Waitlist #2" in waiting
    assert 'data-state="waitlisted"' in waiting
    assert "Full one" not in re.search(r'data-testid="home-booked".*?</ul>', page, re.S).group(0)


def test_a_cancelled_session_says_so_and_past_or_other_peoples_bookings_are_absent(
    client, employee, other_employee
):
    cancelled = TrainingSessionFactory(title="Called off")
    booking_create(session=cancelled, user=employee)
    training_session_cancel(session=cancelled, by=cancelled.lead_trainer, reason="Trainer ill")
    booking_create(session=TrainingSessionFactory(title="Not mine"), user=other_employee)
    past = TrainingSessionFactory(title="Long ago")
    booking_create(session=past, user=employee)
    past.starts_at = timezone.now() - timedelta(days=3)
    past.ends_at = past.starts_at + timedelta(hours=1)
    past.save()

    page = section(home(client, employee), "next-sessions")

    called_off = re.search(r'data-testid="home-called-off".*?</ul>', page, re.S).group(0)
    assert "Called off" in called_off
    assert 'data-state="session_cancelled"' in called_off
    assert "Not mine" not in page
    assert "Long ago" not in page


def test_states_read_as_everywhere_else(client, employee):
    """The home shows a booking state with the one partial every session page uses."""
    booking_create(session=TrainingSessionFactory(title="Seated"), user=employee)

    page = section(home(client, employee), "next-sessions")

    assert 'data-testid="booking-state-badge" data-state="booked"' in page


def test_nothing_booked_points_to_the_sessions(client, employee):
    page = section(home(client, employee), "next-sessions")

    assert "Nothing booked yet." in page
    assert 'href="/sessions/"' in page


def test_top_gaps_offer_the_next_sessions_and_colleagues_who_know_the_skill(
    client, employee, ld_staff
):
    sql = SkillFactory(name="SQL")
    target_set(team=employee.team, skill=sql, target_level=3, priority=Priority.HIGH, by=ld_staff)
    rate(employee, sql, 1)
    session = TrainingSessionFactory(skill=sql, title="SQL joins, gently")
    TrainingSessionFactory(skill=sql, title="SQL draft", status="draft")
    expert = UserFactory(display_name="Sara Query", suggest_me_as_teacher=True)
    rate(expert, sql, 4)

    gaps = section(home(client, employee), "top-gaps")

    assert "SQL" in gaps
    assert "You: <strong>1</strong> · target <strong>3</strong>" in gaps
    assert f'href="/sessions/{session.pk}/"' in gaps
    assert "SQL draft" not in gaps
    assert "Sara Query" in gaps
    assert "I want to learn this" not in gaps  # a session exists
    assert "booking-state-badge" not in gaps  # not booked yet


def test_a_gap_session_i_booked_already_says_so(client, employee, ld_staff):
    sql = SkillFactory(name="SQL")
    target_set(team=employee.team, skill=sql, target_level=3, priority=Priority.HIGH, by=ld_staff)
    booking_create(session=TrainingSessionFactory(skill=sql, title="SQL joins"), user=employee)

    gaps = section(home(client, employee), "top-gaps")

    assert 'data-state="booked"' in gaps


def test_top_gaps_come_most_important_first_and_at_most_three(client, employee, ld_staff):
    for name, priority in [("Low", 1), ("High", 3), ("Mid", 2), ("Also low", 1)]:
        skill = SkillFactory(name=name)
        target_set(team=employee.team, skill=skill, target_level=2, priority=priority, by=ld_staff)

    gaps = section(home(client, employee), "top-gaps")

    names = re.findall(r'<h4 class="h6 mb-1">([^<]+)</h4>', gaps)
    assert names == ["High", "Mid", "Also low"]
    assert "All your gaps and levels" in gaps


def test_a_gap_with_no_session_offers_i_want_to_learn_this_which_brings_me_back_home(
    client, employee, ld_staff
):
    crm = SkillFactory(name="Using the CRM")
    target_set(team=employee.team, skill=crm, target_level=2, priority=2, by=ld_staff)

    gaps = section(home(client, employee), "top-gaps")

    assert f'action="/sessions/interest/{crm.pk}/"' in gaps
    assert 'I want to learn this<span class="visually-hidden">: Using the CRM' in gaps
    response = client.post(f"/sessions/interest/{crm.pk}/", {"next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert LearningInterest.objects.filter(user=employee, skill=crm).exists()
    again = section(home(client, employee), "top-gaps")
    assert "You asked for this" in again
    assert f'action="/sessions/interest/{crm.pk}/withdraw/"' in again


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        ("no_team", "You're not in a team yet"),
        ("no_targets", "hasn't set skill targets yet"),
        ("all_met", "You're at or above every target"),
    ],
)
def test_without_gaps_the_home_says_why_and_what_to_do(
    client, employee, ld_staff, situation, expected
):
    if situation == "no_team":
        employee.team = None
        employee.save()
    if situation == "all_met":
        skill = SkillFactory()
        target_set(team=employee.team, skill=skill, target_level=2, priority=2, by=ld_staff)
        rate(employee, skill, 3)

    gaps = section(home(client, employee), "top-gaps")

    assert expected in gaps
    assert 'href="/skills/"' in gaps
