"""``ekommune demo load`` (idempotent) and ``ekommune demo info`` (URLs and logins)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ekommune.core.demo import DEMO_MUNICIPALITIES, DEMO_PASSWORD, OPERATOR_USERNAME, demo_load


class Command(BaseCommand):
    help = "Demo data: 'load' creates two demo municipalities with staff; 'info' prints URLs and logins."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Create whatever of the demo data is missing.")
        info = sub.add_parser("info", help="Print the demo's URLs and logins.")
        info.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            created = demo_load()
            self.stdout.write(
                f"Demo data: {len(created)} created"
                + (f" ({', '.join(created)})" if created else " (all present)")
            )
            return
        port = options["port"]
        lines = [
            "",
            "ekommune is running. Open:",
            f"  http://localhost:{port}/   (the installation: list of municipalities)",
        ]
        for demo in DEMO_MUNICIPALITIES:
            lines.append(
                f"  http://{demo.host_names[0]}:{port}/   or  http://localhost:{port}/k/{demo.slug}/   ({demo.name})"
            )
        lines += ["", f"Staff logins (password for all: {DEMO_PASSWORD}):"]
        for demo in DEMO_MUNICIPALITIES:
            lines.append(
                "  " + ", ".join(f"{username} ({role.label})" for username, _, _, role in demo.staff)
            )
        lines += [
            f"  {OPERATOR_USERNAME} (operator of the installation)",
            "",
            "E-mail the platform sends (receipts, notices, summons) is written to var/mail/.",
            "Health: /healthz and /readyz. Stop with Ctrl-C.",
            "",
        ]
        self.stdout.write("\n".join(lines))
