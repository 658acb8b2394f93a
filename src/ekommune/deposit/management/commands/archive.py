"""``ekommune archive verify``: fixity check of the stored document files (deposit app)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core import selectors as core_selectors
from ekommune.core.errors import ApplicationError
from ekommune.deposit import services


class Command(BaseCommand):
    help = (
        "Archive tools. 'verify' recomputes the SHA-256 of stored files and reports missing or altered ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Recompute the checksums of stored files and record the result."
        )
        verify.add_argument("--municipality", help="Kortnavn (slug) of one municipality; default: all.")
        verify.add_argument(
            "--sample", type=int, help="Check at most N files, going on where the last run ended."
        )
        verify.add_argument("--resume", action="store_true", help="Continue an interrupted run.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("municipality")
        if slug:
            municipality = core_selectors.municipality_for_slug(slug=slug)
            if municipality is None:
                raise CommandError(f"Unknown municipality: {slug}")
            municipalities = [municipality]
        else:
            municipalities = list(core_selectors.municipality_list_active())
        try:
            runs = services.fixity_verify(
                municipalities=municipalities, sample=options.get("sample"), resume=options["resume"]
            )
        except ApplicationError as error:
            raise CommandError(f"{error.message} ({error.code})") from error
        problems = 0
        for municipality, run in zip(municipalities, runs, strict=True):
            self.stdout.write(
                f"{municipality.slug}: {run.checked} filer kontrollert, {run.missing} mangler, {run.altered} endret"
            )
            for finding in run.findings.order_by("stored_file_id"):
                problems += 1
                self.stdout.write(
                    f"  {finding.problem.upper():8} {finding.storage_name} (forventet {finding.expected_sha256})"
                )
        if problems:
            raise CommandError(f"{problems} fil(er) mangler eller er endret.")
        self.stdout.write(self.style.SUCCESS("Alle kontrollerte filer er uendret."))
