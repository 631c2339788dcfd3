"""Reads for session pages, calendars and tasks."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Lower, RowNumber
from django.utils import timezone

from peertrain.accounts.models import Team, User
from programmes.models import Skill
from trainers.ports import TeachingInvitation

from .models import (
    Attendance,
    Booking,
    CoTrainer,
    LearningInterest,
    TrainingSeries,
    TrainingSession,
)

ACTIVE = (Booking.Status.CONFIRMED, Booking.Status.WAITLISTED)
FEED_HISTORY = timedelta(days=31)  # how far back the calendar feed keeps sessions


@dataclass(frozen=True)
class SessionFilters:
    skill: int | None = None
    programme: int | None = None
    format: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    mode: str | None = None  # "in_person" | "remote"
    has_seats: bool = False
    q: str = ""


def _local_midnight(day: date) -> datetime:
    """The first instant of ``day`` in the current time zone. zoneinfo gives midnight the
    offset in force on that day, and a midnight skipped by a DST jump the offset before it,
    which is the instant the day starts. Dates at the calendar's ends whose midnight falls
    outside what Python can hold in UTC get the nearest instant it can."""
    zone = timezone.get_current_timezone()
    try:
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    except OverflowError:  # only in year 1 or 9999
        if day.year == 1:
            return datetime.min.replace(tzinfo=UTC)
        return datetime.max.replace(tzinfo=UTC)


def upcoming_sessions(*, filters: SessionFilters | None = None) -> QuerySet[TrainingSession]:
    """Published sessions that haven't started, soonest first, filtered as asked."""
    filters = filters or SessionFilters()
    sessions = TrainingSession.objects.filter(
        status=TrainingSession.Status.PUBLISHED, starts_at__gt=timezone.now()
    )
    if filters.skill:
        sessions = sessions.filter(skill_id=filters.skill)
    if filters.programme:
        sessions = sessions.filter(programme_id=filters.programme)
    if filters.format:
        sessions = sessions.filter(format=filters.format)
    # Bounds on starts_at itself rather than on its local date, so that an index on
    # starts_at can serve the range.
    if filters.date_from:
        sessions = sessions.filter(starts_at__gte=_local_midnight(filters.date_from))
    if filters.date_to and filters.date_to < date.max:
        sessions = sessions.filter(
            starts_at__lt=_local_midnight(filters.date_to + timedelta(days=1))
        )
    if filters.mode == "remote":
        sessions = sessions.exclude(video_url="")
    elif filters.mode == "in_person":
        sessions = sessions.exclude(location="")
    if filters.has_seats:
        sessions = sessions.filter(confirmed_count__lt=F("capacity"))
    if filters.q:
        sessions = sessions.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(skill__name__icontains=filters.q)
        )
    return sessions.select_related("skill", "programme", "lead_trainer").order_by("starts_at", "pk")


def training_session_detail(*, pk: int, viewer: User | None = None) -> TrainingSession:
    """A session with its skill, programme, lead and accepted co-trainers; for ``viewer``,
    also ``viewer_invitation_state``: the state of their co-teaching invitation, or None."""
    sessions = TrainingSession.objects.select_related(
        "skill", "programme", "lead_trainer"
    ).prefetch_related(
        Prefetch(
            "co_trainer_invitations",
            queryset=CoTrainer.objects.accepted()
            .select_related("user")
            .order_by("invited_at", "pk"),
            to_attr="accepted_co_trainer_rows",
        )
    )
    if viewer is not None and viewer.is_authenticated:
        sessions = sessions.annotate(
            viewer_invitation_state=Subquery(
                CoTrainer.objects.filter(session=OuterRef("pk"), user=viewer.pk).values("state")[:1]
            )
        )
    return sessions.get(pk=pk)


def accepted_co_trainers(session: TrainingSession) -> list[User]:
    """The people teaching ``session`` with its lead (accepted co-trainers), in the order
    they were asked; from ``training_session_detail``'s prefetch when there is one."""
    rows = getattr(session, "accepted_co_trainer_rows", None)
    if rows is None:
        rows = CoTrainer.objects.accepted().filter(session=session).select_related("user")
        rows = rows.order_by("invited_at", "pk")
    return [row.user for row in rows]


