"""Demo archive per municipality: fonds, a municipal subject-based classification scheme
(arkivnøkkel with codes like ``064``), the current series, and a few realistic cases.

Called by ``ekommune demo load`` after the municipalities exist; idempotent.
"""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone

from ekommune.archive import services
from ekommune.archive.models import Fonds
from ekommune.core import selectors as core_selectors
from ekommune.core.models import Municipality, Role, User

DEMO_CLASSES = (
    ("000", "Organisasjon og administrasjon"),
    ("033", "Utvalg, råd og nemnder"),
    ("064", "Informasjonsteknologi"),
    ("210", "Økonomi, regnskap"),
    ("223", "Innkjøp"),
    ("A20", "Barnehager"),
    ("B13", "Skoleskyss"),
    ("L42", "Byggesaker, tiltak"),
    ("N01", "Veier og gater"),
    ("U63", "Skjenkebevilling"),
)

DEMO_CASES = (
    ("064", "IT-strategi 2026-2029", "Rådmannens stab", "IA", "Høringsutkast IT-strategi", "Høringsutkast"),
    (
        "A20",
        "Søknad om barnehageplass - Fjellvegen barnehage",
        "Oppvekst",
        "EA",
        "Søknad om barnehageplass",
        "Søknad",
    ),
    (
        "N01",
        "Melding om hull i vegen - Strandvegen",
        "Teknisk drift",
        "EA",
        "Melding om skade på kommunal veg",
        "Melding",
    ),
    (
        "U63",
        "Søknad om skjenkebevilling - Kaikanten kafé",
        "Næring",
        "EA",
        "Søknad om alminnelig skjenkebevilling",
        "Søknad",
    ),
)


DEMO_USERNAMES = {Role.RECORDS_MANAGER: "arkivar", Role.CASE_WORKER: "saksbehandler"}


def _staff(municipality: Municipality, role: Role) -> User | None:
    return core_selectors.user_active_by_username(username=f"{municipality.slug}.{DEMO_USERNAMES[role]}")


@transaction.atomic
def demo_load(municipalities: list[Municipality]) -> list[str]:
    created: list[str] = []
    for municipality in municipalities:
        if Fonds.objects.filter(municipality=municipality).exists():
            continue
        records_manager = _staff(municipality, Role.RECORDS_MANAGER)
        case_worker = _staff(municipality, Role.CASE_WORKER)
        if records_manager is None or case_worker is None:
            continue
        fonds = services.fonds_create(
            actor=records_manager,
            municipality=municipality,
            title=f"{municipality.name} sakarkiv",
            creator_id=municipality.organisation_number,
            creator_name=municipality.name,
        )
        scheme = services.classification_system_create(
            actor=records_manager,
            municipality=municipality,
            title="Arkivnøkkel for kommunesektoren (emnebasert)",
            classification_type="EH",
            classes=DEMO_CLASSES,
        )
        year = timezone.localdate().year
        series = services.series_create(
            actor=records_manager,
            municipality=municipality,
            fonds=fonds,
            title=f"Sakarkiv {year}-",
            classification_system=scheme,
            period_start=timezone.localdate().replace(month=1, day=1),
        )
        classes = {c.class_id: c for c in scheme.classes.all()}
        for class_id, title, unit, party_type, entry_title, document_title in DEMO_CASES:
            case_file = services.case_file_create(
                actor=case_worker,
                municipality=municipality,
                series=series,
                title=title,
                administrative_unit=unit,
                case_responsible="Kari Nilsen",
                primary_class=classes[class_id],
            )
            party = services.PartyInput(
                party_type=party_type,
                name="Ola Nordmann" if party_type == "EA" else unit,
                kind="person" if party_type == "EA" else "internal",
                postal_code="5490",
                city=municipality.name.split()[0],
            )
            services.registry_entry_register(
                actor=case_worker,
                municipality=municipality,
                case_file=case_file,
                entry_type="I" if party_type == "EA" else "N",
                title=entry_title,
                parties=[party],
                documents=[
                    services.DocumentInput(
                        title=document_title,
                        file_name=f"{document_title}.txt",
                        content=io.BytesIO(
                            f"{entry_title}\n\n{municipality.name}, {timezone.localdate():%d.%m.%Y}\n".encode()
                        ),
                    )
                ],
            )
        created.append(f"archive of {municipality.name} ({len(DEMO_CASES)} cases)")
    return created
