"""``ekommune deposit export|check|import``: Noark 5 extraction packages (arkivuttrekk)."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core import selectors as core_selectors
from ekommune.core.errors import ApplicationError
from ekommune.core.models import Municipality, User
from ekommune.deposit import services


class ProgressBar:
    """A one-line progress display on stdout, redrawn every ``every`` entries."""

    def __init__(self, stream: Any, total: int | None = None, every: int = 500) -> None:
        self.stream, self.total, self.every = stream, total, every
        self.started = time.monotonic()
        self.last = 0

    def __call__(self, done: int) -> None:
        if done - self.last < self.every:
            return
        self.last = done
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(f"\r  {done} registreringer skrevet ({rate:,.0f}/s)")
        self.stream.flush()

    def close(self) -> None:
        if self.last:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Noark 5 arkivuttrekk: export a package of one or more series, check a package, import one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write the extraction package of one or more series.")
        export.add_argument("--municipality", required=True, help="Kortnavn (slug) of the municipality.")
        export.add_argument("--series", required=True, nargs="+", help="systemID of each series (arkivdel).")
        export.add_argument("--out", required=True, help="Folder to write (new or empty).")
        export.add_argument("--user", required=True, help="Username of the records manager doing it.")
        export.add_argument("--schemas", help="Folder with the official Noark 5 XSDs.")
        export.add_argument(
            "--parallel", action="store_true", help="Write the journals in a second process (two cores)."
        )
        export.add_argument(
            "--report", help="When refused for unclassified case files, list every one in this file."
        )
        export.add_argument(
            "--dias", action="store_true", help="Pack it as Arkivverket's DIAS: <uuid>.tar and info.xml."
        )
        check = sub.add_parser(
            "check", help="Check a package: schemas, checksums, counts, references, dates."
        )
        check.add_argument("package", help="The package folder (holding arkivuttrekk.xml) or its DIAS tar.")
        check.add_argument("--schemas", help="Folder with the official Noark 5 XSDs.")
        check.add_argument("--json", help="Write the report as JSON to this file.")
        check.add_argument("--html", help="Write the report as HTML to this file.")
        load = sub.add_parser("import", help="Load a checked package into a new fonds of a municipality.")
        load.add_argument("package", help="The package folder (holding arkivuttrekk.xml) or its DIAS tar.")
        load.add_argument("--municipality", required=True, help="Kortnavn (slug) of the municipality.")
        load.add_argument("--user", required=True, help="Username of the records manager doing it.")
        load.add_argument("--schemas", help="Folder with the official Noark 5 XSDs.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except services.PackageRefusedError as error:
            self.stdout.write(error.report.to_text())
            raise CommandError(f"{error.message} ({error.code})") from error
        except ApplicationError as error:
            raise CommandError(f"{error.message} ({error.code})") from error

    def _municipality(self, slug: str) -> Municipality:
        municipality = core_selectors.municipality_for_slug(slug=slug)
        if municipality is None:
            raise CommandError(f"Unknown municipality: {slug}")
        return municipality

    def _user(self, username: str) -> User:
        user = core_selectors.user_active_by_username(username=username)
        if user is None:
            raise CommandError(f"Unknown or inactive user: {username}")
        return user

    def _export(self, options: dict[str, Any]) -> None:
        municipality = self._municipality(options["municipality"])
        try:
            series_ids = [uuid.UUID(value) for value in options["series"]]
        except ValueError as error:
            raise CommandError(f"A series is named by its systemID (a UUID): {error}") from error
        bar = ProgressBar(self.stdout)
        try:
            result = services.package_export(
                actor=self._user(options["user"]),
                municipality=municipality,
                series_ids=series_ids,
                out_dir=Path(options["out"]),
                schemas=Path(options["schemas"]) if options.get("schemas") else None,
                progress=bar,
                parallel=options["parallel"],
                as_dias=options["dias"],
            )
        except services.UnclassifiedCasesError as error:
            if options.get("report"):
                Path(options["report"]).write_text("\n".join(error.offenders) + "\n", encoding="utf-8")
                self.stdout.write(f"Sakene er listet i {options['report']}.")
            raise
        bar.close()
        counts = ", ".join(f"{name} {count}" for name, count in sorted(result.counts.items()))
        self.stdout.write(f"Objekter: {counts}")
        self.stdout.write(
            f"Journalposter: {result.journal_entries} i løpende journal, {result.public_entries} i offentlig journal; "
            f"{result.changes} endringer; {result.document_files} dokumentfiler."
        )
        if result.dias_tar is not None:
            self.stdout.write(f"DIAS-pakke: {result.dias_tar} med info.xml ved siden av.")
        self.stdout.write(self.style.SUCCESS(f"Arkivuttrekket er skrevet til {result.out_dir}."))

    def _check(self, options: dict[str, Any]) -> None:
        report = services.package_check(
            package_dir=Path(options["package"]),
            schemas=Path(options["schemas"]) if options.get("schemas") else None,
        )
        self.stdout.write(report.to_text())
        if options.get("json"):
            Path(options["json"]).write_text(report.to_json(), encoding="utf-8")
        if options.get("html"):
            Path(options["html"]).write_text(report.to_html(), encoding="utf-8")
        if not report.ok:
            raise CommandError(f"Pakken har {len(report.findings)} avvik.")
        self.stdout.write(self.style.SUCCESS("Pakken er i orden."))

    def _import(self, options: dict[str, Any]) -> None:
        result = services.package_import(
            actor=self._user(options["user"]),
            municipality=self._municipality(options["municipality"]),
            package_dir=Path(options["package"]),
            schemas=Path(options["schemas"]) if options.get("schemas") else None,
        )
        self.stdout.write(
            f"Importert: {result.case_files} saksmapper, {result.entries} registreringer, "
            f"{result.documents} dokumenter, {result.changes} endringer."
        )
        if result.findings:
            self.stdout.write(f"{len(result.findings)} verdier ble ikke lagret:")
            for finding in result.findings:
                where = f"{finding.file}:{finding.line}" if finding.line else finding.file
                self.stdout.write(f"  [{finding.code}] {where}: {finding.message}")
        series = " ".join(str(system_id) for system_id in result.series_system_ids)
        self.stdout.write(self.style.SUCCESS(f"Nytt arkiv {result.fonds_system_id}, arkivdeler: {series}"))