def co_teaches_expression(user_id: int) -> Exists:
    """SQL: the outer session has ``user_id`` as an accepted co-trainer."""
    return Exists(CoTrainer.objects.accepted().filter(session=OuterRef("pk"), user_id=user_id))


def taught_by(user: User) -> Q:
    """Sessions ``user`` leads or co-teaches (accepted), as a filter on sessions."""
    co_taught = CoTrainer.objects.accepted().filter(user=user).values("session_id")
    return Q(lead_trainer=user) | Q(pk__in=co_taught)


def teaches(session: TrainingSession, user: User) -> bool:
    """Whether ``user`` leads or co-teaches ``session`` (an accepted co-trainer; an
    invitation is not enough); uses what the session row already carries (a
    ``user_co_teaches`` annotation or ``training_session_detail``'s co-trainers) before asking."""
    if session.lead_trainer_id == user.pk:
        return True
    if hasattr(session, "user_co_teaches"):
        return session.user_co_teaches
    if hasattr(session, "accepted_co_trainer_rows"):
        return any(row.user_id == user.pk for row in session.accepted_co_trainer_rows)
    return CoTrainer.objects.accepted().filter(session=session, user_id=user.pk).exists()


def active_booking_of(*, session: TrainingSession, user: User | AnonymousUser) -> Booking | None:
    if not user.is_authenticated:
        return None
    return Booking.objects.filter(session=session, user=user, status__in=ACTIVE).first()


def sessions_taught_by(*, user: User, now: datetime | None = None) -> QuerySet[TrainingSession]:
    """Sessions ``user`` leads or co-teaches: those not over yet first, soonest first (the
    next one on top), then past ones, most recent first."""
    now = now or timezone.now()
    coming = Q(ends_at__gt=now)
    return (
        TrainingSession.objects.filter(taught_by(user))
        .select_related("skill")
        .order_by(
            Case(When(coming, then=0), default=1),
            Case(When(coming, then=F("starts_at"))).asc(nulls_last=True),
            F("starts_at").desc(),
            "pk",
        )
    )


def sees_video_link(*, session: TrainingSession, user: User, booking: Booking | None) -> bool:
    """The video link is for the people in the session: a confirmed seat (``booking``, the
    user's active booking or None), or teaching it. Not for the waitlist."""
    seated = booking is not None and booking.status == Booking.Status.CONFIRMED
    return seated or teaches(session, user)


def feed_video_link_session_ids(*, user: User) -> set[int]:
    """``sees_video_link`` for every session of my feed at once: those I have a seat on or
    teach, within the feed's window."""
    since = timezone.now() - FEED_HISTORY
    seated = Booking.objects.filter(
        user=user, status=Booking.Status.CONFIRMED, session__starts_at__gte=since
    ).values_list("session_id", flat=True)
    taught = TrainingSession.objects.filter(taught_by(user), starts_at__gte=since).values_list(
        "pk", flat=True
    )
    return set(seated) | set(taught)


def feed_sessions_of(*, user: User) -> list[TrainingSession]:
    """Sessions for my calendar feed: those I'm booked on (or waiting for), and those I
    teach, from a month back onwards; cancelled ones stay so calendars drop them."""
    since = timezone.now() - FEED_HISTORY
    booked = Booking.objects.filter(
        Q(status__in=ACTIVE) | Q(session__status=TrainingSession.Status.CANCELLED), user=user
    ).values("session_id")
    return list(
        TrainingSession.objects.filter(
            Q(pk__in=booked) | taught_by(user),
            starts_at__gte=since,
        )
        .exclude(status=TrainingSession.Status.DRAFT)
        .order_by("starts_at")
    )


