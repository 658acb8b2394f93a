"""``ekommune portal setup <municipality> --as <administrator>``: create the portal's system account.

Submissions are registered in the archive in the name of this account (a staff user with the
case-worker role and no usable password); a municipality's portal takes no submissions without it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core import selectors as core_selectors
from ekommune.core.errors import ApplicationError
from ekommune.portal import services


class Command(BaseCommand):
    help = "Portal tools. 'setup' creates the system account that registers submissions in the archive."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        setup = sub.add_parser(
            "setup", help="Create the portal's system account in a municipality (idempotent)."
        )
        setup.add_argument("municipality", help="Kortnavn (slug) of the municipality.")
        setup.add_argument("--as", dest="actor", required=True, help="Username of an administrator there.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = core_selectors.municipality_for_slug(slug=options["municipality"])
        if municipality is None:
            raise CommandError(f"Unknown municipality: {options['municipality']}")
        actor = core_selectors.user_active_by_username(username=options["actor"])
        if actor is None:
            raise CommandError(f"Unknown or inactive user: {options['actor']}")
        try:
            user = services.portal_system_user_ensure(actor=actor, municipality=municipality)
        except ApplicationError as error:
            raise CommandError(f"{error.code}: {error.message}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Portal system account of {municipality.name}: {user.username}")
        )
