"""Named access helpers for sessions and bookings."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from peertrain.accounts.models import Team, User
from peertrain.accounts.selectors import user_is_ld_staff
from programmes.models import Skill
from programmes.selectors import teams_led_with_sub_teams
from trainers.selectors import certified_skills

from .models import Booking, TrainingSeries, TrainingSession
from .selectors import ACTIVE, session_detail, teaches


def session_for_viewer(*, user: User, pk: int) -> TrainingSession:
    """Published, cancelled and completed sessions are public to signed-in people;
    a draft only to its trainers and L&D staff."""
    try:
        session = session_detail(pk=pk)
    except TrainingSession.DoesNotExist as exc:
        raise Http404("No such session.") from exc
    if session.status == TrainingSession.Status.DRAFT and not (
        teaches(session, user) or user_is_ld_staff(user)
    ):
        raise Http404("No such session.")
    return session


def own_active_booking(*, user: User, session_pk: int) -> Booking:
    """The signed-in person's own active booking on a session; nobody else's."""
    booking = (
        Booking.objects.select_related("session")
        .filter(session_id=session_pk, user=user, status__in=ACTIVE)
        .first()
    )
    if booking is None:
        raise Http404("You have no booking on this session.")
    return booking


def session_for_trainer(*, user: User, pk: int) -> TrainingSession:
    """A session whose attendance ``user`` may take: its lead trainer, its co-trainers and
    L&D staff. Anyone else is refused (403); a draft stays hidden from them (404). One
    query for a trainer (whether they co-teach is read with the session)."""
    session = (
        TrainingSession.objects.select_related("skill")
        .annotate(
            user_co_teaches=Exists(
                TrainingSession.co_trainers.through.objects.filter(
                    trainingsession=OuterRef("pk"), user=user.pk
                )
            )
        )
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    if teaches(session, user) or user_is_ld_staff(user):
        return session
    if session.status == TrainingSession.Status.DRAFT:
        raise Http404("No such session.")
    raise PermissionDenied("Only this session's trainers and L&D staff can take its attendance.")


def attendee_for_sheet(*, person_id: int) -> User:
    """The person a trainer marks on an attendance sheet (the session comes from
    ``session_for_trainer``). Unknown: 404. Whether they are on that session (a seat or a
    check-in) is ``attendance_mark``'s rule, refused in place on the sheet (409)."""
    attendee = User.objects.filter(pk=person_id).first()
    if attendee is None:
        raise Http404("No such person.")
    return attendee


def skill_to_learn(*, pk: int) -> Skill:
    """Any skill: everyone signed in may say they want to learn it."""
    skill = Skill.objects.filter(pk=pk).first()
    if skill is None:
        raise Http404("No such skill.")
    return skill


def may_manage_session(*, user: User, session: TrainingSession) -> bool:
    """The lead trainer and L&D staff manage a session (edit, publish, cancel, complete).
    Co-trainers see it, drafts included, but don't manage it: one person answers for it."""
    return session.lead_trainer_id == user.pk or user_is_ld_staff(user)


def session_for_manager(*, user: User, pk: int) -> TrainingSession:
    """A session ``user`` may manage. Unknown, or a draft they may not see: 404; one they
    can see but don't run: 403."""
    session = session_for_viewer(user=user, pk=pk)
    if not may_manage_session(user=user, session=session):
        raise PermissionDenied("Only the session's lead trainer and L&D staff can change it.")
    return session


def series_for_manager(*, user: User, pk: int) -> TrainingSeries:
    """A series ``user`` may manage: its lead trainer and L&D staff; anyone else 403."""
    series = TrainingSeries.objects.select_related("lead_trainer").filter(pk=pk).first()
    if series is None:
        raise Http404("No such series.")
    if series.lead_trainer_id != user.pk and not user_is_ld_staff(user):
        raise PermissionDenied("Only the series' lead trainer and L&D staff can manage it.")
    return series


def skills_for_proposer(*, user: User) -> QuerySet[Skill]:
    """The skills ``user`` may propose sessions for; people certified in none are refused."""
    skills = certified_skills(user=user)
    if not skills.exists():
        raise PermissionDenied(
            "Proposing sessions is for trainers certified in a skill. Ask L&D about becoming one."
        )
    return skills


def teams_of_booking_lead(*, user: User) -> list[Team]:
    """The teams, sub-teams included, whose members ``user`` may book onto sessions."""
    teams = teams_led_with_sub_teams(lead=user)
    if not teams:
        raise PermissionDenied("Booking colleagues onto sessions is for team leads.")
    return teams


def member_for_booking_lead(*, teams: list[Team], member_id: int | str) -> User:
    """An active person in one of ``teams``: unknown 404, outside those teams 403."""
    try:
        member = User.objects.filter(pk=int(member_id), is_active=True).first()
    except (TypeError, ValueError, OverflowError) as exc:
        raise Http404("No such person.") from exc
    if member is None:
        raise Http404("No such person.")
    if member.team_id not in {team.pk for team in teams}:
        raise PermissionDenied("You can only book people in the teams you lead.")
    return member
