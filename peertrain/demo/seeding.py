"""Demo data for `make run` and for trying PeerTrain out. Idempotent: every row is looked
up by a natural key and brought to the state below, so running it twice changes nothing."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from peertrain.accounts.ld_staff import LD_STAFF_GROUP
from peertrain.accounts.models import Team, User
from programmes.models import Skill
from trainers.models import Certification, TrainerProfile

DEMO_PASSWORD = "peertrain-demo"  # noqa: S105 - documented demo password, DEBUG only

SKILLS = {
    "Engineering": ["Python", "SQL", "Code review", "Testing", "Cloud basics"],
    "Data": ["Spreadsheets", "Data visualisation", "Statistics basics"],
    "People": ["Giving feedback", "Facilitation", "Coaching", "Presenting"],
    "Customer": ["Customer empathy", "Handling complaints", "Negotiation"],
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

TRAINER_CERTIFICATIONS = {"trainer@example.com": ["Python", "Code review", "Presenting"]}


@dataclass(frozen=True)
class SeedResult:
    users: int
    teams: int
    skills: int


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
                "bio": "Happy to help anyone get going with Python and better code reviews.",
            },
        )
        for name in skill_names:
            Certification.objects.get_or_create(
                trainer=profile,
                skill=skills[name],
                defaults={
                    "issued_at": issued_at,
                    "expires_at": issued_at + timedelta(days=730),
                    "issued_by": issuer,
                },
            )


@transaction.atomic
def seed_demo() -> SeedResult:
    skills = _seed_skills()
    teams = _seed_teams()
    users = {person.email: _seed_person(person, teams) for person in DEMO_ACCOUNTS + COLLEAGUES}
    for team_name, email in TEAM_LEADS.items():
        Team.objects.filter(name=team_name).update(lead=users[email])
    _seed_ld_staff(users["ld@example.com"])
    _seed_trainers(users, skills, issuer=users["ld@example.com"])
    return SeedResult(users=len(users), teams=len(teams), skills=len(skills))
