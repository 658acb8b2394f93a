"""``ekommune politics refresh-search``: bring what the political search may match in step with
the archive's screening (after a screening changed on case presentations already decided)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core import selectors as core_selectors
from ekommune.politics import services


class Command(BaseCommand):
    help = "Politics tools. 'refresh-search' takes the screened titles of every agenda item anew."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh-search", help="Screen every agenda item's title again.")
        refresh.add_argument(
            "--municipality", help="Kortnavn (slug) of one municipality; default: every one."
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
        for municipality in municipalities:
            changed = services.agenda_items_refresh_screening(municipality=municipality)
            self.stdout.write(f"{municipality.slug}: {changed} agenda item(s) changed")
        self.stdout.write(
            self.style.SUCCESS(f"Political search refreshed for {len(municipalities)} municipality(ies).")
        )
