"""L&D's part of the home: what needs attention, each item linking to where to act."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from peertrain.notifications.models import Notification
from sessions.services.booking import booking_create
from sessions.services.demand import interest_register
from trainers.services_nominations import nomination_make, nomination_withdraw

from ..factories import SkillFactory, TrainingSessionFactory, UserFactory
from .test_learner_home import home, section

pytestmark = pytest.mark.django_db


def message(recipient, key: str, **fields) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        address=recipient.email,
        kind="test.message",
        unique_key=key,
        subject="Hello",
        body="Hello",
        next_attempt_at=fields.pop("next_attempt_at", timezone.now()),
        **fields,
    )


def item(page: str, key: str) -> str:
    start = page.index(f'data-testid="attention-{key}"')
    return page[start : page.index("</li>", start)]


def test_unmet_demand_names_the_skills_and_links_to_the_demand_page(
    client, ld_staff, employee, other_employee
):
    wanted = SkillFactory(name="Negotiation")
    interest_register(user=employee, skill=wanted)
    interest_register(user=other_employee, skill=wanted)
    met = SkillFactory(name="Already coming")
    interest_register(user=employee, skill=met)
    TrainingSessionFactory(skill=met)

    demand = item(home(client, ld_staff), "demand")

    assert "1 skill wanted by 2 people with no session coming" in demand
    assert "Negotiation (2)" in demand
    assert "Already coming" not in demand
    assert 'href="/sessions/demand/"' in demand


def test_nominations_waiting_link_to_the_review_workspace(client, ld_staff):
    skill = SkillFactory()
    waiting = UserFactory()
    nomination_make(nominee=waiting, skill=skill, nominated_by=ld_staff, reason="Knows it.")
    left = UserFactory()
    nomination_make(nominee=left, skill=skill, nominated_by=ld_staff, reason="Knew it.")
    left.is_active = False
    left.save()
    decided = UserFactory()
    nomination_withdraw(
        nomination=nomination_make(nominee=decided, skill=skill, nominated_by=ld_staff, reason="."),
        by=ld_staff,
    )

    nominations = item(home(client, ld_staff), "nominations")

    assert "1 nomination to be a trainer waiting for a decision" in nominations
    assert 'href="/trainers/review/"' in nominations


def test_sessions_starting_within_a_week_less_than_half_booked_are_flagged(client, ld_staff):
    empty = TrainingSessionFactory(title="Nearly empty", capacity=4)
    booking_create(session=empty, user=UserFactory())
    half = TrainingSessionFactory(title="Half full", capacity=4)
    for _ in range(2):
        booking_create(session=half, user=UserFactory())
    TrainingSessionFactory(title="Next month", starts_at=timezone.now() + timedelta(days=30))
    TrainingSessionFactory(title="Not published", status="draft")

    flagged = item(home(client, ld_staff), "under_booked")

    assert "1 session starts within a week less than half booked" in flagged
    assert f'href="/sessions/{empty.pk}/"' in flagged
    assert "1 of 4 booked" in flagged
    for absent in ("Half full", "Next month", "Not published"):
        assert absent not in flagged


def test_failed_unknown_and_stuck_messages_link_to_the_admin_list_of_exactly_them(
    client, ld_staff, employee
):
    gave_up = settings.NOTIFICATION_MAX_ATTEMPTS
    message(employee, "failed", attempts=gave_up)
    message(employee, "unknown", outcome_unknown=True, attempts=1)
    message(employee, "stuck", next_attempt_at=timezone.now() - timedelta(hours=1))
    message(employee, "fresh")
    message(employee, "sent", sent_at=timezone.now())

    page = home(client, ld_staff)

    assert "1 message failed to send" in item(page, "failed")
    assert "maybe not delivered" in item(page, "unknown")
    assert "1 message has been due for over ten minutes" in item(page, "stuck")
    assert "2 messages waiting to send" in section(page, "ld-panel")
    for state, key in [("failed", "failed"), ("unknown", "unknown"), ("stuck", "stuck")]:
        assert f'href="/admin/notifications/notification/?delivery={state}"' in item(page, key)
        listed = client.get(f"/admin/notifications/notification/?delivery={state}")
        assert listed.status_code == 200
        assert list(listed.context["cl"].queryset.values_list("unique_key", flat=True)) == [key]


def test_with_nothing_to_do_the_home_says_so_and_what_to_plan_next(client, ld_staff):
    page = section(home(client, ld_staff), "ld-panel")

    assert 'data-testid="attention-none"' in page
    assert 'href="/skills/gaps/"' in page


@pytest.mark.parametrize("person", ["employee", "trainer", "lead"])
def test_only_ld_staff_see_what_needs_attention(client, request, person, employee):
    interest_register(user=employee, skill=SkillFactory())
    nomination_make(nominee=UserFactory(), skill=SkillFactory(), nominated_by=employee, reason=".")

    page = home(client, request.getfixturevalue(person))

    assert 'data-testid="ld-panel"' not in page
    assert "/admin/" not in page
