"""Demo data for `make run` and for trying PeerTrain out. Idempotent: every row is looked
up by a natural key and brought to the state below, so running it twice changes nothing."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from peertrain.accounts.ld_staff import LD_STAFF_GROUP
from peertrain.accounts.models import Team, User
from peertrain.accounts.services import user_update_skill_privacy
from peertrain.core.timezones import zone_named
from programmes.models import (
    AssessmentSource,
    Priority,
    Programme,
    Skill,
    SkillAssessment,
    SkillTarget,
)
from programmes.services import assessment_record, programme_save, target_set
from sessions.models import TrainingSession
from sessions.selectors_teaching import month_of, sessions_led_by_month
from trainers.models import Certification, Nomination, TrainerProfile
from trainers.services_nominations import nomination_agree, nomination_make

from .sessions_seed import seed_demo_sessions

DEMO_PASSWORD = "peertrain-demo"  # noqa: S105 - documented demo password, DEBUG only

SKILLS = {
    "Engineering": ["Python", "SQL", "Code review", "Testing", "Cloud basics", "Incident response"],
    "Data": ["Spreadsheets", "Data visualisation", "Statistics basics", "Data privacy"],
    "People": ["Giving feedback", "Facilitation", "Coaching", "Presenting"],
    "Customer": [
        "Customer empathy",
        "Handling complaints",
        "Negotiation",
        "Product demos",
        "Using the CRM",
    ],
    "Ways of working": ["Remote collaboration", "Writing clearly"],
}

TEAMS = [
    # name, parent
    ("Engineering", None),
    ("Platform", "Engineering"),
    ("Customer Success", None),
    ("Sales", None),
    ("Learning & Development", None),
]


@dataclass(frozen=True)
class Person:
    email: str
    display_name: str
    team: str
    job_title: str
    time_zone: str = "Europe/London"


DEMO_ACCOUNTS = [
    Person("ld@example.com", "Lena Daniels", "Learning & Development", "L&D manager"),
    Person("trainer@example.com", "Tomás Rivera", "Engineering", "Senior engineer"),
    Person("lead@example.com", "Leah Okafor", "Customer Success", "Customer success lead"),
    Person("employee@example.com", "Eli Moreno", "Customer Success", "Account manager"),
]

COLLEAGUES = [
    Person("priya.nair@example.com", "Priya Nair", "Engineering", "Engineering manager"),
    Person("sam.oduya@example.com", "Sam Oduya", "Engineering", "Software engineer"),
    Person("mei.chen@example.com", "Mei Chen", "Platform", "Platform engineer", "Asia/Singapore"),
    Person(
        "jonas.berg@example.com",
        "Jonas Berg",
        "Platform",
        "Site reliability engineer",
        "Europe/Berlin",
    ),
    Person("ana.silva@example.com", "Ana Silva", "Customer Success", "Support specialist"),
    Person("kofi.mensah@example.com", "Kofi Mensah", "Customer Success", "Onboarding specialist"),
    Person("rachel.levy@example.com", "Rachel Levy", "Sales", "Head of sales", "America/New_York"),
    Person(
        "omar.haddad@example.com", "Omar Haddad", "Sales", "Account executive", "America/New_York"
    ),
    Person("grace.kim@example.com", "Grace Kim", "Sales", "Sales development rep"),
]

TEAM_LEADS = {
    "Engineering": "priya.nair@example.com",
    "Platform": "jonas.berg@example.com",
    "Customer Success": "lead@example.com",
    "Sales": "rachel.levy@example.com",
    "Learning & Development": "ld@example.com",
}

TRAINER_CERTIFICATIONS = {
    "trainer@example.com": ["Python", "Code review", "Presenting"],
    "priya.nair@example.com": ["Giving feedback", "Coaching", "Code review"],
}
# Shows the expiry warnings: this certification runs out within 30 days of seeding.
EXPIRING_SOON = ("trainer@example.com", "Presenting", timedelta(days=20))
# Shows the monthly cap: Priya is at hers in the month of her next session.
AT_CAP = "priya.nair@example.com"
TRAINER_BIOS = {
    "trainer@example.com": "Happy to help anyone get going with Python and better code reviews.",
    "priya.nair@example.com": "Twelve years of one-to-ones; I teach feedback that people can use.",
}


H, M, L = Priority.HIGH, Priority.MEDIUM, Priority.LOW

# team: [(skill, target level, priority)] — every team has targets, so every matrix shows some.
TARGETS = {
    "Engineering": [
        ("Python", 3, H),
        ("Code review", 3, H),
        ("SQL", 3, M),
        ("Testing", 3, M),
        ("Cloud basics", 2, L),
        ("Giving feedback", 2, L),
    ],
    "Platform": [
        ("Cloud basics", 3, H),
        ("Incident response", 3, H),
        ("Python", 2, M),
        ("Remote collaboration", 2, L),
    ],
    "Customer Success": [
        ("Customer empathy", 3, H),
        ("Handling complaints", 3, H),
        ("Using the CRM", 2, M),
        ("Product demos", 2, M),
        ("Spreadsheets", 2, L),
        ("Data visualisation", 2, L),
        ("Giving feedback", 2, L),
    ],
    "Sales": [
        ("Negotiation", 3, H),
        ("Product demos", 3, H),
        ("Using the CRM", 3, M),
        ("Presenting", 2, M),
        ("Customer empathy", 2, L),
    ],
    "Learning & Development": [
        ("Facilitation", 4, H),
        ("Coaching", 3, M),
        ("Presenting", 3, M),
        ("Data privacy", 2, L),
    ],
}


def _at(month: int, day: int) -> datetime:
    """A fixed moment, so a second run finds the same rows and adds none."""
    return datetime(2026, month, day, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Rating:
    person: str  # email, short form below: "ana.silva" → ana.silva@example.com
    skill: str
    level: int
    at: datetime
    note: str = ""
    by: str | None = None  # None: self-assessed
    source: str = AssessmentSource.SELF


def _lead(person, skill, level, at, note=""):
    return Rating(person, skill, level, at, by="lead", source=AssessmentSource.LEAD, note=note)


def _trainer(person, skill, level, at, note=""):
    return Rating(
        person, skill, level, at, by="trainer", source=AssessmentSource.TRAINER, note=note
    )


# A spread with real contrasts: people at, above and far below target, people never
# assessed, single points of knowledge (Platform · Incident response, Customer Success ·
# Product demos), and Eli's "self, pending verification" in Handling complaints.
RATINGS = [
    # Customer Success — Leah (lead) verifies her team.
    Rating("lead", "Customer empathy", 4, _at(2, 3)),
    Rating("lead", "Handling complaints", 3, _at(2, 3)),
    Rating("lead", "Product demos", 2, _at(2, 3)),
    Rating("lead", "Using the CRM", 2, _at(2, 3)),
    Rating("lead", "Giving feedback", 4, _at(2, 3)),
    Rating("lead", "Coaching", 3, _at(2, 3)),
    Rating("employee", "Using the CRM", 2, _at(3, 10)),
    _lead("employee", "Using the CRM", 3, _at(6, 16), "Cleaned up the renewals pipeline."),
    Rating("employee", "Giving feedback", 1, _at(2, 20)),
    Rating("employee", "Giving feedback", 2, _at(9, 8), "After the feedback workshop."),
    _lead("employee", "Customer empathy", 3, _at(6, 16)),
    _lead("employee", "Handling complaints", 1, _at(6, 16), "Shadow Ana on escalations."),
    Rating("employee", "Handling complaints", 2, _at(10, 14), "Handled two escalations alone."),
    Rating("employee", "Product demos", 1, _at(3, 10)),
    Rating("employee", "Negotiation", 2, _at(3, 10)),
    Rating("ana.silva", "Customer empathy", 3, _at(2, 11)),
    _lead("ana.silva", "Customer empathy", 3, _at(6, 16)),
    _lead("ana.silva", "Handling complaints", 4, _at(6, 16), "Our go-to for escalations."),
    Rating("ana.silva", "Using the CRM", 2, _at(2, 11)),
    Rating("ana.silva", "Giving feedback", 2, _at(2, 11)),
    Rating("ana.silva", "Writing clearly", 4, _at(2, 11)),
    _lead("kofi.mensah", "Customer empathy", 2, _at(6, 16)),
    Rating("kofi.mensah", "Handling complaints", 1, _at(4, 2)),
    Rating("kofi.mensah", "Using the CRM", 3, _at(4, 2)),
    Rating("kofi.mensah", "Spreadsheets", 3, _at(4, 2)),
    Rating("kofi.mensah", "Giving feedback", 1, _at(4, 2)),
    # Sales — Omar knows demos and negotiation well and is not a trainer.
    Rating("rachel.levy", "Negotiation", 4, _at(1, 22)),
    Rating("rachel.levy", "Product demos", 2, _at(1, 22)),
    Rating("rachel.levy", "Using the CRM", 1, _at(1, 22)),
    Rating("rachel.levy", "Presenting", 3, _at(1, 22)),
    Rating("rachel.levy", "Customer empathy", 3, _at(1, 22)),
    Rating("omar.haddad", "Negotiation", 3, _at(2, 5)),
    Rating("omar.haddad", "Negotiation", 4, _at(8, 27), "Closed the two largest renewals."),
    Rating("omar.haddad", "Product demos", 4, _at(2, 5)),
    Rating("omar.haddad", "Using the CRM", 2, _at(2, 5)),
    _trainer("omar.haddad", "Presenting", 3, _at(7, 1), "Clear story, good pacing."),
    Rating("omar.haddad", "Customer empathy", 2, _at(2, 5)),
    Rating("grace.kim", "Negotiation", 1, _at(3, 3)),
    Rating("grace.kim", "Using the CRM", 3, _at(3, 3)),
    Rating("grace.kim", "Presenting", 1, _at(3, 3)),
    Rating("grace.kim", "Customer empathy", 3, _at(3, 3)),
    Rating("grace.kim", "Spreadsheets", 4, _at(3, 3)),
    Rating("grace.kim", "Data visualisation", 3, _at(3, 3)),
    # Engineering — Tomás is the certified trainer.
    Rating("trainer", "Python", 4, _at(1, 12)),
    Rating("trainer", "Code review", 4, _at(1, 12)),
    Rating("trainer", "Presenting", 4, _at(1, 12)),
    Rating("trainer", "Testing", 3, _at(1, 12)),
    Rating("trainer", "SQL", 2, _at(1, 12)),
    Rating("priya.nair", "Python", 3, _at(1, 19)),
    Rating("priya.nair", "SQL", 3, _at(1, 19)),
    Rating("priya.nair", "Code review", 3, _at(1, 19)),
    Rating("priya.nair", "Cloud basics", 1, _at(1, 19)),
    Rating("priya.nair", "Giving feedback", 4, _at(1, 19)),
    Rating("priya.nair", "Coaching", 4, _at(1, 19)),
    Rating("sam.oduya", "Python", 3, _at(2, 9)),
    _trainer("sam.oduya", "Python", 4, _at(5, 20), "Paired on the parser rewrite."),
    Rating("sam.oduya", "SQL", 4, _at(2, 9)),
    Rating("sam.oduya", "Code review", 2, _at(2, 9)),
    Rating("sam.oduya", "Testing", 2, _at(2, 9)),
    Rating("sam.oduya", "Statistics basics", 3, _at(2, 9)),
    # Platform — Jonas alone knows incident response.
    Rating("mei.chen", "Cloud basics", 4, _at(2, 17)),
    Rating("mei.chen", "Incident response", 1, _at(2, 17)),
    Rating("mei.chen", "Python", 3, _at(2, 17)),
    Rating("mei.chen", "Remote collaboration", 3, _at(2, 17)),
    Rating("mei.chen", "Data visualisation", 4, _at(2, 17)),
    Rating("mei.chen", "Spreadsheets", 3, _at(2, 17)),
    Rating("jonas.berg", "Cloud basics", 3, _at(2, 24)),
    Rating("jonas.berg", "Incident response", 4, _at(2, 24)),
    Rating("jonas.berg", "Python", 1, _at(2, 24)),
    Rating("jonas.berg", "Remote collaboration", 2, _at(2, 24)),
    # Learning & Development
    Rating("ld", "Facilitation", 4, _at(1, 8)),
    Rating("ld", "Coaching", 3, _at(1, 8)),
    Rating("ld", "Presenting", 3, _at(1, 8)),
]

# email: (share_skill_levels, suggest_me_as_teacher). Everyone else keeps both off.
PRIVACY = {
    "ana.silva@example.com": (True, True),
    "kofi.mensah@example.com": (False, True),
    "omar.haddad@example.com": (True, True),
    "grace.kim@example.com": (False, True),
    "mei.chen@example.com": (True, True),
    "sam.oduya@example.com": (False, True),
    "jonas.berg@example.com": (True, False),
    "trainer@example.com": (True, True),
}


@dataclass(frozen=True)
class ProgrammePlan:
    title: str
    goals: str
    skills: list[str]
    audience: list[str]
    owner: str
    starts_on: date
    ends_on: date | None
    status: str


PROGRAMMES = [
    ProgrammePlan(
        title="Customer conversations that stick",
        goals=(
            "Everyone who talks to customers can calm an upset customer, find the real "
            "problem, show the product answering it and agree next steps both sides keep."
        ),
        skills=["Customer empathy", "Handling complaints", "Product demos", "Negotiation"],
        audience=["Customer Success", "Sales"],
        owner="ld@example.com",
        starts_on=date(2026, 10, 5),
        ends_on=date(2027, 2, 26),
        status=Programme.Status.ACTIVE,
    ),
    ProgrammePlan(
        title="Engineering foundations 2027",
        goals=(
            "Every engineer writes tests first, can deploy to the cloud on their own and "
            "knows their part in an incident."
        ),
        skills=["Testing", "Cloud basics", "Incident response"],
        audience=["Engineering", "Platform"],
        owner="ld@example.com",
        starts_on=date(2027, 1, 11),
        ends_on=None,
        status=Programme.Status.DRAFT,
    ),
]


@dataclass(frozen=True)
class SeedResult:
    users: int
    teams: int
    skills: int
    targets: int = 0
    assessments_added: int = 0
    programmes: int = 0
    sessions: int = 0


def _seed_skills() -> dict[str, Skill]:
    skills = {}
    for category, names in SKILLS.items():
        for name in names:
            skill, _ = Skill.objects.update_or_create(
                slug=slugify(name),
                defaults={"name": name, "category": category},
            )
            skills[name] = skill
    return skills


def _seed_teams() -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for name, parent in TEAMS:
        teams[name], _ = Team.objects.update_or_create(
            name=name, defaults={"parent": teams.get(parent) if parent else None}
        )
    return teams


def _seed_person(person: Person, teams: dict[str, Team]) -> User:
    user, created = User.objects.update_or_create(
        email=person.email,
        defaults={
            "display_name": person.display_name,
            "team": teams[person.team],
            "job_title": person.job_title,
            "time_zone": person.time_zone,
            "is_active": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _seed_ld_staff(user: User) -> None:
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=LD_STAFF_GROUP))


def _seed_trainers(users: dict[str, User], skills: dict[str, Skill], issuer: User) -> None:
    issued_at = timezone.now().replace(month=1, day=15, hour=9, minute=0, second=0, microsecond=0)
    for email, skill_names in TRAINER_CERTIFICATIONS.items():
        profile, _ = TrainerProfile.objects.update_or_create(
            user=users[email],
            defaults={
                "status": TrainerProfile.Status.CERTIFIED,
                "bio": TRAINER_BIOS[email],
            },
        )
        for name in skill_names:
            expires_at = issued_at + timedelta(days=730)
            if (email, name) == EXPIRING_SOON[:2]:
                expires_at = timezone.now() + EXPIRING_SOON[2]
            Certification.objects.get_or_create(
                trainer=profile,
                skill=skills[name],
                defaults={"issued_at": issued_at, "expires_at": expires_at, "issued_by": issuer},
            )


def _seed_trainer_at_cap(user: User) -> None:
    """Set ``user``'s cap to the sessions they lead in the month of their next one, so
    proposing another that month is refused (a fresh database only: a cap L&D changed
    stays)."""
    profile = TrainerProfile.objects.get(user=user)
    if profile.monthly_session_cap != TrainerProfile._meta.get_field("monthly_session_cap").default:
        return
    upcoming = (
        TrainingSession.objects.filter(lead_trainer=user, starts_at__gt=timezone.now())
        .exclude(status=TrainingSession.Status.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        return
    zone = zone_named(upcoming.time_zone) or timezone.get_current_timezone()
    month = month_of(upcoming.starts_at, zone)
    led = sessions_led_by_month(trainer=user, months=[month], zone=zone)[month]
    TrainerProfile.objects.filter(pk=profile.pk).update(monthly_session_cap=max(led, 1))


def _seed_targets(teams: dict[str, Team], skills: dict[str, Skill], by: User) -> int:
    existing = {
        (target.team_id, target.skill_id): (target.target_level, target.priority)
        for target in SkillTarget.objects.all()
    }
    count = 0
    for team_name, targets in TARGETS.items():
        for skill_name, level, priority in targets:
            team, skill = teams[team_name], skills[skill_name]
            count += 1
            if existing.get((team.pk, skill.pk)) == (level, priority):
                continue  # already so: no second audit row
            target_set(team=team, skill=skill, target_level=level, priority=priority, by=by)
    return count


def _email(short: str) -> str:
    return short if "@" in short else f"{short}@example.com"


def _seed_assessments(users: dict[str, User], skills: dict[str, Skill]) -> int:
    """Record each rating through the service unless that exact row is already there."""
    assessors = {"lead": users["lead@example.com"], "trainer": users["trainer@example.com"]}
    existing = set(
        SkillAssessment.objects.filter(user__in=users.values()).values_list(
            "user_id", "skill_id", "created_at"
        )
    )
    added = 0
    for rating in sorted(RATINGS, key=lambda rating: rating.at):
        user, skill = users[_email(rating.person)], skills[rating.skill]
        if (user.pk, skill.pk, rating.at) in existing:
            continue
        assessment_record(
            user=user,
            skill=skill,
            level=rating.level,
            source=rating.source,
            assessed_by=assessors[rating.by] if rating.by else user,
            note=rating.note,
            at=rating.at,
        )
        added += 1
    return added


def _seed_privacy(users: dict[str, User]) -> None:
    for email, user in users.items():
        share, suggest = PRIVACY.get(email, (False, False))
        user_update_skill_privacy(
            user=user, share_skill_levels=share, suggest_me_as_teacher=suggest
        )


def _seed_programmes(
    users: dict[str, User], teams: dict[str, Team], skills: dict[str, Skill]
) -> int:
    for plan in PROGRAMMES:
        fields = {
            "title": plan.title,
            "goals": plan.goals,
            "owner": users[plan.owner],
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "status": plan.status,
        }
        plan_skills = [skills[name] for name in plan.skills]
        audience = [teams[name] for name in plan.audience]
        programme = Programme.objects.filter(title=plan.title).first()
        if programme is not None and _programme_matches(programme, fields, plan_skills, audience):
            continue  # already so: no second audit row
        programme_save(
            by=users[plan.owner],
            programme=programme,
            skills=plan_skills,
            audience_teams=audience,
            **fields,
        )
    return len(PROGRAMMES)


def _programme_matches(
    programme: Programme, fields: dict, skills: list[Skill], audience: list[Team]
) -> bool:
    return (
        all(getattr(programme, name) == value for name, value in fields.items())
        and set(programme.skills.values_list("pk", flat=True)) == {skill.pk for skill in skills}
        and set(programme.audience_teams.values_list("pk", flat=True))
        == {team.pk for team in audience}
    )


# Open nominations for the review workspace: (nominee, skill, nominated by, reason, the
# nominee said yes). One from an employee, waiting for the nominee; one from L&D, ready to
# decide.
NOMINATIONS = [
    (
        "omar.haddad@example.com",
        "Product demos",
        "employee@example.com",
        "Omar's demo to the Northwind buyers was the clearest I have seen.",
        False,
    ),
    (
        "mei.chen@example.com",
        "Data visualisation",
        "ld@example.com",
        "Mei's platform dashboards are what the other teams copy.",
        True,
    ),
]


def _seed_nominations(users: dict[str, User], skills: dict[str, Skill]) -> None:
    for nominee, skill, by, reason, agreed in NOMINATIONS:
        person, skill_row = users[nominee], skills[skill]
        if Nomination.objects.filter(nominee=person, skill=skill_row).exists():
            continue  # seeded before (or decided since): leave it as it is
        nomination = nomination_make(
            nominee=person, skill=skill_row, nominated_by=users[by], reason=reason
        )
        if agreed:
            nomination_agree(nomination=nomination, by=person)


@transaction.atomic
def seed_demo() -> SeedResult:
    skills = _seed_skills()
    teams = _seed_teams()
    users = {person.email: _seed_person(person, teams) for person in DEMO_ACCOUNTS + COLLEAGUES}
    for team_name, email in TEAM_LEADS.items():
        Team.objects.filter(name=team_name).update(lead=users[email])
    _seed_ld_staff(users["ld@example.com"])
    _seed_trainers(users, skills, issuer=users["ld@example.com"])
    _seed_privacy(users)
    targets = _seed_targets(teams, skills, by=users["ld@example.com"])
    added = _seed_assessments(users, skills)
    programmes = _seed_programmes(users, teams, skills)
    sessions = seed_demo_sessions(users=users, skills=skills)
    _seed_trainer_at_cap(users[AT_CAP])
    _seed_nominations(users, skills)
    return SeedResult(
        users=len(users),
        teams=len(teams),
        skills=len(skills),
        targets=targets,
        assessments_added=added,
        programmes=programmes,
        sessions=sessions,
    )
