"""What "my home" shows. Every figure is a few queries, whatever the data size."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from peertrain.accounts.models import Team, User
from peertrain.accounts.selectors import teams_led_by
from peertrain.notifications.models import Notification
from programmes.models import Skill
from sessions.models import CoTrainer
from sessions.selectors import pending_co_teaching_invitations
from trainers.models import Certification, TrainerProfile
from trainers.selectors import valid_certifications

from .roles import Roles


@dataclass(frozen=True)
class ProgrammeFigures:
    people: int
    teams: int
    skills: int
    certified_trainers: int
    notifications_waiting: int
    notifications_failed: int
    notifications_unknown: int  # handed to the mail server, never confirmed


@dataclass
class HomeSummary:
    team: Team | None
    skill_categories: list[dict]
    led_teams: list[Team] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    trainer_profile: TrainerProfile | None = None
    co_teaching_invitations: list[CoTrainer] = field(default_factory=list)
    figures: ProgrammeFigures | None = None


def programme_figures() -> ProgrammeFigures:
    gave_up = Q(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS)
    outbox = Notification.objects.filter(sent_at=None).aggregate(
        waiting=Count("pk", filter=~gave_up & Q(outcome_unknown=False)),
        failed=Count("pk", filter=gave_up & Q(outcome_unknown=False)),
        unknown=Count("pk", filter=Q(outcome_unknown=True)),
    )
    return ProgrammeFigures(
        people=User.objects.filter(is_active=True).count(),
        teams=Team.objects.count(),
        skills=Skill.objects.count(),
        certified_trainers=valid_certifications().values("trainer").distinct().count(),
        notifications_waiting=outbox["waiting"],
        notifications_failed=outbox["failed"],
        notifications_unknown=outbox["unknown"],
    )


def teams_led_with_member_counts(*, lead: User) -> list[Team]:
    """The teams ``lead`` leads, sub-teams included, each with ``member_count`` (active)."""
    teams = teams_led_by(lead=lead)
    counts = dict(
        User.objects.filter(team__in=teams, is_active=True)
        .values_list("team")
        .annotate(Count("pk"))
        .order_by()
    )
    for team in teams:
        team.member_count = counts.get(team.pk, 0)  # type: ignore[attr-defined]
    return teams


def home_summary(*, user: User, roles: Roles) -> HomeSummary:
    team = (
        Team.objects.select_related("lead", "parent").filter(pk=user.team_id).first()
        if user.team_id is not None
        else None
    )
    summary = HomeSummary(
        team=team,
        skill_categories=list(
            Skill.objects.values("category").annotate(skills=Count("pk")).order_by("category")
        ),
    )
    if roles.is_team_lead:
        summary.led_teams = teams_led_with_member_counts(lead=user)
    if roles.is_trainer:
        summary.trainer_profile = TrainerProfile.objects.filter(user=user).first()
        summary.certifications = list(
            valid_certifications().filter(trainer__user=user).select_related("skill")
        )
        summary.co_teaching_invitations = pending_co_teaching_invitations(user=user)
    if roles.is_ld_staff:
        summary.figures = programme_figures()
    return summary
