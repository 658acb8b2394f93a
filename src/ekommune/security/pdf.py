"""The approved ROS as a PDF/A document (``ekommune.pdfa``, like the portal's receipts): the
asset, the version and its approval, the heat matrix as a table, each threat with its levels,
risk and residual risk, and its measures. Built from the version's snapshot, so the archived
document and the version page say the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ekommune.pdfa import Document, Heading, KeyValueTable, Paragraph, Style, render_pdf
from ekommune.security import rules

_MUTED = Style(size=10, colour=(0.2, 0.2, 0.2), space_after=12)
_KINDS = {"system": "System", "service": "Tjeneste", "process": "Prosess"}
_LEVELS = {"low": "lav", "medium": "middels", "high": "høy"}
_STATUS = {"planned": "planlagt", "in_progress": "pågår", "done": "gjennomført"}


def _risk(likelihood: int, confidentiality: int, integrity: int, availability: int) -> str:
    levels = rules.Levels(likelihood, confidentiality, integrity, availability)
    return f"{levels.likelihood} × {levels.consequence} = {levels.score} ({_LEVELS[rules.risk_level(levels.score)]})"


def risk_assessment_pdf(
    *,
    municipality_name: str,
    snapshot: dict[str, Any],
    version: int,
    approved_at: dt.datetime,
    approved_by: str,
) -> bytes:
    threats = snapshot["threats"]
    matrix_rows = []
    for likelihood in reversed(rules.SCALE):
        cells = []
        for consequence in rules.SCALE:
            codes = [
                threat["code"]
                for threat in threats
                if threat["likelihood"] == likelihood
                and rules.consequence(
                    confidentiality=threat["confidentiality"],
                    integrity=threat["integrity"],
                    availability=threat["availability"],
                )
                == consequence
            ]
            cells.append(f"K{consequence}: {', '.join(codes) or '–'}")
        matrix_rows.append((f"Sannsynlighet {likelihood}", " · ".join(cells), 0))
    blocks: list[Any] = [
        Paragraph(text=municipality_name, style=Style(bold=True, size=12)),
        Heading(text=f"ROS-analyse: {snapshot['asset_name']}", level=1),
        Paragraph(
            text=f"Versjon {version}, godkjent {approved_at:%d.%m.%Y %H:%M} av {approved_by}.", style=_MUTED
        ),
        KeyValueTable(
            rows=[
                ("Type", _KINDS.get(snapshot["asset_kind"], snapshot["asset_kind"]), 0),
                ("Ansvarlig", snapshot["owner"], 0),
                ("Omfang og forutsetninger", snapshot["scope"] or "–", 0),
                (
                    "Risiko",
                    "sannsynlighet × konsekvens (verste av konfidensialitet, integritet, tilgjengelighet)",
                    0,
                ),
            ]
        ),
        Heading(text="Risikomatrise før tiltak", level=2),
        KeyValueTable(rows=matrix_rows, label_fraction=0.25),
        Heading(text="Uønskede hendelser", level=2),
    ]
    for threat in threats:
        rows = [
            ("Beskrivelse", threat["description"] or "–", 0),
            (
                "Konsekvens K / I / T",
                f"{threat['confidentiality']} / {threat['integrity']} / {threat['availability']}",
                0,
            ),
            (
                "Risiko",
                _risk(
                    threat["likelihood"],
                    threat["confidentiality"],
                    threat["integrity"],
                    threat["availability"],
                ),
                0,
            ),
            (
                "Restrisiko",
                _risk(
                    threat["residual_likelihood"],
                    threat["residual_confidentiality"],
                    threat["residual_integrity"],
                    threat["residual_availability"],
                ),
                0,
            ),
        ]
        for measure in threat["measures"]:
            rows.append(
                (
                    "Tiltak",
                    f"{measure['description']} (ansvarlig {measure['owner']}, frist {measure['due_date']}, "
                    f"{_STATUS.get(measure['status'], measure['status'])})",
                    1,
                )
            )
        blocks += [Heading(text=f"{threat['code']} {threat['title']}", level=3), KeyValueTable(rows=rows)]
    return render_pdf(
        Document(
            title=f"ROS-analyse {snapshot['asset_name']} – {municipality_name}",
            author=municipality_name,
            subject="ROS-analyse",
            created_at=approved_at,
            page_numbers=True,
            blocks=blocks,
        )
    )
