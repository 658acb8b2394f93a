"""Public-journal test data: archive entries registered through the archive's services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import SENDER, Archive, case_for, letter

BASIS = "Offl. § 13 jf. fvl. § 13"


def entry_in(
    archive: Archive,
    title: str,
    *,
    case_file: Any = None,
    entry_type: str = "I",
    parties: Sequence[archive_services.PartyInput] = (SENDER,),
    screened: Sequence[str] = (),
    restriction: str = "13",
    documents: Sequence[str] = ("Brev",),
    public_title: str = "",
) -> Any:
    return archive_services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file or case_for(archive),
        entry_type=entry_type,
        title=title,
        public_title=public_title,
        parties=list(parties),
        documents=[letter(name, f"%PDF-1.7 {name}".encode()) for name in documents],
        screening=archive_services.ScreeningInput(
            access_restriction=restriction, legal_basis=BASIS, screened_metadata=list(screened)
        )
        if screened or restriction != "13"
        else None,
    )
