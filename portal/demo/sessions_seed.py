"""Demo training sessions: past and future, several skills and formats, one full with a
waitlist, one remote, a draft, a completed session with attendance recorded, one co-taught
(the co-trainer accepted) and a draft whose invitation to co-teach waits for an answer.

Sessions are looked up by title and created only when missing, so a second run changes
nothing. Start times are relative to the first run (the demo needs sessions "next week"),
and the completed session is written as history directly (services refuse to create
sessions in the past, rightly).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from peertrain.accounts.models import User
from programmes.models import Skill
from sessions.models import Attendance, Booking, CoTrainer, TrainingSession
from sessions.services.booking import booking_create
from sessions.services.co_trainers import co_trainer_accept
from sessions.services.sessions import training_session_create, training_session_publish

Format = TrainingSession.Format


@dataclass(frozen=True)
class DemoSession:
    title: str
    skill: str
    trainer: str
    days_ahead: int
    hour: int
    format: str
    capacity: int
    location: str = ""
    video_url: str = ""
    description: str = ""
    publish: bool = True
    booked: tuple[str, ...] = ()
    co_trainers: tuple[str, ...] = ()  # invited and accepted
    invited: tuple[str, ...] = ()  # invited, no answer yet


FUTURE = [
    DemoSession(
        "Python for spreadsheet people",
        "Python",
        "trainer",
        6,
        14,
        Format.WORKSHOP,
        8,
        location="Room 2.14",
        description="Bring a spreadsheet you use every week; leave with a script that does it.",
        booked=("employee", "kofi.mensah", "sam.oduya"),
    ),
    DemoSession(
        "Code review clinic",
        "Code review",
        "trainer",
        9,
        11,
        Format.DISCUSSION,
        12,
        video_url="https://meet.example.com/code-review-clinic",
        description="Remote. We review two real pull requests and agree what good looks like.",
        booked=("mei.chen", "jonas.berg"),
        co_trainers=("priya.nair",),
    ),
    DemoSession(
        "Presenting with confidence",
        "Presenting",
        "trainer",
        12,
        10,
        Format.ROLE_PLAY,
        3,
        location="Boardroom",
        description="A small group and lots of practice: three-minute talks, kind feedback.",
        booked=("ana.silva", "omar.haddad", "grace.kim", "kofi.mensah", "employee"),
    ),
    DemoSession(
        "Giving feedback that lands",
        "Giving feedback",
        "priya.nair",
        15,
        15,
        Format.CASE_STUDY,
        10,
        location="Room 1.02",
        video_url="https://meet.example.com/feedback",
        description="Real (anonymised) cases; we rewrite feedback until it helps.",
        booked=("ana.silva",),
    ),
    DemoSession(
        "Testing in small steps",
        "Python",
        "trainer",
        20,
        14,
        Format.HANDS_ON,
        6,
        location="Room 2.14",
        publish=False,
        description="Draft: a hands-on follow-up to the spreadsheet workshop.",
    ),
    DemoSession(
        "Reviewing code as a manager",
        "Code review",
        "priya.nair",
        24,
        11,
        Format.DISCUSSION,
        10,
        location="Room 1.02",
        publish=False,
        description="Draft: what to look for when you no longer write most of the code.",
        invited=("trainer",),
    ),
]

PAST = DemoSession(
    "Python basics",
    "Python",
    "trainer",
    -14,
    14,
    Format.WORKSHOP,
    6,
    location="Room 2.14",
    description="The first session of the spring programme.",
    booked=("employee", "sam.oduya", "kofi.mensah"),
)
# Who came to the past session: Kofi didn't (a no-show).
PAST_ATTENDANCE = {"employee": "present", "sam.oduya": "late", "kofi.mensah": "absent"}


def _email(short: str) -> str:
    return f"{short}@example.com"


def _start(days_ahead: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    zone = timezone.get_current_timezone()
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def _future_session(spec: DemoSession, users: dict[str, User], skills: dict[str, Skill]):
    trainer = users[_email(spec.trainer)]
    start = _start(spec.days_ahead, spec.hour)
    session = training_session_create(
        trainer=trainer,
        skill=skills[spec.skill],
        title=spec.title,
        starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30),
        capacity=spec.capacity,
        format=spec.format,
        location=spec.location,
        video_url=spec.video_url,
        description=spec.description,
        time_zone=trainer.time_zone,
        co_trainers=[users[_email(short)] for short in spec.co_trainers + spec.invited],
    )
    for invitation in CoTrainer.objects.filter(
        session=session, user__email__in=[_email(short) for short in spec.co_trainers]
    ):
        co_trainer_accept(invitation=invitation, user=invitation.user)
    if spec.publish:
        training_session_publish(session=session, by=trainer)
        for short in spec.booked:
            booking_create(session=session, user=users[_email(short)])
    return session


def _past_session(spec: DemoSession, users: dict[str, User], skills: dict[str, Skill]):
    start = _start(spec.days_ahead, spec.hour)
    session = TrainingSession.objects.create(
        title=spec.title,
        skill=skills[spec.skill],
        lead_trainer=users[_email(spec.trainer)],
        starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30),
        format=spec.format,
        capacity=spec.capacity,
        location=spec.location,
        description=spec.description,
        status=TrainingSession.Status.COMPLETED,
        confirmed_count=len(spec.booked),
    )
    for short in spec.booked:
        booking = Booking.objects.create(
            session=session, user=users[_email(short)], status=Booking.Status.CONFIRMED
        )
        status = PAST_ATTENDANCE[short]
        Attendance.objects.create(
            session=session,
            user=booking.user,
            booking=booking,
            status=status,
            checked_in_at=start + timedelta(minutes=2) if status != "absent" else None,
            recorded_by=session.lead_trainer,
        )
    return session


def seed_demo_sessions(*, users: dict[str, User], skills: dict[str, Skill]) -> int:
    existing = set(TrainingSession.objects.values_list("title", flat=True))
    created = 0
    for spec in FUTURE:
        if spec.title not in existing:
            _future_session(spec, users, skills)
            created += 1
    if PAST.title not in existing:
        _past_session(PAST, users, skills)
        created += 1
    return created
