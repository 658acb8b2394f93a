"""Issue 17: whichever way a screening is written (archive service, Noark 5 API, political
secretariat, portal), with any restriction and any screened-field values (codes, kodenavn, element
names, none, unknown ones), nothing screened reaches a public page, the JSON API, the feed, the
sitemap, the search index or an export's offentligJournal.xml; an unknown value refuses the write
and nothing is registered.
(The deposit import, the fourth way, and the export's offentligJournal: deposit/tests/test_import_screening.py.)
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.archive.api.noark import MEDIA_TYPE
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core.errors import ValidationError
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.deposit import services as deposit_services
from ekommune.politics import services as politics_services
from ekommune.politics.tests.factories import BODIES_CLASS, body_for, meeting_for, politics_for
from ekommune.portal.tests.factories import CHILD_NUMBER, portal_for, submit
from ekommune.publicjournal import services
from ekommune.publicjournal.screening import WHOLLY_EXEMPT_RESTRICTIONS

pytestmark = pytest.mark.django_db

HOST = "skjerming17.test"
BASIS = "Offl. § 13 jf. fvl. § 13"
RESTRICTIONS = ["13", "25", "KL", "5", "B", "XX", "Taushetsplikt, offentleglova § 13", "99", ""]
FIELDS = [
    "tittel",
    "korrespondansepart",
    "navn",
    "adresse",
    "tittel på dokument",
    "TR1",
    "TRO",
    "TM1",
    "NA",
    "NM",
    "NPS",
    "KID",
    "M",
    "Skjerming navn avsender",
    "Skjerming tittel mappe - unntatt første linje",
    "Ingen",
    "fødselsdato",  # unknown: refused
]
# Which codes hide what (publicjournal.screening); no codes at all hide everything (decision 0300).
HIDES_ENTRY_TITLE = {"TR1", "TRO", "M"}
HIDES_CASE_TITLE = {"TM1", "TMO", "M"}
HIDES_SENDER = {"NA", "M"}
COUNTER = itertools.count(1)


def public_outputs(entry_id: Any, case_file: Any, extra: tuple[str, ...] = ()) -> dict[str, str]:
    client = host_client(HOST)
    urls = [
        "/journal/",
        "/journal/feed/",
        "/journal/sitemap.xml",
        "/journal/sitemap-1.xml",
        "/api/journal/?antall=100",
        f"/journal/{entry_id}/",
        f"/journal/sak/{case_file.case_year}/{case_file.case_sequence_number}/",
        f"/api/journal/{entry_id}/",
        *extra,
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        pages[url] = response.content.decode()
    return pages


def assert_hidden(secrets: list[str], pages: dict[str, str]) -> None:
    for secret in secrets:
        leaked = [url for url, body in pages.items() if secret.casefold() in body.casefold()]
        assert leaked == [], f"{secret!r} on {leaked}"
        assert host_client(HOST).get("/api/journal/", {"q": secret}).json()["count"] == 0, secret


def expected_codes(restriction: str, fields: list[str], level: str) -> frozenset[str] | None:
    """The codes the one mapping stores, or None when the write must be refused."""
    try:
        archive_services.access_restriction_code(restriction)
        return frozenset(archive_services.screened_metadata_all(fields, level=level))
    except archive_services.ScreeningValueError:
        return None


def must_hide(restriction: str, codes: frozenset[str], level: str) -> dict[str, bool]:
    everything = (
        not codes or archive_services.access_restriction_code(restriction) in WHOLLY_EXEMPT_RESTRICTIONS
    )
    if level == "mappe":  # only temporary (or undecided) screening of the case reaches the entry
        return {
            "entry_title": everything or "M" in codes,
            "case_title": everything or bool(codes & HIDES_CASE_TITLE),
            "sender": everything or "M" in codes,
        }
    return {
        "entry_title": everything or bool(codes & HIDES_ENTRY_TITLE),
        "case_title": everything or "M" in codes,
        "sender": everything or bool(codes & HIDES_SENDER),
    }


@pytest.fixture
def archive() -> Archive:
    return archive_for(MunicipalityFactory.create(slug="skjerming17", host=HOST))


def _register_by_service(archive: Archive, n: int, screening: Any, level: str) -> tuple[Any, Any]:
    case_file = archive_services.case_file_create(
        actor=archive.case_worker,
        municipality=archive.municipality,
        series=archive.series,
        title=f"Barnevern\nfor Sakshemmelig{n} Olsen",
        administrative_unit="Barnevern",
        case_responsible="Kari",
        primary_class=archive.classes["A20"],
        screening=screening if level == "mappe" else None,
    )
    entry = archive_services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="I",
        title=f"Bekymringsmelding\nom Tittelhemmelig{n} Olsen",
        parties=[archive_services.PartyInput(party_type="EA", name=f"Avsenderhemmelig{n} Nilsen")],
        screening=screening if level == "registrering" else None,
    )
    return case_file, entry


def _register_by_api(archive: Archive, n: int, screening: Any, level: str) -> tuple[Any, Any]:
    client = api(HOST, token_for(HOST, archive.case_worker.username))
    skjerming = {
        "tilgangsrestriksjon": {"kode": screening.access_restriction},
        "skjermingshjemmel": screening.legal_basis,
        "skjermingMetadata": [
            {"kode": value} if index % 2 else value for index, value in enumerate(screening.screened_metadata)
        ],
    }
    case_body: dict[str, Any] = {"tittel": f"Barnevern\nfor Sakshemmelig{n} Olsen"}
    entry_body: dict[str, Any] = {
        "tittel": f"Bekymringsmelding\nom Tittelhemmelig{n} Olsen",
        "journalposttype": {"kode": "I"},
    }
    (case_body if level == "mappe" else entry_body)["skjerming"] = skjerming
    created = client.post(
        f"/api/noark5/arkivstruktur/klasse/{archive.classes['A20'].system_id}/ny-saksmappe/",
        json.dumps(case_body),
        content_type=MEDIA_TYPE,
    )
    if created.status_code == 400:
        raise ValidationError(created.json()["feil"]["beskrivelse"], code=created.json()["feil"]["feilkode"])
    assert created.status_code == 201, created.content
    case_file = archive_selectors.case_file_by_system_id(
        actor=archive.case_worker, municipality=archive.municipality, system_id=created.json()["systemID"]
    )
    assert case_file is not None
    registered = client.post(
        f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/ny-journalpost/",
        json.dumps(entry_body),
        content_type=MEDIA_TYPE,
    )
    if registered.status_code == 400:
        raise ValidationError(
            registered.json()["feil"]["beskrivelse"], code=registered.json()["feil"]["feilkode"]
        )
    assert registered.status_code == 201, registered.content
    entry = archive_selectors.registry_entry_by_system_id(
        actor=archive.case_worker, municipality=archive.municipality, system_id=registered.json()["systemID"]
    )
    assert entry is not None
    archive_services.correspondence_party_add(
        actor=archive.case_worker,
        municipality=archive.municipality,
        entry=entry,
        party=archive_services.PartyInput(party_type="EA", name=f"Avsenderhemmelig{n} Nilsen"),
    )
    return case_file, entry


@pytest.mark.needs_standards("noark5")
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    way=st.sampled_from(["service", "api"]),
    level=st.sampled_from(["registrering", "mappe"]),
    restriction=st.sampled_from(RESTRICTIONS),
    fields=st.lists(st.sampled_from(FIELDS), max_size=3),
)
def test_nothing_screened_reaches_the_public_whichever_way_it_was_written(
    archive: Archive, tmp_path: Path, way: str, level: str, restriction: str, fields: list[str]
) -> None:
    n = next(COUNTER)
    screening = archive_services.ScreeningInput(
        access_restriction=restriction, legal_basis=BASIS, screened_metadata=tuple(fields)
    )
    codes = expected_codes(restriction, fields, level)
    register = _register_by_service if way == "service" else _register_by_api
    before = archive_selectors.extraction_entry_count(
        municipality=archive.municipality, series_ids=[archive.series.system_id]
    )
    if codes is None:
        with pytest.raises(ValidationError) as refused:
            register(archive, n, screening, level)
        assert refused.value.code == "screening_value_unknown"
        after = archive_selectors.extraction_entry_count(
            municipality=archive.municipality, series_ids=[archive.series.system_id]
        )
        assert after == before  # nothing registered
        return
    case_file, entry = register(archive, n, screening, level)
    services.publication_refresh(municipality=archive.municipality)
    hide = must_hide(restriction, codes, level)
    secrets = [
        secret
        for secret, hidden in (
            (f"Tittelhemmelig{n}", hide["entry_title"]),
            (f"Sakshemmelig{n}", hide["case_title"]),
            (f"Avsenderhemmelig{n}", hide["sender"]),
        )
        if hidden
    ]
    pages = public_outputs(entry.system_id, case_file)
    out = tmp_path / f"uttrekk{n}"
    deposit_services.package_export(
        actor=archive.records_manager,
        municipality=archive.municipality,
        series_ids=[archive.series.system_id],
        out_dir=out,
    )
    pages["offentligJournal.xml"] = (out / "offentligJournal.xml").read_text(encoding="utf-8")
    assert_hidden(secrets, pages)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    restriction=st.sampled_from([*politics_services.ITEM_ACCESS_RESTRICTIONS, "KL", "99"]),
    fields=st.lists(st.sampled_from(FIELDS), max_size=2),
)
def test_a_case_presentation_on_the_agenda_keeps_its_screened_title_off_every_public_page(
    politics_setup: Any, restriction: str, fields: list[str]
) -> None:
    politics, meeting = politics_setup
    n = next(COUNTER)
    case_file = archive_services.case_file_create(
        actor=politics.secretary,
        municipality=politics.municipality,
        series=politics.archive.series,
        title="Tilskudd",
        administrative_unit="Politisk sekretariat",
        case_responsible="Kari",
        primary_class=politics.archive.classes[BODIES_CLASS],
    )
    screening = archive_services.ScreeningInput(
        access_restriction=restriction, legal_basis=BASIS, screened_metadata=tuple(fields)
    )
    try:
        item = politics_services.agenda_item_add(
            actor=politics.secretary,
            municipality=politics.municipality,
            meeting=meeting,
            case_file=case_file,
            title=f"Tilskudd til Tittelhemmelig{n} Hansen",
            screening=screening,
        )
    except ValidationError:
        assert restriction not in politics_services.ITEM_ACCESS_RESTRICTIONS or any(
            expected_codes("13", [field], "registrering") is None for field in fields
        )
        return
    services.publication_refresh(municipality=politics.municipality)
    pages = public_outputs(
        item.presentation_system_id,
        case_file,
        extra=(
            f"/politikk/moter/{meeting.pk}/",
            f"/politikk/saker/{case_file.file_id}/",
            "/api/oparl/agendaitem/",
            "/api/oparl/paper/",
        ),
    )
    assert_hidden([f"Tittelhemmelig{n}"], pages)


@pytest.fixture
def politics_setup() -> Any:
    politics = politics_for(MunicipalityFactory.create(slug="skjerming17", host=HOST))
    body = body_for(politics, "Formannskapet", "FSK", "formannskap")
    return politics, meeting_for(politics, body)


def test_a_portal_submission_never_names_the_citizen_in_public(settings: Any, tmp_path: Any) -> None:
    """The portal's one screening (offl. § 13, sender and recipient names) goes through the same
    mapping; the citizen's name and identity numbers stay off every public output."""
    settings.MEDIA_ROOT = tmp_path
    portal = portal_for(MunicipalityFactory.create(slug="skjerming17", host=HOST))
    submission = submit(portal, navn="Kari Innbyggersen")
    services.publication_refresh(municipality=portal.municipality)
    entry = archive_selectors.registry_entry_by_system_id(
        actor=portal.case_worker,
        municipality=portal.municipality,
        system_id=submission.registry_entry_system_id,
    )
    assert entry is not None
    assert entry.screening is not None
    assert entry.screening.screened_metadata == ["NA", "NM"]
    pages = public_outputs(entry.system_id, entry.case_file)
    assert "Barnehageplass" in pages[f"/journal/{entry.system_id}/"]  # published, screened
    assert_hidden(["Nordmann", "Innbyggersen", CHILD_NUMBER, "01018510002"], pages)
