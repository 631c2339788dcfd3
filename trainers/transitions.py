"""A trainer's status, and the one place it changes.

``LEGAL_TRANSITIONS`` is the whole rule: from each status, the statuses a trainer may move
to. ``trainer_status_change`` applies it (the review workspace, accepting a nomination and
the admin all come through here), refuses anything else with a message, and audits each
change with who, when, from and to.
"""

from collections.abc import Mapping

from django.db import transaction

from peertrain.accounts.models import User
from peertrain.audit.events import event_record

from .errors import IllegalTransition
from .models import TrainerProfile

Status = TrainerProfile.Status

LEGAL_TRANSITIONS: Mapping[str, frozenset[str]] = {
    # L&D accept a nominee as a candidate; a nominee is not paused, their nomination is
    # declined instead.
    Status.NOMINATED: frozenset({Status.CANDIDATE}),
    # A candidate starts a train-the-trainer track, or steps back for a while.
    Status.CANDIDATE: frozenset({Status.IN_TRAINING, Status.PAUSED}),
    # Finishing the track certifies; a trainee may pause part-way.
    Status.IN_TRAINING: frozenset({Status.CERTIFIED, Status.PAUSED}),
    Status.CERTIFIED: frozenset({Status.PAUSED}),
    # Resuming returns to where they paused from (``paused_from``).
    Status.PAUSED: frozenset({Status.CANDIDATE, Status.IN_TRAINING, Status.CERTIFIED}),
}


def check_transition(*, profile: TrainerProfile, old: str, new: str) -> None:
    """Refuse ``old`` → ``new`` for ``profile`` unless the table allows it (and, out of a
    pause, unless it returns to where the pause began)."""
    label = dict(Status.choices)
    if new not in LEGAL_TRANSITIONS.get(old, frozenset()):
        allowed = ", ".join(sorted(label[s].lower() for s in LEGAL_TRANSITIONS.get(old, ())))
        raise IllegalTransition(
            f"{profile.user} is {label.get(old, old).lower()}, so can't become "
            f"{label.get(new, new).lower()}. From {label.get(old, old).lower()} they can "
            f"become: {allowed or 'nothing else'}."
        )
    if old == Status.PAUSED and profile.paused_from and new != profile.paused_from:
        raise IllegalTransition(
            f"{profile.user} was {label[profile.paused_from].lower()} when paused, so "
            f"resuming returns them there, not to {label[new].lower()}."
        )


def trainer_status_change(
    *, profile: TrainerProfile, to: str, by: User, reason: str = ""
) -> TrainerProfile:
    """Move ``profile`` to status ``to`` if ``LEGAL_TRANSITIONS`` allows it; audited
    (``trainers.profile.status_changed``). Re-reads the status under a row lock, so two
    people acting at once can't both move it from the same state."""
    with transaction.atomic():
        locked = (
            TrainerProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        )
        old = locked.status
        check_transition(profile=locked, old=old, new=to)
        locked.paused_from = old if to == Status.PAUSED else ""
        locked.status = to
        locked.save(update_fields=["status", "paused_from", "updated_at"])
        record_status_change(profile=locked, old=old, by=by, reason=reason)
    profile.status, profile.paused_from = locked.status, locked.paused_from
    return profile


def trainer_resume(*, profile: TrainerProfile, by: User) -> TrainerProfile:
    """Back from a pause to the status the pause began in (certified when unknown)."""
    return trainer_status_change(profile=profile, to=profile.paused_from or Status.CERTIFIED, by=by)


def record_status_change(*, profile: TrainerProfile, old: str, by: User, reason: str = "") -> None:
    event_record(
        actor=by,
        code="trainers.profile.status_changed",
        target=profile,
        payload={"user": profile.user_id, "from": old, "to": profile.status, "reason": reason},
    )
