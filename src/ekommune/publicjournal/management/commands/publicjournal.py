"""``ekommune publicjournal refresh``: bring the public journal in step with the archive.

Run it after changes to the archive (or let the background task do it): without options every
municipality is screened anew; ``--since-minutes N`` looks only at entries changed lately.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ekommune.core import selectors as core_selectors
from ekommune.publicjournal import services


class Command(BaseCommand):
    help = "Public journal tools. 'refresh' republishes the archive's entries through the screening."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="Republish the public journal (all, or one municipality's).")
        refresh.add_argument(
            "--municipality", help="Kortnavn (slug) of one municipality; default: every one."
        )
        refresh.add_argument(
            "--since-minutes",
            type=int,
            help="Only entries changed in the last N minutes (default: everything, removing what is no longer public).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("municipality")
        if slug:
            municipality = core_selectors.municipality_for_slug(slug=slug)
            if municipality is None:
                raise CommandError(f"Unknown municipality: {slug}")
            municipalities = [municipality]
        else:
            municipalities = list(core_selectors.municipality_list_active())
        minutes = options.get("since_minutes")
        if minutes is not None and minutes <= 0:
            raise CommandError("--since-minutes must be a positive number of minutes.")
        since = timezone.now() - dt.timedelta(minutes=minutes) if minutes else None
        for municipality in municipalities:
            result = services.publication_refresh(municipality=municipality, since=since)
            self.stdout.write(
                f"{municipality.slug}: {result.published} published, {result.removed} removed, "
                f"{result.waiting} waiting for the publication delay"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Public journal refreshed for {len(municipalities)} municipality(ies).")
        )
