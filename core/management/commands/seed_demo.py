"""Create the demo chapters, one user per role, and each app's demo data."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.demo import DEMO_PASSWORD, DemoWorld

# Each app may have a demo.py with seed(world); they run in this order.
DEMO_APPS = ("chapters", "data_vault", "canvassing", "endorsements", "committee")


class Command(BaseCommand):
    help = "Create demo chapters and logins (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when DEBUG is off. The demo logins share one public password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Refusing to create demo logins with DEBUG off. Pass --allow-production to insist.")
        world = DemoWorld()
        with transaction.atomic():
            for app in DEMO_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise
                    continue
                module.seed(world)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at http://localhost:8000/ with:"))
        width = max(len(email) for email, _ in world.logins)
        for email, description in world.logins:
            self.stdout.write(f"  {email.ljust(width)}  {description}")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(
            "Chairs, organizers and national roles are asked to set up two-factor authentication "
            "(any TOTP app) at their first sign-in."
        )
