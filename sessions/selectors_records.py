"""Sessions people attended and taught, for trainers' review workspace (the query port
``trainers.session_records``): three queries whatever the number of people; and how many
each ran, for the directory (``trainers.sessions_run``): one query."""

from collections import defaultdict

from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from peertrain.accounts.models import User
from trainers.ports import PastSession, SessionRecord

from .models import Attendance, CoTrainer, TrainingSession

# The latest sessions of each kind shown beside the totals.
RECENT_SESSIONS = 3

ATTENDED = Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]) & ~Q(
    walk_in=True, walk_in_approved_at__isnull=True
)


def _latest(rows: QuerySet, *, person: str, when: str) -> QuerySet:
    """``rows`` with ``total`` per ``person`` and only each person's latest few."""
    return rows.annotate(
        rank=Window(
            RowNumber(), partition_by=[F(person)], order_by=[F(when).desc(), F("pk").desc()]
        ),
        total=Window(Count("pk"), partition_by=[F(person)]),
    ).filter(rank__lte=RECENT_SESSIONS)


def _past(session: TrainingSession) -> PastSession:
    return PastSession(
        title=session.title,
        skill=session.skill.name,
        starts_at=session.starts_at,
        url=session.get_absolute_url(),
    )


def attended_and_taught_of(user_ids: list[int]) -> dict[int, SessionRecord]:
    attended = _latest(
        Attendance.objects.filter(ATTENDED, user_id__in=user_ids).select_related("session__skill"),
        person="user_id",
        when="session__starts_at",
    )
    led = _latest(
        TrainingSession.objects.filter(
            lead_trainer_id__in=user_ids, status=TrainingSession.Status.COMPLETED
        ).select_related("skill"),
        person="lead_trainer_id",
        when="starts_at",
    )
    co_taught = _latest(
        CoTrainer.objects.accepted()
        .filter(user_id__in=user_ids, session__status=TrainingSession.Status.COMPLETED)
        .select_related("session__skill"),
        person="user_id",
        when="session__starts_at",
    )
    attended_by: dict[int, list[PastSession]] = defaultdict(list)
    taught_by: dict[int, list[PastSession]] = defaultdict(list)
    attended_total: dict[int, int] = defaultdict(int)
    taught_total: dict[int, int] = defaultdict(int)
    for record in attended:
        attended_by[record.user_id].append(_past(record.session))
        attended_total[record.user_id] = record.total
    for session in led:
        taught_by[session.lead_trainer_id].append(_past(session))
        taught_total[session.lead_trainer_id] = session.total
    co_totals: dict[int, int] = {}
    for invitation in co_taught:
        taught_by[invitation.user_id].append(_past(invitation.session))
        co_totals[invitation.user_id] = invitation.total
    for user_id, total in co_totals.items():
        taught_total[user_id] += total
    return {
        user_id: SessionRecord(
            attended_count=attended_total[user_id],
            attended=tuple(attended_by[user_id]),
            taught_count=taught_total[user_id],
            taught=tuple(
                sorted(taught_by[user_id], key=lambda past: past.starts_at, reverse=True)[
                    :RECENT_SESSIONS
                ]
            ),
        )
        for user_id in set(attended_by) | set(taught_by)
    }


def sessions_run_by(user_ids: list[int]) -> dict[int, int]:
    """Completed sessions each of ``user_ids`` led or co-taught (accepted), each session once
    per person, in one query; people who ran none are left out."""
    co_taught = CoTrainer.objects.accepted().filter(
        session=OuterRef("pk"), user=OuterRef(OuterRef("pk"))
    )
    run = (
        TrainingSession.objects.filter(status=TrainingSession.Status.COMPLETED)
        .filter(Q(lead_trainer=OuterRef("pk")) | Exists(co_taught))
        .order_by()
        # COUNT over the whole subquery (no GROUP BY): one number per person.
        .annotate(run=Func(F("pk"), function="COUNT"))
        .values("run")
    )
    counts = (
        User.objects.filter(pk__in=user_ids)
        .annotate(run=Coalesce(Subquery(run), 0))
        .filter(run__gt=0)
        .values_list("pk", "run")
    )
    return dict(counts)
