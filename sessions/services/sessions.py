"""Trainers propose, publish, change, cancel and complete sessions; series repeat them."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.audit.events import event_record
from peertrain.core.timezones import zone_named
from peertrain.notifications.notify import notify
from programmes.models import Programme, Skill

from ..errors import SessionError
from ..models import Attendance, Booking, TrainingSeries, TrainingSession
from ..selectors import ACTIVE
from . import seats
from .co_trainers import co_trainers_invite, co_trainers_invite_to_series, co_trainers_replace
from .demand import demand_tell_interested_people
from .eligibility import trainer_cap_check_on_move, trainer_teaching_check

# Changing any of these moves the event in people's calendars and tells attendees.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "time_zone", "location", "video_url")
EDITABLE_FIELDS = (
    *CALENDAR_FIELDS,
    "description",
    "format",
    "programme",
    "capacity",
    "booking_deadline",
    "waitlist_open",
)


def _validate_times(
    *, starts_at: datetime, ends_at: datetime, booking_deadline: datetime | None
) -> None:
    if ends_at <= starts_at:
        raise SessionError("The session must end after it starts.", field="ends_at")
    if booking_deadline and booking_deadline > starts_at:
        raise SessionError(
            "The booking deadline must be before the session starts.", field="booking_deadline"
        )


# How far ahead a session can be scheduled; beyond it a typo (year 9999) would also be a
# date the database can't store once it is converted to UTC.
SCHEDULE_HORIZON = timedelta(days=2 * 366)
# A session is a sitting: a long day at most. Longer training is a series of sessions.
MAX_SESSION_LENGTH = timedelta(hours=12)
# Bookings close before the start, but not so long before that nobody can ever book.
MAX_BOOKING_LEAD = timedelta(days=366)


def _validate_bounds(
    *, starts_at: datetime, ends_at: datetime, booking_deadline: datetime | None
) -> None:
    """Sensible limits on a session's times, checked when they are set or changed (a
    session saved before the limits keeps working until its times are changed)."""
    if ends_at - starts_at > MAX_SESSION_LENGTH:
        raise SessionError(
            "A session can last at most 12 hours; split longer training into several sessions.",
            field="ends_at",
        )
    if booking_deadline and starts_at - booking_deadline > MAX_BOOKING_LEAD:
        raise SessionError(
            "Booking can close at most a year before the session starts.",
            field="booking_deadline",
        )


def _require_future_start(starts_at: datetime) -> None:
    now = timezone.now()
    if starts_at <= now:
        raise SessionError("Choose a start time in the future.", field="starts_at")
    if starts_at > now + SCHEDULE_HORIZON:
        raise SessionError("Sessions can be scheduled up to two years ahead.", field="starts_at")


def _require_place(session: TrainingSession) -> None:
    """People booked on a published session must know where to go."""
    if not session.location and not session.video_url:
        raise SessionError(
            "Add a room or a video-call link: people need to know where to go.", field="location"
        )


def training_session_create(
    *,
    trainer: User,
    skill: Skill,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    co_trainers: Sequence[User] = (),
    programme: Programme | None = None,
    series: TrainingSeries | None = None,
    **fields,
) -> TrainingSession:
    """A draft session led by ``trainer``, who must be certified in ``skill`` and stay
    within their monthly cap (``trainer_teaching_check``); the ``co_trainers`` are invited
    to teach it with them (``co_trainers_invite``)."""
    _validate_new(capacity=capacity, starts_at=starts_at, ends_at=ends_at, fields=fields)
    trainer_teaching_check(
        trainer=trainer, skill=skill, starts=[starts_at], time_zone=fields.get("time_zone", "")
    )
    return _training_session_save(
        trainer=trainer,
        skill=skill,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        co_trainers=co_trainers,
        programme=programme,
        series=series,
        **fields,
    )


def _validate_new(*, capacity: int, starts_at: datetime, ends_at: datetime, fields: dict) -> None:
    if capacity < 1:
        raise SessionError("A session needs at least one seat.", field="capacity")
    _require_future_start(starts_at)
    times = {"starts_at": starts_at, "ends_at": ends_at}
    _validate_times(**times, booking_deadline=fields.get("booking_deadline"))
    _validate_bounds(**times, booking_deadline=fields.get("booking_deadline"))


def _training_session_save(
    *,
    trainer: User,
    skill: Skill,
    co_trainers: Sequence[User],
    programme: Programme | None,
    series: TrainingSeries | None,
    **fields,
) -> TrainingSession:
    """Save a draft whose trainer ``trainer_teaching_check`` has let teach it."""
    with transaction.atomic():
        session = TrainingSession.objects.create(
            lead_trainer=trainer, skill=skill, programme=programme, series=series, **fields
        )
        event_record(actor=trainer, code="training.session.created", target=session)
        if co_trainers:
            co_trainers_invite(session=session, people=co_trainers, by=trainer)
    return session


def training_series_create(
    *, trainer: User, every_weeks: int, until, **session_fields
) -> TrainingSeries:
    """Schedule a session every ``every_weeks`` weeks until ``until`` (a date), each
    occurrence a draft session of its own, with the same ``co_trainers`` invited (told
    once for the whole series). Occurrences keep the wall-clock time of the
    session's ``time_zone`` (10:00 stays 10:00 across a clock change; without one, of the
    zone ``starts_at`` is in), and a booking deadline keeps its distance from each start."""
    starts_at, ends_at = session_fields.pop("starts_at"), session_fields.pop("ends_at")
    deadline = session_fields.pop("booking_deadline", None)
    co_trainers = session_fields.pop("co_trainers", ())
    _require_future_start(starts_at)
    if session_fields.get("time_zone"):
        zone = zone_named(session_fields["time_zone"])
        if zone is None:
            raise SessionError(
                f"{session_fields['time_zone']!r} is not a known time zone.", field="time_zone"
            )
        starts_at = starts_at.astimezone(zone)
    if every_weeks < 1:
        raise SessionError("Repeat at least every week.", field="every_weeks")
    if until < starts_at.date():
        raise SessionError("The series must end on or after its first session.", field="until")
    occurrences: list[datetime] = []
    step = timedelta(weeks=every_weeks)
    while (starts_at + step * len(occurrences)).date() <= until:
        occurrences.append(starts_at + step * len(occurrences))
        if len(occurrences) > 52:
            raise SessionError("A series can have at most 52 sessions.", field="until")
    dates = [
        {
            "starts_at": start,
            "ends_at": start + (ends_at - starts_at),
            "booking_deadline": start - (starts_at - deadline) if deadline else None,
        }
        for start in occurrences
    ]
    for times in dates:
        _validate_new(
            capacity=session_fields["capacity"],
            starts_at=times["starts_at"],
            ends_at=times["ends_at"],
            fields=times,
        )
    # Every month the series touches is counted at once, so the refusal names them all.
    trainer_teaching_check(
        trainer=trainer,
        skill=session_fields["skill"],
        starts=occurrences,
        time_zone=session_fields.get("time_zone", ""),
    )
    programme = session_fields.pop("programme", None)
    with transaction.atomic():
        series = TrainingSeries.objects.create(
            title=session_fields["title"],
            lead_trainer=trainer,
            every_weeks=every_weeks,
            until=until,
        )
        for times in dates:
            _training_session_save(
                trainer=trainer,
                series=series,
                co_trainers=(),
                programme=programme,
                **times,
                **session_fields,
            )
        co_trainers_invite_to_series(series=series, people=co_trainers, by=trainer)
    return series


def training_series_publish(*, series: TrainingSeries, by: User) -> int:
    """Publish every draft occurrence still to come, all or none, if their trainer may
    still teach them all (``trainer_teaching_check``, every month counted). Returns how
    many."""
    with transaction.atomic():
        drafts = list(
            series.occurrences.filter(
                status=TrainingSession.Status.DRAFT, starts_at__gt=timezone.now()
            )
            .select_related("lead_trainer", "skill")
            .order_by("starts_at")
        )
        if drafts:
            _check_may_publish(drafts)
        published = [
            _publish(session=draft, by=by, tell_interested=False, checked=True) for draft in drafts
        ]
        if published:
            # One message per person for the whole series, about its first date.
            demand_tell_interested_people(session=published[0], more_dates=len(published) - 1)
    return len(published)


def _check_may_publish(drafts: Sequence[TrainingSession]) -> None:
    """The drafts' lead trainer may still teach their skill (a certification can lapse
    after proposing) and stays within the cap; they are already saved, so counted once."""
    first = drafts[0]
    trainer_teaching_check(
        trainer=first.lead_trainer,
        skill=first.skill,
        starts=[draft.starts_at for draft in drafts],
        time_zone=first.time_zone,
        ignoring={draft.pk for draft in drafts},
    )


def training_session_publish(
    *, session: TrainingSession, by: User, tell_interested: bool = True
) -> TrainingSession:
    """Open a draft for booking if its trainer may still teach it
    (``trainer_teaching_check``), and tell people who asked to learn its skill, first
    (``tell_interested=False`` when a series tells them once for all its dates)."""
    return _publish(session=session, by=by, tell_interested=tell_interested, checked=False)


def _publish(
    *, session: TrainingSession, by: User, tell_interested: bool, checked: bool
) -> TrainingSession:
    with transaction.atomic():
        session = seats.lock(session)
        if session.status != TrainingSession.Status.DRAFT:
            raise SessionError("Only a draft can be published.")
        if session.starts_at <= timezone.now():
            raise SessionError("This session's start is in the past; move it first.")
        _require_place(session)
        if not checked:
            _check_may_publish([session])
        session.status = TrainingSession.Status.PUBLISHED
        session.save(update_fields=["status", "updated_at"])
        event_record(actor=by, code="training.session.published", target=session)
        if tell_interested:
            demand_tell_interested_people(session=session)
    return session


def _moved_fields(session: TrainingSession, changes: dict) -> list[str]:
    return [f for f in CALENDAR_FIELDS if f in changes and changes[f] != getattr(session, f)]


def training_session_change_is_announced(*, session: TrainingSession, changes: dict) -> bool:
    """Whether applying ``changes`` to ``session`` tells the people booked: a published
    session whose time, place or title moves. ``training_session_update`` acts on it; a page
    can ask beforehand to say so."""
    return session.status == TrainingSession.Status.PUBLISHED and bool(
        _moved_fields(session, changes)
    )


def training_session_update(
    *, session: TrainingSession, by: User, co_trainers: list[User] | None = None, **changes
) -> TrainingSession:
    """Change a session. Moving it bumps its calendar SEQUENCE and tells attendees;
    more seats go to the waitlist; fewer seats than people booked is refused.
    ``co_trainers``, when given, is who should be invited to or teaching it with the lead
    (``co_trainers_replace``: newcomers invited, the others withdrawn)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise SessionError(f"These can't be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        session = seats.lock(session)
        _require_changeable(session, changes)
        moved = _moved_fields(session, changes)
        announce = training_session_change_is_announced(session=session, changes=changes)
        more_seats = changes.get("capacity", session.capacity) > session.capacity
        _apply_changes(session, changes, moved=moved)
        changed = sorted(changes)
        if co_trainers is not None and co_trainers_replace(
            session=session, people=co_trainers, by=by
        ):
            changed = sorted([*changed, "co_trainers"])
        session.save()
        session.refresh_from_db()
        if more_seats:
            seats.fill_free(session)
        event_record(
            actor=by,
            code="training.session.updated",
            target=session,
            payload={"changed": changed, "moved": moved},
        )
        if announce:
            _tell_attendees(
                session,
                kind="training.session.changed",
                key=f"changed:{session.calendar_sequence}",
            )
    return session


def _require_changeable(session: TrainingSession, changes: dict) -> None:
    """Refuse changes to a session that is over, and fewer seats than people booked."""
    if session.status in (TrainingSession.Status.CANCELLED, TrainingSession.Status.COMPLETED):
        raise SessionError(f"This session is {session.get_status_display().lower()}.")
    if changes.get("capacity", session.capacity) < session.confirmed_count:
        raise SessionError(
            f"{session.confirmed_count} people are booked, so the session needs at least "
            f"{session.confirmed_count} seats. Cancel bookings one by one if you must.",
            field="capacity",
        )


def _apply_changes(session: TrainingSession, changes: dict, *, moved: list[str]) -> None:
    """Set ``changes`` on the locked ``session`` (unsaved) once its times and place hold."""
    if "starts_at" in moved:
        _require_future_start(changes["starts_at"])
        trainer_cap_check_on_move(session=session, starts_at=changes["starts_at"])
    for name, value in changes.items():
        setattr(session, name, value)
    times = {"starts_at": session.starts_at, "ends_at": session.ends_at}
    _validate_times(**times, booking_deadline=session.booking_deadline)
    if {"starts_at", "ends_at", "booking_deadline"} & set(changes):
        _validate_bounds(**times, booking_deadline=session.booking_deadline)
    if session.status == TrainingSession.Status.PUBLISHED:
        _require_place(session)
    if moved:
        session.calendar_sequence = F("calendar_sequence") + 1


def training_session_cancel(*, session: TrainingSession, by: User, reason: str = "") -> None:
    """Cancel a session: every booking ends and everyone booked or waiting is told."""
    with transaction.atomic():
        session = seats.lock(session)
        if session.status == TrainingSession.Status.CANCELLED:
            raise SessionError("This session is already cancelled.")
        if session.status == TrainingSession.Status.COMPLETED:
            raise SessionError("A completed session can't be cancelled.")
        _tell_attendees(
            session,
            kind="training.session.cancelled",
            key="cancelled",
            context={"reason": reason},
            include_waitlist=True,
        )
        seats.end_all_bookings(session)
        TrainingSession.objects.filter(pk=session.pk).update(
            status=TrainingSession.Status.CANCELLED,
            calendar_sequence=F("calendar_sequence") + 1,
        )
        event_record(
            actor=by, code="training.session.cancelled", target=session, payload={"reason": reason}
        )


def training_session_complete(*, session: TrainingSession, by: User) -> int:
    """Mark a session held: anyone booked with no attendance is recorded absent (a no-show).
    ``training.session.completed`` names who attended; its handlers ask them for feedback
    (``sessions.handlers``). Returns how many attended."""
    with transaction.atomic():
        session = seats.lock(session)
        if session.status != TrainingSession.Status.PUBLISHED:
            raise SessionError("Only a published session can be marked completed.")
        if session.starts_at > timezone.now():
            raise SessionError("This session hasn't started yet.")
        confirmed = list(Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED))
        recorded = set(Attendance.objects.filter(session=session).values_list("user_id", flat=True))
        Attendance.objects.bulk_create(
            Attendance(
                session=session,
                user_id=booking.user_id,
                booking=booking,
                status=Attendance.Status.ABSENT,
                recorded_by=by,
            )
            for booking in confirmed
            if booking.user_id not in recorded
        )
        session.status = TrainingSession.Status.COMPLETED
        session.save(update_fields=["status", "updated_at"])
        attended = [
            record.user_id
            for record in Attendance.objects.filter(session=session)
            if record.counts_as_attended
        ]
        event_record(
            actor=by,
            code="training.session.completed",
            target=session,
            payload={"attended": attended, "booked": len(confirmed)},
        )
    return len(attended)


def _tell_attendees(
    session: TrainingSession,
    *,
    kind: str,
    key: str,
    context: dict | None = None,
    include_waitlist: bool = False,
) -> None:
    """Tell the people booked (and waiting, if asked) about ``session``: each reads it in
    their own time zone (``notify``)."""
    statuses = ACTIVE if include_waitlist else (Booking.Status.CONFIRMED,)
    for booking in Booking.objects.filter(session=session, status__in=statuses).select_related(
        "user"
    ):
        notify(
            recipient=booking.user,
            kind=kind,
            key=f"{kind}:{booking.pk}:{key}",
            related=session,
            context={"session": session, "booking": booking, **(context or {})},
        )
