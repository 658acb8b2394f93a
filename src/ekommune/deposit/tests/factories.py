"""A varied archive for extraction tests, built through the archive's services."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ekommune.archive import services
from ekommune.archive.tests.factories import PDF_BYTES, SENDER, Archive, archive_for, letter
from ekommune.core.models import Municipality

RECIPIENT = services.PartyInput(party_type="EM", name="Nordvik Bygg AS", kind="unit", organisation_number="")
SCREENED_PARTY = services.PartyInput(party_type="EA", name="Sofie Skjermet", postal_address="Lia 1")
LEGAL_BASIS = "Offl. § 13 jf. fvl. § 13"


@dataclass
class RichArchive:
    archive: Archive
    open_series: Any
    closed_series: Any
    entries: dict[str, Any] = field(default_factory=dict)

    @property
    def series_ids(self) -> list[Any]:
        return [self.open_series.system_id, self.closed_series.system_id]


def rich_archive(municipality: Municipality) -> RichArchive:
    """Two series (an open one with a nested class, a closed one with a concluded case), case files
    with I/U/N/X/S entries, an arkivnotat, parties, screening, versions and variants, comments,
    cross references and write-offs."""
    archive = archive_for(municipality)
    rm, cw, m = archive.records_manager, archive.case_worker, municipality
    series = archive.series
    system = series.classification_system
    assert system is not None
    parent = services.class_create(
        actor=rm, municipality=m, system=system, class_id="0", title="Fellesfunksjoner"
    )
    child = services.class_create(
        actor=rm, municipality=m, system=system, class_id="00", title="Administrasjon", parent=parent
    )
    rich = RichArchive(archive=archive, open_series=series, closed_series=series)

    def case(title: str, klass: Any, **kwargs: Any) -> Any:
        return services.case_file_create(
            actor=cw,
            municipality=m,
            series=kwargs.pop("series", series),
            title=title,
            administrative_unit="Oppvekst",
            case_responsible="Kari Nilsen",
            primary_class=klass,
            **kwargs,
        )

    kindergarten = case("Søknad om barnehageplass - Ola Nordmann", archive.classes["A20"])
    rich.entries["I"] = incoming = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=kindergarten,
        entry_type="I",
        title="Søknad om barnehageplass",
        parties=[SENDER],
        documents=[letter("Søknad"), letter("Vedlegg", b"%PDF-1.7 vedlegg\n")],
        status="F",
    )
    rich.entries["U"] = outgoing = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=kindergarten,
        entry_type="U",
        title="Vedtak om barnehageplass",
        parties=[RECIPIENT],
        documents=[letter("Vedtak", b"%PDF-1.7 vedtak\n", finalised=False)],
    )
    draft = outgoing.documents.get()
    services.document_object_add(
        actor=cw,
        municipality=m,
        document=draft,
        file_name="Vedtak v2.pdf",
        content=io.BytesIO(b"%PDF-1.7 vedtak versjon 2\n"),
    )
    services.document_finalise(actor=cw, municipality=m, document=draft)
    services.document_object_add(
        actor=cw,
        municipality=m,
        document=draft,
        file_name="Vedtak v2 arkiv.pdf",
        content=io.BytesIO(b"%PDF-1.7 vedtak arkivformat\n"),
        variant_format="A",
    )
    services.registry_entry_write_off(
        actor=cw, municipality=m, entry=incoming, method="BU", answered_by=outgoing
    )
    services.case_party_add(
        actor=cw,
        municipality=m,
        case_file=kindergarten,
        party=services.CasePartyInput(name="Per Hansen", role="KLI"),
    )
    services.comment_add(
        actor=cw, municipality=m, on=kindergarten, text="Prioritert søknad", comment_type="MS"
    )
    services.comment_add(actor=cw, municipality=m, on=incoming, text="Mottatt på e-post")

    health = case(
        "Helsesak - Sofie Skjermet",
        child,
        screening=services.ScreeningInput(
            access_restriction="13", legal_basis=LEGAL_BASIS, screened_metadata=["TM1", "NPS"]
        ),
    )
    rich.entries["N"] = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=health,
        entry_type="N",
        title="Notat om oppfølging\nmed sensitive opplysninger",
        parties=[services.PartyInput(party_type="IM", name="Helse", kind="internal")],
        documents=[letter("Notat", b"%PDF-1.7 notat\n")],
        screening=services.ScreeningInput(
            access_restriction="13", legal_basis=LEGAL_BASIS, screened_metadata=["TR1", "NA"]
        ),
    )
    rich.entries["I-screened"] = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=health,
        entry_type="I",
        title="Brev fra Sofie Skjermet",
        parties=[SCREENED_PARTY],
        documents=[letter("Brev", b"%PDF-1.7 brev\n")],
        screening=services.ScreeningInput(
            access_restriction="13", legal_basis=LEGAL_BASIS, screened_metadata=["NA"]
        ),
    )
    rich.entries["X"] = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=health,
        entry_type="X",
        title="Internt notat uten oppfølging",
    )
    rich.entries["secret"] = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=health,
        entry_type="I",
        title="Gradert henvendelse",
        parties=[SENDER],
        screening=services.ScreeningInput(
            access_restriction="B", legal_basis="Sikkerhetsloven", screened_metadata=["M"]
        ),
    )
    rich.entries["note"] = services.internal_note_register(
        actor=cw,
        municipality=m,
        case_file=health,
        title="Arkivnotat",
        documents=[letter("Arkivnotat", b"%PDF-1.7 an\n")],
    )
    roads = case("Vedlikehold av Strandvegen", archive.classes["614"])
    rich.entries["S"] = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=roads,
        entry_type="S",
        title="Saksframlegg om vegvedlikehold",
        documents=[letter("Saksframlegg", PDF_BYTES + b"% framlegg\n")],
    )
    services.cross_reference_add(actor=cw, municipality=m, source=roads, target=kindergarten)
    case("Tom sak uten journalposter", archive.classes["064"])

    # A closed period: a second series whose case is concluded and whose entries are finalised.
    fonds = archive.fonds
    closed_system = services.classification_system_create(
        actor=rm,
        municipality=m,
        title="Arkivnøkkel 2020",
        classification_type="KK",
        classes=[("210", "Økonomi")],
    )
    closed = services.series_create(
        actor=rm, municipality=m, fonds=fonds, title="Sakarkiv 2020-2025", classification_system=closed_system
    )
    old_case = case("Budsjett 2025", closed_system.classes.get(), series=closed)
    old = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=old_case,
        entry_type="U",
        title="Budsjettbrev",
        parties=[RECIPIENT],
        documents=[letter("Budsjett", b"%PDF-1.7 budsjett\n")],
        status="F",
    )
    rich.entries["closed-U"] = old
    services.case_file_conclude(actor=cw, municipality=m, case_file=old_case)
    rich.closed_series = services.series_close(
        actor=rm, municipality=m, series=closed, period_end=timezone.localdate()
    )
    return rich
