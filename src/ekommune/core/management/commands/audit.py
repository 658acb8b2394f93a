"""``ekommune audit verify``: recompute the audit log's hash chains and report the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ekommune.core import selectors


class Command(BaseCommand):
    help = "Audit log tools. 'verify' recomputes every hash chain and reports the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Verify the hash chains (all, or one municipality's).")
        verify.add_argument(
            "--municipality", help="Kortnavn (slug) of one municipality; default: every chain."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("municipality")
        if slug:
            municipality = selectors.municipality_for_slug(slug=slug)
            if municipality is None:
                raise CommandError(f"Unknown municipality: {slug}")
            chain_keys = [municipality.pk]
        else:
            chain_keys = selectors.audit_chain_keys()
        broken = 0
        for chain_key in chain_keys:
            report = selectors.audit_chain_verify(chain_key=chain_key)
            label = "installation" if chain_key == 0 else f"municipality {chain_key}"
            if report.first_break is None:
                self.stdout.write(f"OK      chain {label}: {report.events} events, head {report.head_hash}")
            else:
                broken += 1
                b = report.first_break
                self.stdout.write(
                    f"BROKEN  chain {label}: first broken link at sequence {b.sequence} (event id {b.event_id}): {b.reason}"
                )
        if broken:
            raise CommandError(f"{broken} audit chain(s) broken.")
        self.stdout.write(self.style.SUCCESS(f"All {len(chain_keys)} audit chain(s) intact."))
