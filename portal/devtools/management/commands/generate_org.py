from datetime import UTC, datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from peertrain.accounts.models import User
from portal.devtools.orggen import OrgSize, generate_org, start_of_today

# More people than this means a real (or demo-plus-real) organisation: never add to it.
HANDFUL_OF_USERS = 25


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def day(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Generate a large made-up organisation for benchmarks: people, a team tree with leads, "
        "skills, targets for every team and an assessment history. Deterministic per --seed. "
        "Refuses when DEBUG is off or the database already holds people, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = OrgSize()
        parser.add_argument("--users", type=positive, default=defaults.users)
        parser.add_argument("--teams", type=positive, default=defaults.teams)
        parser.add_argument("--skills", type=positive, default=defaults.skills)
        parser.add_argument("--assessments", type=int, default=defaults.assessments)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--until",
            type=day,
            default=None,
            help="The history ends at this date, YYYY-MM-DD (default: today). Fix it to get "
            "identical timestamps on another day.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Generate even with DEBUG off or people already in the database.",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to generate a made-up organisation with DEBUG off. Use --force if "
                "this really is a benchmark database."
            )
        existing = User.objects.count()
        if existing > HANDFUL_OF_USERS and not options["force"]:
            raise CommandError(
                f"Refusing to add a made-up organisation to a database with {existing} people "
                "in it. Use an empty database, or --force if it is a benchmark database."
            )
        if options["assessments"] < 0:
            raise CommandError("--assessments cannot be negative.")
        size = OrgSize(
            users=options["users"],
            teams=options["teams"],
            skills=options["skills"],
            assessments=options["assessments"],
        )
        self.stdout.write(f"Generating {size} with seed {options['seed']}")
        try:
            stats = generate_org(
                size=size,
                seed=options["seed"],
                until=options["until"] or start_of_today(),
                log=self.stdout.write,
            )
        except IntegrityError as exc:
            raise CommandError(
                "The database already holds some of these teams, skills or people (was this "
                f"seed generated here before?). Use an empty database. ({exc})"
            ) from exc
        total = sum(stats.seconds.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {total:.1f} s: {stats.users:,} people, {stats.teams:,} teams, "
                f"{stats.skills:,} skills, {stats.targets:,} targets, "
                f"{stats.assessments:,} assessments, {stats.current_levels:,} current levels."
            )
        )
