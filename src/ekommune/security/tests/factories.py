"""Security test data built through the services, as the platform builds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core.models import Municipality, Role, User
from ekommune.core.tests.factories import staff
from ekommune.security import services
from ekommune.security.models import Deviation, DeviationKind
from ekommune.security.types import DeviationReport

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
