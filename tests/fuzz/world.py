"""A small organisation for the fuzz tests: one of each thing a URL can point at, and the
five roles that post to them."""

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db import models
from django.utils import timezone

from peertrain.accounts.ld_staff import LD_STAFF_GROUP
from peertrain.accounts.models import User
from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from programmes.models import AssessmentSource, CurrentSkillLevel, SkillAssessment, SkillTarget
from programmes.services import assessment_record, target_set
from sessions.models import Attendance, Booking, CalendarFeed, LearningInterest, TrainingSeries
from sessions.services.booking import booking_create
from sessions.services.co_trainers import co_trainers_invite
from trainers.models import Nomination

from ..factories import (
    CertificationFactory,
    ProgrammeFactory,
    SkillFactory,
    TeamFactory,
    TrainingSessionFactory,
    UserFactory,
)

ROLES = ("anonymous", "employee", "trainer", "lead", "ld_staff")


@dataclass
class World:
    users: dict[str, User | None]
    objects: dict[str, models.Model] = field(default_factory=dict)
    admin_objects: dict[type[models.Model], models.Model] = field(default_factory=dict)

    def pk(self, name: str) -> int:
        return self.objects[name].pk


def build_world() -> World:
    team, other_team = TeamFactory(name="Support"), TeamFactory(name="Sales")
    employee = UserFactory(email="employee@example.com", team=team)
    colleague = UserFactory(email="colleague@example.com", team=team)
    lead = UserFactory(email="lead@example.com", team=team)
    team.lead = lead
    team.save(update_fields=["lead"])
    certification = CertificationFactory(trainer__user__email="trainer@example.com")
    trainer, skill = certification.trainer.user, certification.skill
    ld_staff = UserFactory(email="ld@example.com", is_staff=True)
    ld_staff.groups.add(Group.objects.get_or_create(name=LD_STAFF_GROUP)[0])
    other_skill = SkillFactory(name="Negotiation")

    now = timezone.now()
    session = TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, capacity=1, starts_at=now + timedelta(days=7)
    )
    booking_create(session=session, user=employee)
    booking_create(session=session, user=colleague)  # full: on the waitlist
    live = TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, starts_at=now + timedelta(minutes=5)
    )
    booking_create(session=live, user=employee)
    series = TrainingSeries.objects.create(
        title="Weekly", lead_trainer=trainer, until=(now + timedelta(days=30)).date()
    )
    draft = TrainingSessionFactory(
        lead_trainer=trainer,
        skill=skill,
        status="draft",
        series=series,
        starts_at=now + timedelta(days=14),
    )
    # The team lead can teach the skill too, and is invited to co-teach the session.
    CertificationFactory(trainer__user=lead, skill=skill)
    co_trainers_invite(session=session, people=[lead], by=trainer, tell=False)
    programme = ProgrammeFactory(owner=ld_staff, skills=[skill], audience_teams=[team])
    target = target_set(team=team, skill=skill, target_level=3, priority=2, by=ld_staff)
    assessment = assessment_record(
        user=employee, skill=skill, level=1, source=AssessmentSource.SELF, assessed_by=employee
    )
    LearningInterest.objects.create(user=employee, skill=other_skill)
    feed = CalendarFeed.objects.create(user=employee)

    # Everyone signs in through allauth, which keeps a row per address (it would otherwise
    # add the missing one on the first visit to the email page, whatever was posted).
    for user in (employee, colleague, lead, trainer, ld_staff):
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    world = World(
        users={
            "anonymous": None,
            "employee": employee,
            "trainer": trainer,
            "lead": lead,
            "ld_staff": ld_staff,
        },
        objects={
            "team": team,
            "other_team": other_team,
            "employee": employee,
            "colleague": colleague,
            "skill": skill,
            "other_skill": other_skill,
            "session": session,
            "live": live,
            "draft": draft,
            "series": series,
            "programme": programme,
            "target": target,
            "assessment": assessment,
            "feed": feed,
            "booking": Booking.objects.filter(session=session, user=employee).get(),
        },
    )
    # Open, about the colleague, made by the employee: each nomination action has one to act on.
    world.objects["nomination"] = Nomination.objects.create(
        nominee=colleague, skill=other_skill, nominated_by=employee, reason="Knows it well."
    )
    _admin_objects(world)
    return world


def _admin_objects(world: World) -> None:
    """One row of every model the admin manages, for its change, delete and history pages."""
    employee = world.objects["employee"]
    app = SocialApp.objects.create(provider="openid_connect", name="Company", client_id="id")
    account = SocialAccount.objects.create(user=employee, provider="openid_connect", uid="u1")
    known = {
        Site: Site.objects.get_current(),
        EmailAddress: EmailAddress.objects.get(user=employee),
        SocialApp: app,
        SocialAccount: account,
        SocialToken: SocialToken.objects.create(app=app, account=account, token="t"),
        Group: Group.objects.get(name=LD_STAFF_GROUP),
        Notification: Notification.objects.create(
            address=employee.email,
            kind="fuzz.hello",
            unique_key="fuzz:hello",
            subject="Hello",
            body="Hello",
            next_attempt_at=timezone.now(),
        ),
        AuditEvent: AuditEvent.objects.create(actor=employee, action="fuzz.done"),
        SkillTarget: world.objects["target"],
        SkillAssessment: world.objects["assessment"],
        CurrentSkillLevel: CurrentSkillLevel.objects.get(user=employee),
        # The roster's record for the session about to start (the admin corrects it).
        Attendance: Attendance.objects.create(
            session=world.objects["live"],
            user=employee,
            booking=Booking.objects.get(session=world.objects["live"], user=employee),
            status=Attendance.Status.PRESENT,
        ),
    }
    for model in admin.site._registry:
        row = known.get(model) or model.objects.order_by("pk").first()
        assert row is not None, f"the fuzz world has no {model._meta.label} for the admin"
        world.admin_objects[model] = row
    world.objects["content_type"] = ContentType.objects.get_for_model(User)
