"""Demo public journal per municipality: a publication policy (full text on), access requests
registered by the records manager, a few screened entries to show how screening looks, and the
first publication. Called by ``ekommune demo load`` after the
archive demo (``demo_load`` of every app, in app order); idempotent.
"""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import selectors as core_selectors
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality, User
from ekommune.publicjournal import services
from ekommune.publicjournal.models import PublicationPolicy

BASIS = "Offl. § 13 jf. fvl. § 13"


def _user(municipality: Municipality, name: str) -> User | None:
    return core_selectors.user_active_by_username(username=f"{municipality.slug}.{name}")


def _demo_entries(municipality: Municipality, case_worker: User) -> None:
    """Two answers in the demo's cases: one with a screened line and one with a screened recipient."""
    year = timezone.localdate().year
    kindergarten = _case(municipality, case_worker, f"{year}/2", "barnehageplass")
    road = _case(municipality, case_worker, f"{year}/3", "hull i vegen")
    if kindergarten is not None:
        archive_services.registry_entry_register(
            actor=case_worker,
            municipality=municipality,
            case_file=kindergarten,
            entry_type="U",
            title="Vedtak om barnehageplass\nfor barn født 2024, Fjellvegen 3",
            parties=[archive_services.PartyInput(party_type="EM", name="Ola Nordmann")],
            documents=[_text("Vedtak", "Vedtak om barnehageplass.")],
            screening=archive_services.ScreeningInput(
                access_restriction="13", legal_basis=BASIS, screened_metadata=["TR1", "NM"]
            ),
        )
    if road is not None:
        archive_services.registry_entry_register(
            actor=case_worker,
            municipality=municipality,
            case_file=road,
            entry_type="U",
            title="Svar på melding om skade på kommunal veg",
            parties=[archive_services.PartyInput(party_type="EM", name="Ola Nordmann")],
            documents=[_text("Svar", "Takk for meldingen. Vegen blir reparert i uke 48.")],
        )


def _case(municipality: Municipality, case_worker: User, number: str, title_part: str) -> Any:
    """The archive demo's case ``number`` if it is the expected one (else None)."""
    try:
        case_file = archive_selectors.case_file_by_number(
            actor=case_worker, municipality=municipality, case_number=number
        )
    except NotFoundError:
        return None
    return case_file if title_part in case_file.title else None


def _text(title: str, body: str) -> archive_services.DocumentInput:
    return archive_services.DocumentInput(
        title=title, file_name=f"{title}.txt", content=io.BytesIO(body.encode()), finalised=True
    )


@transaction.atomic
def demo_load(municipalities: list[Municipality]) -> list[str]:
    created: list[str] = []
    for municipality in municipalities:
        if PublicationPolicy.objects.filter(municipality=municipality).exists():
            continue
        records_manager = _user(municipality, "arkivar")
        case_worker = _user(municipality, "saksbehandler")
        if records_manager is None or case_worker is None:
            continue
        services.publication_policy_set(
            actor=records_manager, municipality=municipality, full_text_enabled=True, delay_hours=0
        )
        services.access_request_settings_set(
            actor=records_manager, municipality=municipality, intake_user=records_manager
        )
        _demo_entries(municipality, case_worker)
        result = services.publication_refresh(municipality=municipality)
        created.append(f"public journal of {municipality.name} ({result.published} entries)")
    return created
