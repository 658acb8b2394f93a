"""Random input through the real views of the Noark 5 API: no request gives a server error (issue 16 §4).

Lists get random ``$filter``/``$top``/``$skip``/``$orderby``/``$search`` — half built from the
grammar's own words (so that they reach the value checks), half any text. Creates and changes get
random JSON (built from the Noark keys they read) in random media types. Bounded: about 50 examples
each, well under a minute.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekommune.archive.api.noark import MEDIA_TYPE
from ekommune.archive.api.resources import CHANGE_LOG_FILTERS, ENTITIES
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive, case_for

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LISTS = [
    "sakarkiv/saksmappe/",
    "sakarkiv/journalpost/",
    "arkivstruktur/mappe/",
    "arkivstruktur/registrering/",
    "arkivstruktur/arkivdel/",
    "arkivstruktur/dokumentbeskrivelse/",
    "arkivstruktur/korrespondansepart/",
    "arkivstruktur/nasjonalidentifikator/",
    "loggingogsporing/endringslogg/",
]
FIELDS = [
    *sorted({name for entity in ENTITIES.values() for name in entity.filter_fields}),
    "part/navn",
    "part/partRolle/kode",
    "korrespondansepart/navn",
    "noekkelord/noekkelord",
    "nasjonalidentifikator/matrikkel/gaardsnummer",
    "nasjonalidentifikator/foedselsnummer/foedselsnummer",
    "nasjonalidentifikator/any(i: i/Default.BygningType/byggidentifikator/bygningsNummer",
    "part/any(p:p/navn",
    "sakspart/navn",
    "year(saksdato)",
    "journalstatus/kode",
    "ukjent",
]
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
# Texts near the limits the columns have (200, 500, 1,000), and with a NUL inside.
EDGE_TEXT = st.one_of(
    st.sampled_from([199, 201, 501, 1001, 5000]).map(lambda n: "x" * n),
    TEXT.map(lambda t: t + "\x00"),
)
LITERALS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.one_of(TEXT, EDGE_TEXT).map(lambda t: "'" + t.replace("'", "''") + "'"),
    st.sampled_from(
        ["null", "true", "false", "2024-13-45", "2024-01-01", "2024-01-01T10:00:00Z", "0000-00-00"]
    ),
    st.floats(allow_nan=False, allow_infinity=False).map(str),
)


def filters(fields: list[str]) -> st.SearchStrategy[str]:
    """``$filter`` texts from the grammar, on the fields the list has (and a few it has not)."""
    names = st.one_of(*[st.sampled_from(fields)] * 4, st.sampled_from(FIELDS))
    comparison = st.builds(
        lambda f, op, v: f"{f} {op} {v}",
        names,
        st.sampled_from(["eq", "ne", "gt", "ge", "lt", "le", "EQ", "like"]),
        LITERALS,
    )
    call = st.builds(
        lambda fn, f, v: f"{fn}({f}, {v})",
        st.sampled_from(["contains", "startswith", "endswith", "Contains"]),
        names,
        LITERALS,
    )
    return st.recursive(
        comparison | call,
        lambda inner: st.one_of(
            st.builds(
                lambda a, op, b: f"{a} {op} {b}", inner, st.sampled_from(["and", "or", "AND", "Or"]), inner
            ),
            inner.map(lambda a: f"({a})"),
            inner.map(lambda a: f"not {a}"),
            st.integers(15, 500).flatmap(lambda n: inner.map(lambda a: "(" * n + a + ")" * n)),
        ),
        max_leaves=6,
    )


def params(fields: list[str]) -> st.SearchStrategy[dict[str, str]]:
    numbers = st.integers(-5, 10**40).map(str) | TEXT
    return st.fixed_dictionaries(
        {},
        optional={
            "$filter": st.one_of(*[filters(fields)] * 4, TEXT),
            "$top": numbers,
            "$skip": numbers,
            "$orderby": st.sampled_from(fields).map(lambda f: f + " desc") | TEXT,
            "$search": TEXT | EDGE_TEXT,
        },
    )


NOARK_KEYS = [
    "tittel",
    "offentligTittel",
    "beskrivelse",
    "journalposttype",
    "journalstatus",
    "dokumentetsDato",
    "saksdato",
    "navn",
    "korrespondanseparttype",
    "postadresse",
    "foedselsnummer",
    "personidentifikator",
    "skjerming",
    "merknadstekst",
    "dokumenttype",
    "administrativEnhet",
    "noekkelord",
    "systemID",
    "gaardsnummer",
    "bruksnummer",
    "koordinatsystem",
    "x",
    "foedselsnummer",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
    EDGE_TEXT,
    st.builds(lambda code: {"kode": code}, st.sampled_from(["I", "U", "EA", "B", "J", "x" * 30, ""])),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(NOARK_KEYS) | TEXT, inner, max_size=4)
    ),
    max_leaves=10,
)
BODIES = st.one_of(st.dictionaries(st.sampled_from(NOARK_KEYS), JSON, max_size=6), JSON)
MEDIA_TYPES = st.just(MEDIA_TYPE) | st.sampled_from(
    [
        "application/json",
        "application/merge-patch+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/plain",
        "",
    ]
)


@dataclass
class Targets:
    client: Client
    creates: list[str]
    details: list[str]


@pytest.fixture
def targets(archive: Archive) -> Targets:
    client = api("aust.test", token_for("aust.test", archive.records_manager.username))
    case_file = case_for(archive)
    entry = client.post(
        f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/ny-journalpost/",
        json.dumps({"tittel": "Brev", "journalposttype": {"kode": "I"}}),
        content_type=MEDIA_TYPE,
    ).json()
    entry_url = entry["_links"]["self"]["href"]
    case_url = f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/"
    return Targets(
        client=client,
        creates=[
            f"/api/noark5/arkivstruktur/arkivdel/{archive.series.system_id}/ny-saksmappe/",
            case_url + "ny-journalpost/",
            case_url + "ny-partperson/",
            case_url + "ny-merknad/",
            entry_url + "ny-korrespondansepartperson/",
            entry_url + "ny-korrespondansepartenhet/",
            entry_url + "ny-dokumentbeskrivelse/",
            "/api/noark5/arkivstruktur/ny-arkiv/",
            f"/api/noark5/arkivstruktur/arkivdel/{archive.series.system_id}/ny-mappe/",
            case_url + "ny-noekkelord/",
            case_url + "ny-matrikkel/",
            case_url + "ny-posisjon/",
            entry_url + "ny-foedselsnummer/",
        ],
        details=[entry_url, case_url],
    )


LIST_FIELDS = {
    "sakarkiv/saksmappe/": ENTITIES["saksmappe"].filter_fields,
    "sakarkiv/journalpost/": ENTITIES["journalpost"].filter_fields,
    "arkivstruktur/mappe/": ENTITIES["mappe"].filter_fields,
    "arkivstruktur/registrering/": ENTITIES["registrering"].filter_fields,
    "arkivstruktur/korrespondansepart/": ENTITIES["korrespondansepart"].filter_fields,
    "loggingogsporing/endringslogg/": CHANGE_LOG_FILTERS,
}


@FUZZ
@given(data=st.data())
def test_no_list_query_gives_a_server_error(targets: Targets, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(LISTS))
    fields = sorted(LIST_FIELDS.get(path, ENTITIES["saksmappe"].filter_fields))
    query = data.draw(params(fields))
    response = targets.client.get(f"/api/noark5/{path}?{urlencode(query)}")
    assert response.status_code < 500, (path, query, response.content[:500])


@FUZZ
@given(data=st.data(), body=BODIES, media_type=MEDIA_TYPES, raw=st.integers(0, 3).map(lambda n: n == 0))
def test_no_create_or_change_gives_a_server_error(
    targets: Targets, data: st.DataObject, body: Any, media_type: str, raw: bool
) -> None:
    method = data.draw(st.sampled_from(["post", "post", "put", "patch"]))
    url = data.draw(st.sampled_from(targets.creates if method == "post" else targets.details))
    payload = (
        json.dumps(body)
        if not raw
        else data.draw(st.sampled_from(["{", "[" * 5000, "{" * 3000, "tittel=x", "\x00", "NaN"]))
    )
    response = getattr(targets.client, method)(url, payload, content_type=media_type)
    assert response.status_code < 500, (method, url, payload[:300], media_type, response.content[:500])