# --- Attendance sheet ------------------------------------------------------------------
@dataclass(frozen=True)
class AttendanceRow:
    """One person on a session's attendance sheet: a confirmed seat, or a walk-in."""

    person: User
    has_seat: bool
    status: str  # "" until someone records it
    checked_in_at: datetime | None
    walk_in: bool
    walk_in_approved_at: datetime | None

    @property
    def awaits_approval(self) -> bool:
        return self.walk_in and self.walk_in_approved_at is None

    @property
    def status_label(self) -> str:
        return Attendance.Status(self.status).label if self.status else "Not marked yet"


@dataclass(frozen=True)
class AttendanceSummary:
    people: int
    present: int
    late: int
    absent: int
    excused: int
    unmarked: int
    awaiting_approval: int


def attendance_sheet(*, session: TrainingSession) -> list[AttendanceRow]:
    """Everyone with a confirmed seat or an attendance record (walk-ins), by name — one
    query whatever the roster size."""
    people = User.objects.annotate(
        seat=FilteredRelation(
            "bookings",
            condition=Q(bookings__session=session, bookings__status=Booking.Status.CONFIRMED),
        ),
        record=FilteredRelation(
            "attendance_records", condition=Q(attendance_records__session=session)
        ),
    ).filter(Q(seat__isnull=False) | Q(record__isnull=False))
    people = people.annotate(
        seat_pk=F("seat__pk"),
        record_status=F("record__status"),
        record_checked_in_at=F("record__checked_in_at"),
        record_walk_in=F("record__walk_in"),
        record_walk_in_approved_at=F("record__walk_in_approved_at"),
    ).order_by(Lower("display_name"), "email", "pk")
    return [
        AttendanceRow(
            person=person,
            has_seat=person.seat_pk is not None,
            status=person.record_status or "",
            checked_in_at=person.record_checked_in_at,
            walk_in=bool(person.record_walk_in),
            walk_in_approved_at=person.record_walk_in_approved_at,
        )
        for person in people
    ]


def attendance_summary(rows: list[AttendanceRow]) -> AttendanceSummary:
    """Counts for the top of the sheet, from rows already loaded."""
    by_status = dict.fromkeys(Attendance.Status.values, 0)
    for row in rows:
        if row.status:
            by_status[row.status] += 1
    return AttendanceSummary(
        people=len(rows),
        unmarked=sum(1 for row in rows if not row.status),
        awaiting_approval=sum(1 for row in rows if row.awaits_approval),
        **by_status,
    )


def attendance_of(*, session: TrainingSession, user_id: int) -> Attendance | None:
    return (
        Attendance.objects.select_related("user").filter(session=session, user_id=user_id).first()
    )


