"""``ekommune security prefill-processing <municipality> --actor <username>``: write the processing
activities ekommune performs (portal submissions, public journal, access requests, politics,
participation) into a municipality's record of processing; those already there are left as they
are. The actor must hold ``security.manage`` in the municipality (an administrator)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core import selectors as core_selectors
from ekommune.core.errors import ApplicationError
from ekommune.security import services


class Command(BaseCommand):
    help = "Security tools. 'prefill-processing' writes ekommune's own processing into the record (art. 30)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        prefill = sub.add_parser("prefill-processing", help="Write ekommune's own processing activities.")
        prefill.add_argument("municipality", help="Kortnavn (slug) of the municipality.")
        prefill.add_argument(
            "--actor", required=True, help="Username of an administrator of the municipality."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = core_selectors.municipality_for_slug(slug=options["municipality"])
        if municipality is None:
            raise CommandError(f"Unknown municipality: {options['municipality']}")
        actor = core_selectors.user_active_by_username(username=options["actor"])
        if actor is None:
            raise CommandError(f"Unknown user: {options['actor']}")
        try:
            created = services.processing_record_prefill(actor=actor, municipality=municipality)
        except ApplicationError as error:
            raise CommandError(f"{error.code}: {error.message}") from error
        for activity in created:
            self.stdout.write(f"{municipality.slug}: {activity.name}")
        self.stdout.write(self.style.SUCCESS(f"{len(created)} processing activity(ies) written."))
