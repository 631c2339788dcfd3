"""Co-teaching: the lead trainer (or L&D) invites colleagues to teach a session with them.

An invitee must be allowed to co-teach the session's skill (``trainers.selectors.
who_may_co_teach``) and counts as a co-trainer only once they accept: until then they see
no draft, roster or check-in code, aren't named on the page and may book a seat like
anyone. Every step is audited (``training.cotrainer.*``) and told to the person it
concerns through the outbox.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.audit.events import event_record
from peertrain.notifications.notify import notify
from programmes.models import Skill
from trainers.selectors import who_may_co_teach

from ..errors import BookingError, SessionError
from ..models import Booking, CoTrainer, TrainingSeries, TrainingSession
from ..selectors import ACTIVE, own_pending_invitations_in_series
from .booking import booking_cancel

OPEN = (TrainingSession.Status.DRAFT, TrainingSession.Status.PUBLISHED)
FIELD = "co_trainers"  # the form input refusals belong beside


def co_trainer_refusals(*, skill: Skill, lead: User, people: Sequence[User]) -> list[str]:
    """Why each of ``people`` can't be asked to co-teach a session of ``skill`` led by
    ``lead``, in words for the person inviting (empty: all of them can)."""
    allowed = who_may_co_teach(skill=skill, user_ids=[person.pk for person in people])
    refusals = []
    for person in people:
        if person.pk == lead.pk:
            refusals.append(
                f"{person} leads this session; list only the colleagues teaching with them."
            )
        elif not person.is_active:
            refusals.append(f"{person} ({person.email}) no longer has an active account.")
        elif person.pk not in allowed:
            refusals.append(
                f"{person} isn't certified to teach {skill} today, so can't co-teach it."
            )
    return refusals


def _require_invitable(*, skill: Skill, lead: User, people: Sequence[User]) -> None:
    refusals = co_trainer_refusals(skill=skill, lead=lead, people=people)
    if refusals:
        raise SessionError(" ".join(refusals), field=FIELD)


def _invite(
    session: TrainingSession, people: Sequence[User], *, by: User, tell: bool
) -> list[CoTrainer]:
    """Rows for ``people`` on ``session`` (checked by the caller). Someone who declined
    before gets a new invitation; someone invited or teaching already is left alone."""
    existing = {row.user_id: row for row in CoTrainer.objects.filter(session=session)}
    declined = [row.pk for row in existing.values() if row.state == CoTrainer.State.DECLINED]
    fresh = [
        person
        for person in people
        if person.pk not in existing or existing[person.pk].state == CoTrainer.State.DECLINED
    ]
    CoTrainer.objects.filter(pk__in=declined, user__in=fresh).delete()
    rows = CoTrainer.objects.bulk_create(
        CoTrainer(session=session, user=person, invited_by=by) for person in fresh
    )
    for row in rows:
        event_record(
            actor=by,
            code="training.cotrainer.invited",
            target=session,
            payload={"co_trainer": row.user_id},
        )
        if tell:
            _tell_invited(row, session=session)
    return rows


def co_trainers_invite(
    *, session: TrainingSession, people: Sequence[User], by: User, tell: bool = True
) -> list[CoTrainer]:
    """Invite ``people`` to co-teach ``session``; each is told (unless ``tell`` is False,
    for a series that tells them once). Refused beside the co-trainers input if any of
    them can't co-teach its skill, is the lead, or has left."""
    _require_invitable(skill=session.skill, lead=session.lead_trainer, people=people)
    if session.status not in OPEN:
        raise SessionError(f"This session is {session.get_status_display().lower()}.")
    with transaction.atomic():
        return _invite(session, people, by=by, tell=tell)


def co_trainers_invite_to_series(
    *, series: TrainingSeries, people: Sequence[User], by: User
) -> None:
    """Invite ``people`` to co-teach every date of a new series, telling each of them once
    (about the first date)."""
    occurrences = list(series.occurrences.select_related("skill").order_by("starts_at", "pk"))
    if not people or not occurrences:
        return
    first = occurrences[0]
    _require_invitable(skill=first.skill, lead=series.lead_trainer, people=people)
    with transaction.atomic():
        for occurrence in occurrences:
            rows = _invite(occurrence, people, by=by, tell=False)
        for row in rows:  # those of the last date: one per person
            _tell_invited(row, session=first, dates=len(occurrences))


def co_trainers_replace(*, session: TrainingSession, people: Sequence[User], by: User) -> bool:
    """Make ``people`` the colleagues invited to or teaching ``session``, from the edit
    form: newcomers are invited, those left out are withdrawn (not answered yet) or
    removed (teaching), and each is told. Declined invitations stay on record; listing
    that person again invites them anew. Returns whether anything changed."""
    with transaction.atomic():  # its own, when not called from training_session_update
        rows = {
            row.user_id: row
            for row in CoTrainer.objects.select_for_update().filter(session=session)
        }
        current = {pk for pk, row in rows.items() if row.state != CoTrainer.State.DECLINED}
        wanted = {person.pk for person in people}
        newcomers = [person for person in people if person.pk not in current]
        _require_invitable(skill=session.skill, lead=session.lead_trainer, people=newcomers)
        for pk in current - wanted:
            _drop(rows[pk], session=session, by=by)
        _invite(session, newcomers, by=by, tell=True)
    return bool(newcomers) or bool(current - wanted)


