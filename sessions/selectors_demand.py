""" "I want to learn this", offered the same way wherever a skill has no upcoming session.

Every page that offers it (the home, my gaps, the session list, the trainer directory) asks
``learning_offers`` for the skills it shows, in one query, and renders each offer with the
one partial ``training/_want_to_learn.html``; the toggle views answer htmx with it too.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from peertrain.accounts.models import User
from programmes.models import Skill
from programmes.ports import LearningOffer

from .models import LearningInterest, TrainingSession

WANT_TO_LEARN_TEMPLATE = "training/_want_to_learn.html"


def learning_offers(
    user: User, skill_ids: Sequence[int], *, now: datetime | None = None
) -> dict[int, LearningOffer]:
    """For each of ``skill_ids``: whether an upcoming published session teaches it, whether
    ``user`` asked to learn it, and how many other active colleagues asked. One query."""
    if not skill_ids:
        return {}
    now = now or timezone.now()
    colleagues = Q(learning_interests__user__is_active=True) & ~Q(
        learning_interests__user_id=user.pk
    )
    rows = (
        Skill.objects.filter(pk__in=skill_ids)
        .annotate(
            session_coming=Exists(
                TrainingSession.objects.filter(
                    skill=OuterRef("pk"),
                    status=TrainingSession.Status.PUBLISHED,
                    starts_at__gt=now,
                )
            ),
            asked=Exists(LearningInterest.objects.filter(skill=OuterRef("pk"), user_id=user.pk)),
            colleagues_asked=Count("learning_interests", filter=colleagues),
        )
        .values_list("pk", "session_coming", "asked", "colleagues_asked")
    )
    return {
        pk: LearningOffer(
            skill_id=pk,
            session_coming=session_coming,
            asked=asked,
            colleagues_asked=colleagues_asked,
            template=WANT_TO_LEARN_TEMPLATE,
        )
        for pk, session_coming, asked, colleagues_asked in rows
    }


def learning_offer(*, user: User, skill: Skill) -> LearningOffer:
    return learning_offers(user, [skill.pk])[skill.pk]