# --- Demand ("I want to learn this") ---------------------------------------------------
def _next_session_start(skill_ref: str, now: datetime) -> Subquery:
    return Subquery(
        TrainingSession.objects.filter(
            skill=OuterRef(skill_ref),
            status=TrainingSession.Status.PUBLISHED,
            starts_at__gt=now,
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def interests_of(*, user: User, now: datetime | None = None) -> list[LearningInterest]:
    """My "I want to learn this" list, each with ``next_session_at`` (None: nothing yet)."""
    now = now or timezone.now()
    return list(
        LearningInterest.objects.filter(user=user)
        .select_related("skill")
        .annotate(next_session_at=_next_session_start("skill_id", now))
        .order_by("skill__name")
    )


def skill_demand(*, now: datetime | None = None) -> list[Skill]:
    """Skills people asked for, most wanted first, in one query. Each has ``interested``
    (active people), ``never_told`` (still waiting for a first session notice),
    ``last_told_at`` and ``next_session_at`` (None: no upcoming published session)."""
    now = now or timezone.now()
    active = Q(learning_interests__user__is_active=True)
    return list(
        Skill.objects.annotate(
            interested=Count("learning_interests", filter=active),
            never_told=Count(
                "learning_interests",
                filter=active & Q(learning_interests__last_told_at__isnull=True),
            ),
            last_told_at=Max("learning_interests__last_told_at", filter=active),
            next_session_at=_next_session_start("pk", now),
        )
        .filter(interested__gt=0)
        .order_by("-interested", "name")
    )


# --- Managing sessions and booking one's team ------------------------------------------
def series_occurrences(*, series: TrainingSeries) -> list[TrainingSession]:
    """A series' sessions in date order, one query however many there are."""
    return list(series.occurrences.order_by("starts_at", "pk"))


@dataclass(frozen=True)
class MemberBooking:
    """A member of a lead's teams and their active booking on one session, if any."""

    member: User
    booking: Booking | None


def team_bookings_on(*, session: TrainingSession, teams: list[Team]) -> list[MemberBooking]:
    """The active members of ``teams`` by name, each with their booking on ``session``;
    two queries whatever the team size."""
    members = list(
        User.objects.filter(team__in=teams, is_active=True)
        .select_related("team")
        .order_by("display_name", "email")
    )
    bookings = {
        booking.user_id: booking
        for booking in Booking.objects.filter(
            session=session, status__in=ACTIVE, user__team__in=teams
        )
    }
    return [MemberBooking(member=m, booking=bookings.get(m.pk)) for m in members]


def upcoming_sessions_by_skill(
    skill_ids, *, per_skill: int = 3
) -> dict[int, list[TrainingSession]]:
    """The next few bookable sessions for each skill, in one query (ranked per skill)."""
    ranked = (
        TrainingSession.objects.filter(
            skill_id__in=skill_ids,
            status=TrainingSession.Status.PUBLISHED,
            starts_at__gt=timezone.now(),
        )
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("skill_id")], order_by=F("starts_at").asc())
        )
        .filter(rank__lte=per_skill)
        .order_by("skill_id", "starts_at")
    )
    found: dict[int, list[TrainingSession]] = {}
    for session in ranked:
        found.setdefault(session.skill_id, []).append(session)
    return found


# --- Co-teaching invitations ------------------------------------------------------------
def co_trainer_rows_of(*, session: TrainingSession) -> list[CoTrainer]:
    """Everyone the lead asked to co-teach ``session``, with their answer, for the people
    who manage it: those teaching, then those not answered yet, then those who declined,
    each by when they were asked. One query."""
    answer_order = Case(
        When(state=CoTrainer.State.ACCEPTED, then=0),
        When(state=CoTrainer.State.INVITED, then=1),
        default=2,
    )
    return list(
        CoTrainer.objects.filter(session=session)
        .select_related("user")
        .order_by(answer_order, "invited_at", "pk")
    )


INVITATIONS_SHOWN = 20  # on a person's pages; more waiting than this is unheard of


def pending_co_teaching_invitations(*, user: User, now: datetime | None = None) -> list[CoTrainer]:
    """``user``'s unanswered invitations to co-teach sessions not over yet (nor cancelled
    or completed), soonest first, each with its session, skill and lead. One query."""
    now = now or timezone.now()
    return list(
        CoTrainer.objects.pending()
        .filter(
            user=user,
            session__ends_at__gt=now,
            session__status__in=[
                TrainingSession.Status.DRAFT,
                TrainingSession.Status.PUBLISHED,
            ],
        )
        .select_related("session__skill", "session__lead_trainer")
        .order_by("session__starts_at", "pk")[:INVITATIONS_SHOWN]
    )


def own_pending_invitations_in_series(
    *, user: User, series_id: int, now: datetime | None = None
) -> QuerySet[CoTrainer]:
    """``user``'s unanswered invitations to the dates of one series not over yet: what
    "answer for every date" answers."""
    return CoTrainer.objects.pending().filter(
        user=user,
        session__series_id=series_id,
        session__ends_at__gt=now or timezone.now(),
        session__status__in=[TrainingSession.Status.DRAFT, TrainingSession.Status.PUBLISHED],
    )


def teaching_invitations_of(user: User) -> list[TeachingInvitation]:
    """``pending_co_teaching_invitations`` as the trainer's own page lists them."""
    return [
        TeachingInvitation(
            title=invitation.session.title,
            skill=invitation.session.skill.name,
            starts_at=invitation.session.starts_at,
            led_by=str(invitation.session.lead_trainer),
            url=invitation.session.get_absolute_url(),
        )
        for invitation in pending_co_teaching_invitations(user=user)
    ]