def co_trainer_withdraw(*, invitation: CoTrainer, by: User) -> str:
    """The lead (or L&D) takes back an invitation not answered yet, or stops an accepted
    co-trainer teaching the session; either way the person is told. Returns the state the
    invitation had ("invited" or "accepted")."""
    with transaction.atomic():
        row = CoTrainer.objects.select_for_update().filter(pk=invitation.pk).first()
        if row is None:
            raise SessionError(f"{invitation.user} is no longer asked to co-teach this session.")
        if row.state == CoTrainer.State.DECLINED:
            raise SessionError(f"{invitation.user} already declined; there is nothing to withdraw.")
        session = TrainingSession.objects.select_related("lead_trainer").get(pk=row.session_id)
        if session.status not in OPEN:
            raise SessionError(f"This session is {session.get_status_display().lower()}.")
        row.user = invitation.user
        _drop(row, session=session, by=by)
    return row.state


def _drop(row: CoTrainer, *, session: TrainingSession, by: User) -> None:
    code = "removed" if row.state == CoTrainer.State.ACCEPTED else "withdrawn"
    notify(
        recipient=row.user,
        kind=f"training.cotrainer.{code}",
        key=f"training.cotrainer.{code}:{row.pk}",
        related=session,
        context={"session": session, "by": by},
    )
    event_record(
        actor=by,
        code=f"training.cotrainer.{code}",
        target=session,
        payload={"co_trainer": row.user_id},
    )
    row.delete()


def _answerable(invitation: CoTrainer, user: User, *, whole_series: bool) -> list[CoTrainer]:
    """The invitations one answer covers, locked: this one, and with ``whole_series`` the
    person's other unanswered ones to the dates of its series still to come."""
    if invitation.user_id != user.pk:
        raise SessionError("This invitation is for someone else.")
    row = (
        CoTrainer.objects.select_for_update()
        .select_related("session__skill", "session__lead_trainer")
        .filter(pk=invitation.pk)
        .first()
    )
    if row is None:
        raise SessionError("This invitation was withdrawn.")
    if row.state != CoTrainer.State.INVITED:
        raise SessionError(f"You already {row.state} this invitation.")
    session = row.session
    if session.status not in OPEN:
        raise SessionError(f"This session is {session.get_status_display().lower()}.")
    if session.ends_at <= timezone.now():
        raise SessionError("This session is over.")
    rows = [row]
    if whole_series and session.series_id:
        others = own_pending_invitations_in_series(user=user, series_id=session.series_id)
        rows += list(
            others.exclude(pk=row.pk)
            .select_for_update()
            .select_related("session")
            .order_by("session__starts_at")
        )
    return rows


def co_trainer_accept(
    *, invitation: CoTrainer, user: User, whole_series: bool = False
) -> list[CoTrainer]:
    """``user`` accepts their own invitation (with ``whole_series``, to every date of its
    series still to come) and becomes a co-trainer. A seat they booked on those sessions
    is given back (trainers don't take seats); the lead is told. Refused if they may no
    longer co-teach the skill."""
    with transaction.atomic():
        rows = _answerable(invitation, user, whole_series=whole_series)
        first = rows[0].session
        if user.pk not in who_may_co_teach(skill=first.skill, user_ids=[user.pk]):
            raise SessionError(
                f"You aren't certified to teach {first.skill} today, so you can't co-teach "
                "it. Decline, or ask L&D about your certification."
            )
        seats = Booking.objects.filter(
            user=user, status__in=ACTIVE, session__in=[row.session_id for row in rows]
        ).select_related("session")
        for booking in seats:
            try:
                booking_cancel(booking=booking, by=user)
            except BookingError as error:
                raise SessionError(str(error)) from error
        _answer(rows, user, state=CoTrainer.State.ACCEPTED)
    return rows


def co_trainer_decline(
    *, invitation: CoTrainer, user: User, whole_series: bool = False
) -> list[CoTrainer]:
    """``user`` declines their own invitation (with ``whole_series``, every date of its
    series still to come); the lead is told."""
    with transaction.atomic():
        rows = _answerable(invitation, user, whole_series=whole_series)
        _answer(rows, user, state=CoTrainer.State.DECLINED)
    return rows


def _answer(rows: list[CoTrainer], user: User, *, state: CoTrainer.State) -> None:
    now = timezone.now()
    CoTrainer.objects.filter(pk__in=[row.pk for row in rows]).update(state=state, answered_at=now)
    for row in rows:
        row.state, row.answered_at = state, now
        event_record(
            actor=user,
            code=f"training.cotrainer.{state}",
            target=row.session,
            payload={"co_trainer": user.pk},
        )
    first = rows[0].session
    notify(
        recipient=first.lead_trainer,
        kind=f"training.cotrainer.{state}",
        key=f"training.cotrainer.{state}:{rows[0].pk}",
        related=first,
        context={"session": first, "co_trainer": user, "dates": len(rows)},
    )


def _tell_invited(row: CoTrainer, *, session: TrainingSession, dates: int = 1) -> None:
    notify(
        recipient=row.user,
        kind="training.cotrainer.invited",
        key=f"training.cotrainer.invited:{row.pk}",
        related=session,
        context={"session": session, "lead": session.lead_trainer, "dates": dates},
    )
