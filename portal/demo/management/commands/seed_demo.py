from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo.seeding import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo organisation (idempotent). Refuses when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a real organisation's data).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to seed demo accounts with DEBUG off: they have a published "
                "password. Use --force if this really is a demo installation."
            )
        result = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result.users} people, {result.teams} teams, "
                f"{result.skills} skills."
            )
        )
        accounts = ", ".join(person.email for person in DEMO_ACCOUNTS)
        self.stdout.write(f"Sign in as {accounts} with password {DEMO_PASSWORD!r}.")
