from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from peertrain.accounts.models import User

from .models import Certification, TrainerProfile


def valid_certifications() -> QuerySet[Certification]:
    """Certifications that let someone teach today: a certified (not paused) trainer,
    not expired."""
    return Certification.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
        trainer__status=TrainerProfile.Status.CERTIFIED,
    )


def is_trainer_expression(user_ref: str = "pk") -> Exists:
    """For annotations: does the user in ``user_ref`` hold a valid certification?"""
    return Exists(valid_certifications().filter(trainer__user=OuterRef(user_ref)))


def trainer_profile_for(*, user: User) -> TrainerProfile | None:
    return TrainerProfile.objects.filter(user=user).first()


def certifications_of(*, profile: TrainerProfile) -> list[Certification]:
    return list(profile.certifications.select_related("skill", "issued_by").order_by("skill__name"))
