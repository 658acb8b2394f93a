"""Security test data built through the services, as the platform builds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core.models import Municipality, Role, User
from ekommune.core.tests.factories import staff
from ekommune.security import services
from ekommune.security.models import Deviation, DeviationKind, RiskAssessment
from ekommune.security.types import DeviationReport, MeasureInput, ProcessingInput, ThreatInput

SECRET_TITLE = "Elevlister sendt til feil foresatt"
SECRET_DESCRIPTION = "Listen over elever ved Sjøkanten skole med diagnoser ble sendt til Torunn Lekkasjeby."


@dataclass
class Security:
    municipality: Municipality
    archive: Archive
    admin: User  # handles deviations (security.manage)
    privacy_officer: User
    case_worker: User  # reports only


def security_for(municipality: Municipality) -> Security:
    archive = archive_for(municipality)
    admin = staff(
        municipality,
        Role.ADMINISTRATOR,
        first_name="Ingrid",
        last_name="Sikker",
        email=f"ingrid@{municipality.slug}.test",
    )
    officer = staff(
        municipality,
        Role.MANAGEMENT,
        first_name="Pia",
        last_name="Ombud",
        email=f"pvo@{municipality.slug}.test",
    )
    services.security_settings_set(
        actor=admin, municipality=municipality, intake_user=archive.records_manager, privacy_officer=officer
    )
    return Security(municipality, archive, admin, officer, archive.case_worker)


def report(
    kind: str = DeviationKind.PERSONAL_DATA_BREACH,
    *,
    discovered_at: dt.datetime | None = None,
    title: str = SECRET_TITLE,
    description: str = SECRET_DESCRIPTION,
) -> DeviationReport:
    discovered = discovered_at or timezone.now() - dt.timedelta(hours=1)
    return DeviationReport(
        kind=kind,
        title=title,
        description=description,
        discovered_at=discovered,
        occurred_at=discovered - dt.timedelta(hours=2),
        systems="Oppvekstadministrativt system, e-post",
        data_involved="Navn, klasse, helseopplysninger",
        person_categories="Elever",
        persons_affected=24,
        immediate_measures="Mottakeren er bedt om å slette e-posten.",
    )


def deviation_for(
    security: Security, kind: str = DeviationKind.PERSONAL_DATA_BREACH, **kwargs: object
) -> Deviation:
    return services.deviation_report(
        actor=security.case_worker,
        municipality=security.municipality,
        report=report(kind, **kwargs),  # type: ignore[arg-type]
    )


def assessment_for(security: Security, *, asset_name: str = "Fagsystem for barnevern") -> RiskAssessment:
    """A draft ROS with two threats (H1 high, H2 low) and a measure against H1."""
    assessment = services.risk_assessment_create(
        actor=security.admin,
        municipality=security.municipality,
        asset_name=asset_name,
        asset_kind="system",
        owner_id=security.admin.pk,
    )
    first = services.threat_add(
        actor=security.admin,
        municipality=security.municipality,
        assessment=assessment,
        threat=ThreatInput(
            title="Uautorisert innsyn", likelihood=4, confidentiality=5, integrity=2, availability=1
        ),
    )
    services.threat_add(
        actor=security.admin,
        municipality=security.municipality,
        assessment=assessment,
        threat=ThreatInput(title="Strømbrudd", likelihood=2, confidentiality=1, integrity=1, availability=2),
    )
    services.measure_add(
        actor=security.admin,
        municipality=security.municipality,
        threat=first,
        measure=MeasureInput(
            description="Tilgangsstyring per sak",
            owner_id=security.admin.pk,
            due_date=timezone.localdate() + dt.timedelta(days=30),
            reduces_likelihood=2,
            reduces_consequence=1,
        ),
    )
    return assessment


def processing_input(**changes: object) -> ProcessingInput:
    values: dict[str, object] = {
        "name": "Skoleskyss",
        "purpose": "Tildele skoleskyss til elever.",
        "legal_basis_art6": ("e",),
        "data_subject_categories": "Elever og foresatte",
        "data_categories": "Navn, adresse, skole",
        "retention": "Fem år etter skoleslutt",
        "recipients": "Fylkeskommunen",
        "transfers": "Ingen",
        "security_measures": "HEMMELIG-TILTAK brannmur i kjelleren",
        "systems": "HEMMELIG-SYSTEM Skyss-admin 2.1",
        "internal_note": "HEMMELIG-NOTAT intern",
        "published": True,
    }
    values.update(changes)
    return ProcessingInput(**values)  # type: ignore[arg-type]
