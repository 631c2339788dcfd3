"""Nominations: anyone puts a colleague (or themselves) forward to teach a skill; the nominee
agrees or declines; L&D accept them as a candidate or decline with a reason; whoever
nominated may withdraw. Each step is one transaction, audited, and only an open nomination
changes."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.audit.events import event_record
from peertrain.notifications.notify import notify
from programmes.models import Skill

from .errors import NominationClosed, NominationError
from .models import NOMINATION_REST_PERIOD, Nomination, TrainerProfile
from .selectors import valid_certifications
from .transitions import trainer_status_change


def _payload(nomination: Nomination) -> dict:
    return {"nominee": nomination.nominee_id, "skill": nomination.skill.slug}


def _tell(recipient: User, what: str, nomination: Nomination, **context) -> None:
    """One message of kind ``trainers.nomination.<what>`` about ``nomination``, once."""
    notify(
        recipient=recipient,
        kind=f"trainers.nomination.{what}",
        key=f"trainers.nomination.{what}:{nomination.pk}:{recipient.pk}",
        related=nomination,
        context={"nomination": nomination, **context},
    )


def _tell_nominator(nomination: Nomination, *, by_nominee: bool) -> None:
    """Whoever nominated someone else hears what became of it (not of their own)."""
    nominator = nomination.nominated_by
    if nominator is not None and nominator.pk != nomination.nominee_id and nominator.is_active:
        _tell(nominator, "outcome", nomination, by_nominee=by_nominee)


def _check_may_be_nominated(*, nominee: User, skill: Skill, nominated_by: User) -> None:
    if not nominee.is_active:
        raise NominationError(f"{nominee} no longer works here, so can't be nominated.")
    if valid_certifications().filter(trainer__user=nominee, skill=skill).exists():
        raise NominationError(f"{nominee} already teaches {skill}.")
    waiting = Nomination.objects.filter(
        nominee=nominee, skill=skill, state=Nomination.State.OPEN
    ).first()
    if waiting is not None:
        raise NominationError(
            f"{nominee} is already nominated for {skill} (since "
            f"{waiting.created_at:%-d %b %Y}); L&D will review it."
        )
    if nominated_by == nominee:  # changing one's own mind is always welcome
        return
    declined = (
        Nomination.objects.filter(
            nominee=nominee,
            skill=skill,
            state=Nomination.State.DECLINED,
            decided_at__gt=timezone.now() - NOMINATION_REST_PERIOD,
        )
        .order_by("-decided_at")
        .first()
    )
    if declined is not None and declined.decided_at is not None:
        again = declined.decided_at + NOMINATION_REST_PERIOD
        raise NominationError(
            f"A nomination of {nominee} for {skill} was declined on "
            f"{declined.decided_at:%-d %b %Y}, so it isn't offered again before "
            f"{again:%-d %b %Y}."
        )


def nomination_make(*, nominee: User, skill: Skill, nominated_by: User, reason: str) -> Nomination:
    """``nominated_by`` puts ``nominee`` forward to teach ``skill``. Refused for someone
    inactive, someone who already teaches it, an open nomination of the same person for the
    same skill, and within ``NOMINATION_REST_PERIOD`` of a declined one (except by the
    nominee themselves). A self-nomination counts as agreed."""
    reason = reason.strip()
    if not reason:
        raise NominationError("Say why they would teach it well.", field="reason")
    self_nominated = nominee == nominated_by
    try:
        with transaction.atomic():
            _check_may_be_nominated(nominee=nominee, skill=skill, nominated_by=nominated_by)
            nomination = Nomination.objects.create(
                nominee=nominee,
                skill=skill,
                nominated_by=nominated_by,
                reason=reason,
                nominee_agreed_at=timezone.now() if self_nominated else None,
            )
            event_record(
                actor=nominated_by,
                code="trainers.nomination.made",
                target=nomination,
                payload=_payload(nomination) | {"self_nominated": self_nominated},
            )
            if not self_nominated:
                _tell(nomination.nominee, "received", nomination)
    except IntegrityError as exc:  # someone nominated them at the same moment
        raise NominationError(f"{nominee} is already nominated for {skill}.") from exc
    return nomination


def _locked_open(nomination: Nomination) -> Nomination:
    """The nomination re-read under a row lock; refused unless it is still open."""
    locked = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("skill", "nominee", "nominated_by")
        .get(pk=nomination.pk)
    )
    if not locked.is_open:
        raise NominationClosed(
            f"This nomination is already {locked.get_state_display().lower()}; nothing was changed."
        )
    return locked


def nomination_agree(*, nomination: Nomination, by: User) -> Nomination:
    """The nominee says yes to being considered; L&D may then accept them."""
    with transaction.atomic():
        locked = _locked_open(nomination)
        if locked.nominee_agreed_at is None:
            locked.nominee_agreed_at = timezone.now()
            locked.save(update_fields=["nominee_agreed_at"])
            event_record(
                actor=by, code="trainers.nomination.agreed", target=locked, payload=_payload(locked)
            )
    return locked


def _close(nomination: Nomination, *, state: str, by: User, decline_reason: str = "") -> None:
    nomination.state = state
    nomination.decided_by = by
    nomination.decided_at = timezone.now()
    nomination.decline_reason = decline_reason
    nomination.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])


def nomination_decline(*, nomination: Nomination, by: User, reason: str = "") -> Nomination:
    """The nominee (a reason is optional) or L&D (a reason is required: the nominee and
    whoever nominated them are told it) decline an open nomination."""
    reason = reason.strip()
    by_nominee = by.pk == nomination.nominee_id
    if not by_nominee and not reason:
        raise NominationError(
            "Give a reason: the nominee and whoever nominated them are told it.", field="reason"
        )
    with transaction.atomic():
        locked = _locked_open(nomination)
        _close(locked, state=Nomination.State.DECLINED, by=by, decline_reason=reason)
        event_record(
            actor=by,
            code="trainers.nomination.declined",
            target=locked,
            payload=_payload(locked) | {"by_nominee": by_nominee, "reason": reason},
        )
        if not by_nominee:
            _tell(locked.nominee, "declined", locked)
        _tell_nominator(locked, by_nominee=by_nominee)
    return locked


def nomination_withdraw(*, nomination: Nomination, by: User) -> Nomination:
    """Whoever made an open nomination takes it back."""
    with transaction.atomic():
        locked = _locked_open(nomination)
        _close(locked, state=Nomination.State.WITHDRAWN, by=by)
        event_record(
            actor=by,
            code="trainers.nomination.withdrawn",
            target=locked,
            payload=_payload(locked),
        )
    return locked


def nomination_accept(*, nomination: Nomination, by: User) -> Nomination:
    """L&D accept the nominee as a candidate trainer, once the nominee has agreed. Someone
    new to the programme joins it as nominated and moves to candidate (an audited
    transition); someone already further along keeps their status."""
    with transaction.atomic():
        locked = _locked_open(nomination)
        if locked.nominee_agreed_at is None:
            raise NominationClosed(
                f"{locked.nominee} hasn't agreed to be considered yet; "
                "accept once they have, or decline it."
            )
        profile, _ = TrainerProfile.objects.get_or_create(
            user=locked.nominee, defaults={"nominated_by": locked.nominated_by}
        )
        if profile.status == TrainerProfile.Status.NOMINATED:
            trainer_status_change(
                profile=profile,
                to=TrainerProfile.Status.CANDIDATE,
                by=by,
                reason=f"Nomination for {locked.skill} accepted",
            )
        _close(locked, state=Nomination.State.ACCEPTED, by=by)
        event_record(
            actor=by,
            code="trainers.nomination.accepted",
            target=locked,
            payload=_payload(locked) | {"status": profile.status},
        )
        _tell(locked.nominee, "accepted", locked)
        _tell_nominator(locked, by_nominee=False)
    return locked
