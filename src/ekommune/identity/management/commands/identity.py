"""``ekommune identity …``: configure login providers and representations from the command line.

    ekommune identity providers [--municipality SLUG]
    ekommune identity provider-add --as USER --municipality SLUG --kind idporten --name NAME \\
        --issuer URL --client-id ID (--client-secret-env VAR | --client-secret-stdin) [--scopes S] \\
        [--role-source none|static|claims] [--discovery-url URL]
    ekommune identity provider-update --as USER --municipality SLUG --kind KIND [--issuer URL] \\
        [--client-id ID] [--client-secret-env VAR | --client-secret-stdin] [--enable | --disable] ...
    ekommune identity representation-add --as USER --municipality SLUG --nin NNNNNNNNNNN \\
        --orgnr NNNNNNNNN --name NAME
    ekommune identity prune-sessions

``--as`` names the acting user (an administrator of the municipality, or an operator); the change
is checked and audited as theirs. Secrets are read from standard input, never from arguments.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core import selectors as core_selectors
from ekommune.core.errors import ApplicationError
from ekommune.core.models import Municipality, User
from ekommune.identity import selectors, services
from ekommune.identity.models import ProviderKind, RoleSourceKind


class Command(BaseCommand):
    help = "Login providers (ID-porten, Feide, the municipality's own) and representations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("providers", help="List the providers (never their secrets).")
        listing.add_argument("--municipality", help="Kortnavn (slug); default: every municipality.")

        for name in ("provider-add", "provider-update"):
            command = sub.add_parser(name, help=f"{name.replace('-', ' ').capitalize()}.")
            command.add_argument("--as", dest="actor", required=True, help="Acting user name.")
            command.add_argument("--municipality", required=True)
            command.add_argument("--kind", required=True, choices=ProviderKind.values)
            command.add_argument("--name", required=name == "provider-add")
            command.add_argument("--issuer", required=name == "provider-add")
            command.add_argument("--client-id", required=name == "provider-add")
            command.add_argument("--client-secret-env", help="Environment variable that holds the secret.")
            command.add_argument(
                "--client-secret-stdin", action="store_true", help="Read the secret from stdin."
            )
            command.add_argument("--discovery-url")
            command.add_argument("--scopes")
            command.add_argument("--role-source", choices=RoleSourceKind.values)
            if name == "provider-update":
                state = command.add_mutually_exclusive_group()
                state.add_argument("--enable", dest="enabled", action="store_true", default=None)
                state.add_argument("--disable", dest="enabled", action="store_false")

        representation = sub.add_parser("representation-add", help="Let a person act for an organisation.")
        representation.add_argument("--as", dest="actor", required=True)
        representation.add_argument("--municipality", required=True)
        representation.add_argument("--nin", required=True, help="Fødselsnummer (11 digits).")
        representation.add_argument("--orgnr", required=True, help="Organisasjonsnummer (9 digits).")
        representation.add_argument("--name", required=True, help="The organisation's name.")

        sub.add_parser("prune-sessions", help="Forget provider sessions of ended browser sessions.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except ApplicationError as error:
            raise CommandError(f"{error.message} ({error.code})") from error

    def _municipality(self, slug: str) -> Municipality:
        municipality = core_selectors.municipality_for_slug(slug=slug)
        if municipality is None:
            raise CommandError(f"Unknown municipality: {slug}")
        return municipality

    def _actor(self, username: str) -> User:
        user = core_selectors.user_active_by_username(username=username)
        if user is None:
            raise CommandError(f"Unknown or inactive user: {username}")
        return user

    def _settings(self, options: dict[str, Any]) -> dict[str, Any]:
        names = {
            "name": "name",
            "issuer": "issuer",
            "client_id": "client_id",
            "client_secret_env": "client_secret_env",
            "discovery_url": "discovery_url",
            "scopes": "scopes",
            "role_source": "role_source",
            "enabled": "enabled",
        }
        values = {
            field: options[option] for option, field in names.items() if options.get(option) is not None
        }
        if options.get("client_secret_stdin"):
            values["client_secret"] = sys.stdin.readline().strip()
            values.setdefault("client_secret_env", "")
        return values

    def _providers(self, options: dict[str, Any]) -> None:
        slugs = [options["municipality"]] if options.get("municipality") else None
        municipalities = (
            [self._municipality(slug) for slug in slugs]
            if slugs
            else list(core_selectors.municipality_list_active())
        )
        for municipality in municipalities:
            for provider in selectors.identity_providers(municipality=municipality):
                secret = f"env {provider.client_secret_env}" if provider.client_secret_env else "stored"
                state = "enabled" if provider.enabled else "disabled"
                self.stdout.write(
                    f"{municipality.slug}\t{provider.kind}\t{provider.name}\t{provider.issuer}\t"
                    f"client {provider.client_id} (secret {secret})\troles {provider.role_source}\t{state}"
                )

    def _provider_add(self, options: dict[str, Any]) -> None:
        municipality = self._municipality(options["municipality"])
        provider = services.identity_provider_create(
            actor=self._actor(options["actor"]),
            municipality=municipality,
            kind=options["kind"],
            **self._settings(options),
        )
        self.stdout.write(self.style.SUCCESS(f"Added {provider} to {municipality.name}."))

    def _provider_update(self, options: dict[str, Any]) -> None:
        municipality = self._municipality(options["municipality"])
        provider = next(
            (p for p in selectors.identity_providers(municipality=municipality) if p.kind == options["kind"]),
            None,
        )
        if provider is None:
            raise CommandError(f"{municipality.name} has no provider of kind {options['kind']}.")
        changes = self._settings(options)
        if not changes:
            raise CommandError("Nothing to change.")
        services.identity_provider_update(actor=self._actor(options["actor"]), provider=provider, **changes)
        self.stdout.write(self.style.SUCCESS(f"Updated {provider.name} ({', '.join(sorted(changes))})."))

    def _representation_add(self, options: dict[str, Any]) -> None:
        municipality = self._municipality(options["municipality"])
        representation = services.business_representation_add(
            actor=self._actor(options["actor"]),
            municipality=municipality,
            national_identity_number=options["nin"],
            organisation_number=options["orgnr"],
            organisation_name=options["name"],
        )
        self.stdout.write(self.style.SUCCESS(f"Representation for {representation} in {municipality.name}."))

    def _prune_sessions(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"Forgot {services.provider_sessions_prune()} provider session(s).")
