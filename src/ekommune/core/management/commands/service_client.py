"""``ekommune service_client create``: register a system for the API's client credentials grant
(decision 0229); the secret is printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core import selectors, services
from ekommune.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Register a system (service client) for the Noark 5 API's client credentials grant."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Register a client; prints client_id and the secret once.")
        create.add_argument("--municipality", required=True, help="Kortnavn (slug).")
        create.add_argument("--name", required=True, help="The system's name.")
        create.add_argument("--account", required=True, help="User name of its system account (with a role).")
        create.add_argument("--scopes", default="read", help="read, write or read,write (default: read).")
        create.add_argument("--by", required=True, help="User name of the administrator who registers it.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = selectors.municipality_for_slug(slug=options["municipality"])
        if municipality is None:
            raise CommandError(f"Unknown municipality: {options['municipality']}")
        account = selectors.user_active_by_username(username=options["account"])
        actor = selectors.user_active_by_username(username=options["by"])
        if account is None or actor is None:
            raise CommandError("Unknown or inactive user (--account, --by).")
        try:
            created = services.service_client_create(
                actor=actor,
                municipality=municipality,
                name=options["name"],
                user=account,
                scopes=[scope.strip() for scope in options["scopes"].split(",") if scope.strip()],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"client_id: {created.client.client_id}")
        self.stdout.write(f"client_secret: {created.client_secret}")
        self.stdout.write("The secret is shown only now.")
