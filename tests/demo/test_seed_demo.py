from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from peertrain.accounts.models import Team, User
from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from programmes.models import (
    CurrentSkillLevel,
    Programme,
    Skill,
    SkillAssessment,
    SkillTarget,
)
from programmes.selectors import (
    colleagues_who_know,
    gap_ranking,
    my_gaps,
    single_point_of_knowledge,
)
from sessions.models import Attendance, Booking, CoTrainer, TrainingSession
from sessions.services.eligibility import TeachingRefused, trainer_teaching_check
from trainers.models import Certification, Nomination, TrainerProfile

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "users": sorted(
            User.objects.values_list(
                "email",
                "display_name",
                "team__name",
                "is_staff",
                "share_skill_levels",
                "suggest_me_as_teacher",
            )
        ),
        "teams": sorted(Team.objects.values_list("name", "lead__email", "parent__name")),
        "skills": sorted(Skill.objects.values_list("slug", "category")),
        "trainers": sorted(TrainerProfile.objects.values_list("user__email", "status")),
        "certifications": sorted(
            Certification.objects.values_list("trainer__user__email", "skill__slug", "issued_at")
        ),
        "ld_group": sorted(User.objects.filter(groups__name="L&D staff").values_list("email")),
        "targets": sorted(
            SkillTarget.objects.values_list("team__name", "skill__slug", "target_level", "priority")
        ),
        "assessments": sorted(
            SkillAssessment.objects.values_list(
                "user__email", "skill__slug", "level", "source", "assessed_by__email", "created_at"
            )
        ),
        "current_levels": sorted(
            CurrentSkillLevel.objects.values_list(
                "user__email", "skill__slug", "level", "source", "assessed_at", "verified_level"
            )
        ),
        "programmes": sorted(
            (
                programme.title,
                programme.status,
                programme.owner.email,
                programme.starts_on,
                programme.ends_on,
                sorted(skill.slug for skill in programme.skills.all()),
                sorted(team.name for team in programme.audience_teams.all()),
            )
            for programme in Programme.objects.select_related("owner").prefetch_related(
                "skills", "audience_teams"
            )
        ),
        "audit": sorted(AuditEvent.objects.values_list("action", "object_id", "data")),
        "sessions": sorted(
            TrainingSession.objects.values_list(
                "title", "status", "starts_at", "confirmed_count", "waitlist_count"
            )
        ),
        "bookings": sorted(
            Booking.objects.values_list(
                "session__title", "user__email", "status", "waitlist_position"
            )
        ),
        "attendance": sorted(
            Attendance.objects.values_list("session__title", "user__email", "status")
        ),
        "co_trainers": sorted(
            CoTrainer.objects.values_list("session__title", "user__email", "state")
        ),
        "notifications": sorted(Notification.objects.values_list("unique_key", flat=True)),
        "nominations": sorted(
            Nomination.objects.values_list("nominee__email", "skill__name", "state")
        ),
    }


