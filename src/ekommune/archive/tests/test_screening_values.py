"""The one mapping of screening values: codes, kodenavn and the element names other systems write."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ekommune.archive import codelists as cl
from ekommune.archive import services
from ekommune.archive.api.noark import MEDIA_TYPE
from ekommune.archive.screening import ELEMENT_NAMES
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive, archive_for, case_for
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality

BASIS = "Offl. § 13 jf. fvl. § 13"


@pytest.mark.parametrize(
    ("value", "level", "codes"),
    [
        ("tittel", "registrering", {"TRO"}),
        ("tittel", "mappe", {"TMO"}),
        ("tittel", "dokumentbeskrivelse", {"TD"}),
        ("tittel", "klasse", {"TKL"}),
        ("Tittel", None, {"TKL", "TMO", "TRO", "TD"}),
        ("korrespondansepart", "registrering", {"NA", "NM"}),
        ("korrespondansepartNavn", "registrering", {"NA", "NM"}),
        ("navn", "mappe", {"NPS"}),
        ("adresse", "registrering", {"NA", "NM"}),
        ("tittel på dokument", "registrering", {"TD"}),
        ("klasseID", "mappe", {"KID"}),
        ("merknadstekst", "mappe", {"MT"}),
        ("TR1", "registrering", {"TR1"}),
        ("na", "registrering", {"NA"}),
        ("Skjerming tittel registrering - unntatt første linje", "registrering", {"TR1"}),
        ("skjerming  navn   mottaker", "registrering", {"NM"}),
        ("Midlertidig skjerming", "mappe", {"M"}),
        ("Ingen", "registrering", set()),
    ],
)
def test_a_written_value_maps_to_the_codes_that_screen_that_element(
    value: str, level: str | None, codes: set[str]
) -> None:
    assert services.screened_metadata_codes(value, level=level) == codes


@pytest.mark.parametrize("value", ["", "   ", "foo", "tittelen", "skjerming", "TR2", "personnummer"])
def test_a_value_that_maps_to_nothing_is_refused(value: str) -> None:
    with pytest.raises(services.ScreeningValueError) as error:
        services.screened_metadata_codes(value, level="registrering")
    assert error.value.code == "screening_value_unknown"
    assert error.value.field == "screened_metadata"
    assert isinstance(error.value, ValidationError)


def test_an_unknown_level_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="level"):
        services.screened_metadata_codes("tittel", level="arkiv")


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.sampled_from(
            [
                *cl.SCREENING_METADATA.codes(),
                *(name for _, name in cl.SCREENING_METADATA.values),
                *ELEMENT_NAMES,
            ]
        ),
        max_size=4,
    ),
    level=st.sampled_from([*services.LEVELS, None]),
)
def test_every_known_value_maps_into_the_code_list(values: list[str], level: str | None) -> None:
    codes = services.screened_metadata_all(values, level=level)
    assert set(codes) <= set(cl.SCREENING_METADATA.codes())
    assert len(codes) == len(set(codes))
    # nothing but "Ingen" maps to nothing: a screened element is never dropped
    assert bool(codes) or all(value.casefold() == "ingen" for value in values)


def test_restriction_and_document_codes_by_code_or_name() -> None:
    assert services.access_restriction_code("13") == "13"
    assert services.access_restriction_code(" taushetsplikt, offentleglova § 13 ") == "13"
    assert services.screened_document_code("Skjerming av hele dokumentet") == "H"
    assert services.screened_document_code("") == ""
    for refused, call in (
        ("access_restriction", lambda: services.access_restriction_code("Offl. 13")),
        ("screened_document", lambda: services.screened_document_code("Hele")),
    ):
        with pytest.raises(services.ScreeningValueError) as error:
            call()
        assert error.value.field == refused


@pytest.fixture
def archive(municipality_a: Municipality) -> Archive:
    return archive_for(municipality_a)


@pytest.mark.django_db
def test_the_service_stores_the_codes_and_refuses_an_unknown_value(archive: Archive) -> None:
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="I",
        title="Barnevernssak for Kari",
        screening=services.ScreeningInput(
            access_restriction="13",
            legal_basis=BASIS,
            screened_metadata=("tittel", "korrespondansepart"),
            duration_years=60,
        ),
    )
    assert entry.screening is not None
    assert entry.screening.screened_metadata == ["TRO", "NA", "NM"]
    assert entry.screening.duration_years == 60
    with pytest.raises(services.ScreeningValueError):
        services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_for(archive),
            entry_type="I",
            title="Barnevernssak for Per",
            screening=services.ScreeningInput(
                access_restriction="13", legal_basis=BASIS, screened_metadata=("tittel", "fødselsdato")
            ),
        )
    with pytest.raises(services.ScreeningValueError) as negative:
        services.case_file_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            series=archive.series,
            title="Sak",
            administrative_unit="Oppvekst",
            case_responsible="Kari",
            primary_class=archive.classes["A20"],
            screening=services.ScreeningInput(access_restriction="13", legal_basis=BASIS, duration_years=-1),
        )
    assert negative.value.field == "duration_years"


@pytest.mark.django_db
def test_the_api_maps_element_names_and_answers_400_to_an_unknown_value(archive: Archive) -> None:
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    url = f"/api/noark5/arkivstruktur/klasse/{archive.classes['A20'].system_id}/ny-saksmappe/"
    body = {
        "tittel": "Barnevernssak Kari Hansen",
        "skjerming": {
            "tilgangsrestriksjon": {"kode": "13"},
            "skjermingshjemmel": BASIS,
            "skjermingMetadata": ["tittel", {"kode": "NPS"}],
            "skjermingsvarighet": 60,
        },
    }
    created = client.post(url, json.dumps(body), content_type=MEDIA_TYPE)
    assert created.status_code == 201, created.content
    assert [m["kode"] for m in created.json()["skjerming"]["skjermingMetadata"]] == ["TMO", "NPS"]
    assert created.json()["skjerming"]["skjermingsvarighet"] == 60
    wrong = client.post(
        url,
        json.dumps({**body, "skjerming": {**body["skjerming"], "skjermingsvarighet": "lenge"}}),  # type: ignore[dict-item]
        content_type=MEDIA_TYPE,
    )
    assert (wrong.status_code, wrong.json()["feil"]["felt"]) == (400, "skjermingsvarighet")
    body["skjerming"]["skjermingMetadata"] = ["tittel", "hemmelig felt"]  # type: ignore[index]
    refused = client.post(url, json.dumps(body), content_type=MEDIA_TYPE)
    assert refused.status_code == 400
    assert refused.json()["feil"]["feilkode"] == "screening_value_unknown"
    body["skjerming"]["tilgangsrestriksjon"] = {"kode": "99"}  # type: ignore[index]
    body["skjerming"]["skjermingMetadata"] = ["tittel"]  # type: ignore[index]
    refused = client.post(url, json.dumps(body), content_type=MEDIA_TYPE)
    assert refused.status_code == 400
    assert refused.json()["feil"]["felt"] == "access_restriction"


@pytest.mark.django_db
def test_a_case_worker_decides_what_an_undecided_screening_screens(archive: Archive) -> None:
    from ekommune.archive.models import ChangeLogEntry, Screening
    from ekommune.publicjournal import selectors as publicjournal_selectors
    from ekommune.publicjournal.screening import MARKER

    case_file = case_for(archive)
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="I",
        title="Søknad om skoleskyss",
        parties=[services.PartyInput(party_type="EA", name="Kari Hansen")],
        screening=services.ScreeningInput(access_restriction="13", legal_basis=BASIS),
    )

    def shown() -> tuple[str, str]:
        public = publicjournal_selectors.screened_entry(
            municipality=archive.municipality, system_id=entry.system_id
        )
        assert public is not None
        return public.title, public.parties[0].name

    assert shown() == (MARKER, MARKER)  # undecided: all screened (decision 0300)
    before = entry.updated_at
    decided = services.screening_set(
        actor=archive.case_worker,
        municipality=archive.municipality,
        on=entry,
        screening=services.ScreeningInput(
            access_restriction="13", legal_basis=BASIS, screened_metadata=["korrespondansepart"]
        ),
    )
    assert shown() == ("Søknad om skoleskyss", MARKER)
    assert decided.updated_at != before  # the next incremental publication sees it
    assert Screening.objects.filter(municipality=archive.municipality).count() == 1  # the old one is gone
    logged = ChangeLogEntry.objects.get(object_system_id=entry.system_id, field="skjermingMetadata")
    assert (logged.old_value, logged.new_value) == ("", "NA NM")
    with pytest.raises(services.ScreeningValueError):
        services.screening_set(
            actor=archive.case_worker,
            municipality=archive.municipality,
            on=entry,
            screening=services.ScreeningInput(
                access_restriction="13", legal_basis=BASIS, screened_metadata=["?"]
            ),
        )
    assert shown() == ("Søknad om skoleskyss", MARKER)  # the refused change left it as it was
    services.screening_set(
        actor=archive.case_worker, municipality=archive.municipality, on=case_file, screening=None
    )
    services.screening_set(
        actor=archive.case_worker,
        municipality=archive.municipality,
        on=case_file,
        screening=services.ScreeningInput(
            access_restriction="13", legal_basis=BASIS, screened_metadata=["M"]
        ),
    )
    assert shown() == (MARKER, MARKER)
    services.registry_entry_set_status(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry, status="U"
    )
    with pytest.raises(services.ArchiveRuleError):
        services.screening_set(
            actor=archive.case_worker, municipality=archive.municipality, on=entry, screening=None
        )


@pytest.mark.django_db
def test_the_api_changes_a_screening_with_a_merge_patch(archive: Archive) -> None:
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="I",
        title="Søknad",
        screening=services.ScreeningInput(access_restriction="13", legal_basis=BASIS),
    )
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    url = f"/api/noark5/sakarkiv/journalpost/{entry.system_id}/"
    shown = client.get(url)
    current = shown.json()
    same = client.patch(
        url,
        json.dumps({"skjerming": current["skjerming"]}),
        content_type=MEDIA_TYPE,
        headers={"If-Match": shown["ETag"]},
    )
    assert same.status_code == 200  # unchanged: nothing to decide
    body = {"skjerming": {**current["skjerming"], "skjermingMetadata": ["tittel"]}}
    changed = client.patch(url, json.dumps(body), content_type=MEDIA_TYPE, headers={"If-Match": same["ETag"]})
    assert changed.status_code == 200, changed.content
    assert [m["kode"] for m in changed.json()["skjerming"]["skjermingMetadata"]] == ["TRO"]
    body = {"skjerming": {**current["skjerming"], "skjermingMetadata": ["ukjent felt"]}}
    refused = client.patch(url, json.dumps(body), content_type=MEDIA_TYPE, headers={"If-Match": "*"})
    assert (refused.status_code, refused.json()["feil"]["feilkode"]) == (400, "screening_value_unknown")
