"""What "my home" shows: each role's answer to "what should I do next?". Each part reads a
fixed number of queries, whatever the data size (tests/home asserts it per role)."""

from dataclasses import dataclass

from django.utils import timezone

from peertrain.accounts.models import Team, User

from ..roles import Roles
from .attention import AttentionItem, ProgrammeFigures, attention_items, programme_figures
from .learner import LearnerHome, learner_home
from .teaching import TeachingWorkspace, teaching_workspace
from .team import TeamHome, team_home

HOME_TEACHING_SHOWN = 3  # per list on the home page; /teaching/ shows more


@dataclass(frozen=True)
class HomeSummary:
    team: Team | None
    learner: LearnerHome
    teaching: TeachingWorkspace | None = None
    team_home: TeamHome | None = None
    attention: list[AttentionItem] | None = None
    figures: ProgrammeFigures | None = None


def home_summary(*, user: User, roles: Roles) -> HomeSummary:
    now = timezone.now()
    team = (
        Team.objects.select_related("lead").filter(pk=user.team_id).first()
        if user.team_id is not None
        else None
    )
    figures = programme_figures(now=now) if roles.is_ld_staff else None
    return HomeSummary(
        team=team,
        learner=learner_home(user=user, now=now),
        teaching=(
            teaching_workspace(user=user, shown=HOME_TEACHING_SHOWN, now=now)
            if roles.is_trainer
            else None
        ),
        team_home=team_home(lead=user) if roles.is_team_lead else None,
        attention=attention_items(outbox=figures.outbox, now=now) if figures else None,
        figures=figures,
    )
