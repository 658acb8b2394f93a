"""``ekommune standards fetch|status``: the official standards files of the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.standards import manifest, standards_root_for
from ekommune.standards.fetch import fetch, sha256_of
from ekommune.standards.lookup import FETCH_COMMAND, data_root


class Command(BaseCommand):
    help = "The official standards files (XSDs ...): fetch them into the data folder, or show where each is."
    requires_system_checks: list[str] = []  # works before the database is set up

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        get = sub.add_parser("fetch", help="Download the files of the manifest, each checked by its SHA-256.")
        get.add_argument("--group", help="Only this group of the manifest (e.g. noark5).")
        get.add_argument("--mirror", help="Fetch <MIRROR>/<key> instead of the publisher's URL.")
        get.add_argument("--dir", help="Write into this folder (default: the data folder's standards/).")
        status = sub.add_parser("status", help="Each file of the manifest: where it was found, or missing.")
        status.add_argument("--group", help="Only this group of the manifest.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "fetch":
            self._fetch(options)
        else:
            self._status(options)

    def _fetch(self, options: dict[str, Any]) -> None:
        target = Path(options["dir"]) if options.get("dir") else data_root()
        groups = sorted({file.group for file in manifest()})
        if options.get("group") and options["group"] not in groups:
            raise CommandError(
                f"The manifest has no group {options['group']!r} (it has: {', '.join(groups)})."
            )
        report = fetch(
            target=target,
            group=options.get("group"),
            mirror=options.get("mirror"),
            progress=lambda key, what: self.stdout.write(f"  {key}: {what}"),
        )
        if not report.ok:
            raise CommandError(
                f"{len(report.failed)} file(s) refused or not fetched: {', '.join(report.failed)}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.fetched)} fetched, {len(report.present)} already there, in {target}."
            )
        )

    def _status(self, options: dict[str, Any]) -> None:
        absent = 0
        for file in manifest():
            if options.get("group") and file.group != options["group"]:
                continue
            root = standards_root_for(file.key)
            if root is None:
                absent += 1
                self.stdout.write(f"{file.key} ({file.group} {file.version}): MISSING")
                continue
            right = sha256_of(root / file.key) == file.sha256
            note = "" if right else "  CHECKSUM DIFFERS from the manifest"
            self.stdout.write(f"{file.key} ({file.group} {file.version}): {root / file.key}{note}")
        if absent:
            raise CommandError(f"{absent} file(s) missing: run `{FETCH_COMMAND}`.")
