"""Reads for nominations: a person's own page and the L&D review workspace."""

from django.db.models import F, OuterRef, QuerySet, Subquery

from peertrain.accounts.models import User
from programmes.models import CurrentSkillLevel

from .models import Nomination, TrainerProfile

# Each list on these pages shows at most this many rows; the admin lists them all.
NOMINATIONS_LIMIT = 100


def _first(rows: QuerySet, limit: int = NOMINATIONS_LIMIT) -> tuple[list, bool]:
    found = list(rows[: limit + 1])
    return found[:limit], len(found) > limit


def nominations_about(*, user: User) -> tuple[list[Nomination], bool]:
    """Nominations of ``user``: open ones first, then the newest. One query."""
    return _first(
        Nomination.objects.filter(nominee=user)
        .select_related("skill", "nominated_by", "decided_by")
        .order_by(F("decided_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def nominations_made_by(*, user: User) -> tuple[list[Nomination], bool]:
    """Nominations ``user`` made (of others), open ones first, then the newest. One query."""
    return _first(
        Nomination.objects.filter(nominated_by=user)
        .exclude(nominee=user)
        .select_related("skill", "nominee", "decided_by")
        .order_by(F("decided_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def _level(field: str) -> Subquery:
    return Subquery(
        CurrentSkillLevel.objects.filter(user=OuterRef("nominee"), skill=OuterRef("skill")).values(
            field
        )[:1]
    )


def _open_for_review() -> QuerySet[Nomination]:
    return Nomination.objects.filter(state=Nomination.State.OPEN, nominee__is_active=True)


def open_nominations_count() -> int:
    """How many nominations wait in the review workspace. One query."""
    return _open_for_review().count()


def open_nominations_for_review() -> tuple[list[Nomination], bool]:
    """Open nominations for L&D: those the nominee agreed to first (they can be decided),
    then the oldest first. Each carries ``current_level`` and ``verified_level`` (None: not
    assessed / nobody verified) in the skill, the nominee's team and trainer profile (if
    any) and who nominated them. One query."""
    return _first(
        _open_for_review()
        .select_related("skill", "nominee__team", "nominee__trainer_profile", "nominated_by")
        .annotate(current_level=_level("level"), verified_level=_level("verified_level"))
        .order_by(F("nominee_agreed_at").asc(nulls_last=True), "created_at", "pk")
    )


# Everyone past the nomination: whom L&D pause and resume.
ON_THE_PROGRAMME = [
    TrainerProfile.Status.CANDIDATE,
    TrainerProfile.Status.IN_TRAINING,
    TrainerProfile.Status.CERTIFIED,
    TrainerProfile.Status.PAUSED,
]


def trainers_for_review() -> tuple[list[TrainerProfile], bool]:
    """Active people on the programme past nomination, by status then name. One query."""
    return _first(
        TrainerProfile.objects.filter(status__in=ON_THE_PROGRAMME, user__is_active=True)
        .select_related("user__team")
        .order_by("status", "user__display_name", "user__email", "pk")
    )
