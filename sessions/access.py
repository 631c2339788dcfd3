"""Named access helpers for sessions and bookings."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from peertrain.accounts.models import User
from peertrain.accounts.selectors import user_is_ld_staff
from programmes.models import Skill

from .models import Booking, CoTrainer, TrainingSeries, TrainingSession
from .selectors import ACTIVE, co_teaches_expression, teaches, training_session_detail


def _training_session_or_404(*, user: User, pk: int) -> TrainingSession:
    try:
        return training_session_detail(pk=pk, viewer=user)
    except TrainingSession.DoesNotExist as exc:
        raise Http404("No such session.") from exc


def _sees_draft(session: TrainingSession, user: User) -> bool:
    return teaches(session, user) or user_is_ld_staff(user)


def training_session_for_viewer(*, user: User, pk: int) -> TrainingSession:
    """Published, cancelled and completed sessions are public to signed-in people;
    a draft only to its trainers (the lead and accepted co-trainers) and L&D staff."""
    session = _training_session_or_404(user=user, pk=pk)
    if session.status == TrainingSession.Status.DRAFT and not _sees_draft(session, user):
        raise Http404("No such session.")
    return session


def training_session_page_for(*, user: User, pk: int) -> tuple[TrainingSession, bool]:
    """The session page: (session, invitation_only). Like ``training_session_for_viewer``,
    except that a colleague invited to co-teach a draft may see their invitation to it
    (``invitation_only`` True): what the invitation message told them, not the draft."""
    session = _training_session_or_404(user=user, pk=pk)
    if session.status != TrainingSession.Status.DRAFT or _sees_draft(session, user):
        return session, False
    if session.viewer_invitation_state == CoTrainer.State.INVITED:
        return session, True
    raise Http404("No such session.")


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


def training_session_for_trainer(*, user: User, pk: int) -> TrainingSession:
    """A session whose attendance ``user`` may take: its lead trainer, its accepted
    co-trainers and L&D staff. Anyone else, someone only invited to co-teach included, is
    refused (403); a draft stays hidden from them (404). One query for a trainer (whether
    they co-teach is read with the session)."""
    session = (
        TrainingSession.objects.select_related("skill")
        .annotate(user_co_teaches=co_teaches_expression(user.pk))
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
    ``training_session_for_trainer``). Unknown: 404. Whether they are on that session (a seat
    or a check-in) is ``attendance_mark``'s rule, refused in place on the sheet (409)."""
    attendee = User.objects.filter(pk=person_id).first()
    if attendee is None:
        raise Http404("No such person.")
    return attendee


def own_co_teaching_invitation(*, user: User, session_pk: int) -> CoTrainer:
    """``user``'s own invitation to co-teach a session, whatever its state; nobody else's
    (someone else's, or none: 404)."""
    invitation = (
        CoTrainer.objects.select_related("session__skill", "session__lead_trainer")
        .filter(session_id=session_pk, user=user)
        .first()
    )
    if invitation is None:
        raise Http404("You have no invitation to co-teach this session.")
    return invitation


def co_trainer_for_manager(*, session: TrainingSession, person_id: int) -> CoTrainer:
    """Someone asked to co-teach ``session`` (from ``training_session_for_manager``), in any
    state."""
    row = CoTrainer.objects.select_related("user").filter(session=session, user_id=person_id)
    found = row.first()
    if found is None:
        raise Http404("This person isn't asked to co-teach this session.")
    return found


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


def training_session_for_manager(*, user: User, pk: int) -> TrainingSession:
    """A session ``user`` may manage. Unknown, or a draft they may not see: 404; one they
    can see but don't run: 403."""
    session = training_session_for_viewer(user=user, pk=pk)
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


def training_session_for_ld_staff(*, pk: int) -> TrainingSession:
    """Any session, drafts included, with its skill, for a view already limited to L&D
    staff (``@ld_staff_required``); unknown: 404."""
    session = TrainingSession.objects.select_related("skill").filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    return session
