"""Archive test data built through the services, as the platform builds it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from ekommune.archive import services
from ekommune.archive.models import CaseFile, Class, Fonds, Series
from ekommune.core.models import Municipality, Role, User
from ekommune.core.tests.factories import staff

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Archive:
    municipality: Municipality
    records_manager: User
    case_worker: User
    fonds: Fonds
    series: Series
    classes: dict[str, Class]


def archive_for(municipality: Municipality) -> Archive:
    records_manager = staff(municipality, Role.RECORDS_MANAGER)
    case_worker = staff(municipality, Role.CASE_WORKER)
    fonds = services.fonds_create(
        actor=records_manager,
        municipality=municipality,
        title=f"{municipality.name} arkiv",
        creator_id=municipality.organisation_number,
        creator_name=municipality.name,
    )
    system = services.classification_system_create(
        actor=records_manager,
        municipality=municipality,
        title="Arkivnøkkel",
        classification_type="KK",
        classes=[("064", "IT-strategi"), ("A20", "Barnehager"), ("614", "Vegvedlikehold")],
    )
    series = services.series_create(
        actor=records_manager,
        municipality=municipality,
        fonds=fonds,
        title="Sakarkiv 2026-",
        classification_system=system,
    )
    return Archive(
        municipality=municipality,
        records_manager=records_manager,
        case_worker=case_worker,
        fonds=fonds,
        series=series,
        classes={c.class_id: c for c in system.classes.all()},
    )


def case_for(
    archive: Archive, title: str = "Søknad om barnehageplass", *, administrative_unit: str = "Oppvekst"
) -> CaseFile:
    return services.case_file_create(
        actor=archive.case_worker,
        municipality=archive.municipality,
        series=archive.series,
        title=title,
        administrative_unit=administrative_unit,
        case_responsible="Kari Nilsen",
        primary_class=archive.classes["A20"],
    )


def letter(
    title: str = "Søknad", content: bytes = PDF_BYTES, *, finalised: bool = True, expected_sha256: str = ""
) -> services.DocumentInput:
    return services.DocumentInput(
        title=title,
        file_name=f"{title}.pdf",
        content=io.BytesIO(content),
        finalised=finalised,
        expected_sha256=expected_sha256,
    )


SENDER = services.PartyInput(
    party_type="EA", name="Ola Nordmann", postal_address="Fjellvegen 3", postal_code="5490", city="Fjordvik"
)
