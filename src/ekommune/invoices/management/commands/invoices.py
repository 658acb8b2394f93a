"""``ekommune invoices validate FILE`` | ``receive-folder DIR`` | ``compile``.

``validate`` prints every finding (rule id, fatal or warning, location, message) and exits 1 when
a rule is fatal. ``receive-folder`` is the watched folder (or SFTP drop): each ``*.xml`` goes
through the one reception service and moves to ``done/``, ``rejected/`` or ``refused/`` beside
it, never deleted. ``compile`` compiles the Schematron into the cache now.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core.errors import ApplicationError
from ekommune.invoices import services, validation
from ekommune.invoices.models import Channel, InvoiceState
from ekommune.standards import StandardMissingError


class Command(BaseCommand):
    help = "E-invoices (EHF Billing 3.0): validate a file, receive a watched folder, compile the rules."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("validate", help="Validate an EHF file with the official rules.")
        check.add_argument("file")
        folder = sub.add_parser(
            "receive-folder", help="Receive every *.xml in a folder (the watched folder)."
        )
        folder.add_argument("folder")
        sub.add_parser("compile", help="Compile the Schematron to XSLT into the data folder's cache.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except StandardMissingError as error:
            raise CommandError(str(error)) from error

    def _compile(self, options: dict[str, Any]) -> None:
        validation.prepare()
        self.stdout.write(f"Compiled rules in {validation.cache_folder()}")

    def _validate(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        report = validation.validate(content)
        for finding in report.findings:
            self.stdout.write(
                f"{finding.flag.upper():8} {finding.rule_id:24} {finding.location}\n         {finding.message}"
            )
        note = "" if report.xsd_checked else " (UBL 2.1 XSD not installed: not checked)"
        summary = f"{path.name}: {len(report.errors)} fatal, {len(report.warnings)} warnings{note}"
        if report.fatal:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))

    def _receive_folder(self, options: dict[str, Any]) -> None:
        folder = Path(options["folder"])
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        counts = {"done": 0, "rejected": 0, "refused": 0}
        for path in sorted(folder.glob("*.xml")):
            try:
                invoice = services.invoice_receive(
                    content=path.read_bytes(), channel=Channel.FOLDER, actor_label=f"mappe {folder.name}"
                )
                outcome = "rejected" if invoice.state == InvoiceState.REJECTED else "done"
                self.stdout.write(f"{path.name}: {invoice.get_state_display()}")
            except ApplicationError as error:
                outcome = "refused"
                self.stdout.write(f"{path.name}: refused ({error.code}): {error.message}")
            (folder / outcome).mkdir(exist_ok=True)
            path.replace(folder / outcome / path.name)
            counts[outcome] += 1
        self.stdout.write(", ".join(f"{count} {name}" for name, count in counts.items()))