def test_seed_demo_twice_leaves_the_same_data(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = snapshot()

    call_command("seed_demo")

    assert snapshot() == first
    assert {"ld@example.com", "trainer@example.com", "lead@example.com"} <= {
        email for email, *_ in first["users"]
    }


def test_seed_demo_fills_the_skill_pages_with_contrasts(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    employee = User.objects.get(email="employee@example.com")

    assert Skill.objects.count() >= 20
    assert set(Team.objects.values_list("name", flat=True)) == set(
        SkillTarget.objects.values_list("team__name", flat=True)
    )  # every team has targets
    gaps = my_gaps(user=employee)
    assert {gap.skill.name for gap in gaps} >= {"Handling complaints", "Spreadsheets"}
    pending = [gap for gap in gaps if gap.source_label == "self, pending verification"]
    assert [gap.skill.name for gap in pending] == ["Handling complaints"]
    colleagues = colleagues_who_know(skills=[gap.skill for gap in gaps], exclude=employee)
    assert all(colleagues[gap.skill.pk] for gap in gaps)  # someone can help with each gap
    not_trainers = colleagues_who_know(
        skills=[gap.skill for gap in gaps], exclude=employee, not_trainers=True
    )
    assert any(level.level == 4 for found in not_trainers.values() for level in found)
    ranking = list(gap_ranking())
    assert any(single_point_of_knowledge(gap) and gap.shortfall for gap in ranking)
    assert any(gap.shortfall == 0 for gap in ranking)  # and some teams are at target
    assert SkillAssessment.objects.filter(
        user__team__name="Customer Success", source="lead", assessed_by__email="lead@example.com"
    ).exists()
    assert dict(Programme.objects.values_list("title", "status")) == {
        "Customer conversations that stick": "active",
        "Engineering foundations 2027": "draft",
    }


def test_demo_accounts_can_sign_in_with_the_documented_password(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")

    for email in ["ld@example.com", "trainer@example.com", "lead@example.com"]:
        assert client.login(username=email, password="peertrain-demo")


def test_seed_demo_gives_each_account_its_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    from portal.home.roles import roles_of

    assert roles_of(User.objects.get(email="ld@example.com")).is_ld_staff
    assert roles_of(User.objects.get(email="trainer@example.com")).is_trainer
    assert roles_of(User.objects.get(email="lead@example.com")).is_team_lead
    employee = roles_of(User.objects.get(email="employee@example.com"))
    assert not employee.is_trainer
    assert not employee.is_team_lead
    assert not employee.is_ld_staff


def test_seed_demo_has_a_co_taught_session_and_an_invitation_waiting(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    assert sorted(CoTrainer.objects.values_list("session__title", "user__email", "state")) == [
        ("Code review clinic", "priya.nair@example.com", "accepted"),
        ("Reviewing code as a manager", "trainer@example.com", "invited"),
    ]


def test_seed_demo_has_open_nominations_from_an_employee_and_from_ld(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    nominations = Nomination.objects.order_by("nominee__email")
    assert [
        (n.nominee.email, n.skill.name, n.nominated_by.email, n.state, bool(n.nominee_agreed_at))
        for n in nominations
    ] == [
        ("mei.chen@example.com", "Data visualisation", "ld@example.com", "open", True),
        ("omar.haddad@example.com", "Product demos", "employee@example.com", "open", False),
    ]


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_can_be_forced(settings):
    settings.DEBUG = False

    call_command("seed_demo", "--force")

    assert User.objects.filter(email="employee@example.com").exists()


def test_seed_demo_sessions_cover_every_case(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    sessions = {s.title: s for s in TrainingSession.objects.all()}
    full = [s for s in sessions.values() if s.status == "published" and not s.seats_left]
    assert full
    assert full[0].waitlist_count > 0
    assert any(s.video_url for s in sessions.values() if s.status == "published")
    assert any(s.status == "draft" for s in sessions.values())
    completed = [s for s in sessions.values() if s.status == "completed"]
    assert Attendance.objects.filter(session__in=completed).count() >= 2
    employee_bookings = Booking.objects.filter(user__email="employee@example.com")
    assert {b.status for b in employee_bookings} == {"confirmed", "waitlisted"}


def test_seed_demo_has_a_certification_expiring_soon_and_a_trainer_at_their_cap(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    soon = Certification.objects.get(
        trainer__user__email="trainer@example.com", skill__name="Presenting"
    )
    assert timezone.now() < soon.expires_at <= timezone.now() + timedelta(days=30)
    priya = User.objects.get(email="priya.nair@example.com")
    upcoming = TrainingSession.objects.filter(lead_trainer=priya).order_by("starts_at").first()
    with pytest.raises(TeachingRefused, match="over your cap"):
        trainer_teaching_check(
            trainer=priya,
            skill=upcoming.skill,
            starts=[upcoming.starts_at],
            time_zone=upcoming.time_zone,
        )
