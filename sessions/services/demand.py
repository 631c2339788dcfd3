""" "I want to learn this": demand for skills, and telling those people first."""

from django.db import transaction
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.notifications.notify import notify
from programmes.models import Skill

from ..models import CoTrainer, LearningInterest, TrainingSession


def interest_register(*, user: User, skill: Skill) -> tuple[LearningInterest, bool]:
    return LearningInterest.objects.get_or_create(user=user, skill=skill)


def interest_withdraw(*, user: User, skill: Skill) -> bool:
    deleted, _ = LearningInterest.objects.filter(user=user, skill=skill).delete()
    return bool(deleted)


def demand_tell_interested_people(*, session: TrainingSession, more_dates: int = 0) -> int:
    """Tell everyone who asked for the session's skill that it is open for booking (the
    first of a series, with ``more_dates`` after it). Runs inside the publishing
    transaction, so messages go out only if it commits."""
    interests = list(
        LearningInterest.objects.filter(skill=session.skill, user__is_active=True)
        .exclude(user=session.lead_trainer)
        .exclude(user__in=CoTrainer.objects.accepted().filter(session=session).values("user_id"))
        .select_related("user")
    )
    with transaction.atomic():
        for interest in interests:
            notify(
                recipient=interest.user,
                kind="training.demand.session_published",
                key=f"training.demand.session_published:{session.pk}:{interest.user_id}",
                related=session,
                context={"session": session, "more_dates": more_dates},
            )
        LearningInterest.objects.filter(pk__in=[i.pk for i in interests]).update(
            last_told_at=timezone.now()
        )
    return len(interests)
