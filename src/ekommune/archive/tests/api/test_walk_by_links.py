"""A client that knows only the entry point walks the whole life of a case by following ``_links``."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from ekommune.archive.api.noark import MEDIA_TYPE, REL
from ekommune.archive.tests.factories import PDF_BYTES
from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import PASSWORD, staff

pytestmark = pytest.mark.django_db


class NoarkClient:
    """Follows relation keys; the only address it is given is the entry point."""

    def __init__(self, host: str) -> None:
        self.client = Client(HTTP_HOST=host, HTTP_ACCEPT=MEDIA_TYPE)
        self.headers: dict[str, str] = {}

    def get(self, href: str, **extra: Any) -> Any:
        response = self.client.get(href, headers={**self.headers, **extra})
        return response

    def json(self, href: str) -> dict[str, Any]:
        response = self.get(href)
        assert response.status_code == 200, response.content
        return response.json()

    def post(self, href: str, body: dict[str, Any]) -> Any:
        return self.client.post(href, data=json.dumps(body), content_type=MEDIA_TYPE, headers=self.headers)

    def patch(self, href: str, body: dict[str, Any], etag: str = "") -> Any:
        """A merge-patch with the object's ETag (fetched first when not given): If-Match is required."""
        headers = {**self.headers, "If-Match": etag or self.get(href)["ETag"]}
        return self.client.patch(
            href, data=json.dumps(body), content_type="application/merge-patch+json", headers=headers
        )

    def upload(self, href: str, content: bytes, mime: str) -> Any:
        return self.client.post(
            href, data=content, content_type=mime, headers={**self.headers, "X-Filename": "soknad.pdf"}
        )


def follow(obj: dict[str, Any], relation: str) -> str:
    links = obj["_links"]
    key = relation if relation == "self" else REL + relation
    assert key in links, f"{relation} missing; have {sorted(links)}"
    return links[key]["href"]


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["_links"]["self"]["href"]
    return body


def test_full_case_life_by_links(municipality_a: Municipality, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    staff(municipality_a, Role.RECORDS_MANAGER, username="arkivar")
    api = NoarkClient("aust.test")

    root = api.json("/api/noark5/")
    token = api.client.post(
        follow(root, "login/rfc6749/"),
        urlencode({"grant_type": "password", "username": "arkivar", "password": PASSWORD}),
        content_type="application/x-www-form-urlencoded",
    )
    assert token.status_code == 200, token.content
    api.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    structure = api.json(follow(root, "arkivstruktur/"))
    fonds = created(api.post(follow(structure, "arkivstruktur/ny-arkiv/"), {"tittel": "Aust kommune arkiv"}))
    created(
        api.post(
            follow(fonds, "arkivstruktur/ny-arkivskaper/"),
            {"arkivskaperID": "912345688", "arkivskaperNavn": "Aust kommune"},
        )
    )
    series = created(api.post(follow(fonds, "arkivstruktur/ny-arkivdel/"), {"tittel": "Sakarkiv 2026-"}))
    scheme = created(
        api.post(
            follow(series, "arkivstruktur/ny-klassifikasjonssystem/"),
            {"tittel": "Arkivnøkkel", "klassifikasjonstype": {"kode": "EH"}},
        )
    )
    klass = created(
        api.post(
            follow(scheme, "arkivstruktur/ny-klasse/"), {"klasseID": "064", "tittel": "Informasjonsteknologi"}
        )
    )

    template = api.json(follow(klass, "sakarkiv/ny-saksmappe/"))
    assert template["saksstatus"]["kode"] == "B"
    case = created(
        api.post(
            follow(klass, "sakarkiv/ny-saksmappe/"),
            {"tittel": "IT-strategi 2026-2029", "administrativEnhet": "Rådmannens stab"},
        )
    )
    assert case["saksstatus"] == {"kode": "B", "kodenavn": "Under behandling"}
    assert case["mappeID"] == f"{case['saksaar']}/1"

    entry = created(
        api.post(
            follow(case, "sakarkiv/ny-journalpost/"),
            {"tittel": "Innspill til IT-strategien", "journalposttype": {"kode": "I"}},
        )
    )
    assert entry["registreringsID"] == f"{case['mappeID']}-1"
    assert entry["journalstatus"]["kode"] == "J"
    party = created(
        api.post(
            follow(entry, "arkivstruktur/ny-korrespondansepartperson/"),
            {
                "korrespondanseparttype": {"kode": "EA"},
                "navn": "Ola Nordmann",
                "postadresse": {"adresselinje1": "Fjellvegen 3", "postnr": "5490", "poststed": "Aust"},
            },
        )
    )
    assert party["navn"] == "Ola Nordmann"

    document = created(
        api.post(follow(entry, "arkivstruktur/ny-dokumentbeskrivelse/"), {"tittel": "Innspill"})
    )
    assert document["tilknyttetRegistreringSom"]["kode"] == "H"
    obj = created(api.upload(follow(document, "arkivstruktur/fil/"), PDF_BYTES, "application/pdf"))
    assert obj["sjekksum"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (obj["filstoerrelse"], obj["mimeType"], obj["sjekksumAlgoritme"]) == (
        len(PDF_BYTES),
        "application/pdf",
        "SHA-256",
    )

    download = api.get(follow(obj, "arkivstruktur/fil/"), Accept="application/pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == obj["sjekksum"]

    current = api.get(follow(document, "self"))
    finalised = api.patch(follow(document, "self"), {"dokumentstatus": {"kode": "F"}}, etag=current["ETag"])
    assert finalised.status_code == 200, finalised.content
    refused = api.upload(follow(document, "arkivstruktur/fil/"), b"%PDF-1.7 changed", "application/pdf")
    assert refused.status_code == 409
    assert refused.json()["feil"]["feilkode"] == "document_finalised"
    assert "ferdigstilt" in refused.json()["feil"]["beskrivelse"]

    assert api.patch(follow(entry, "self"), {"journalstatus": {"kode": "F"}}).status_code == 200
    concluded = api.patch(follow(case, "self"), {"saksstatus": {"kode": "A"}})
    assert concluded.status_code == 200, concluded.content
    assert concluded.json()["saksstatus"]["kode"] == "A"
    assert "avsluttetDato" in concluded.json()

    entries = api.json(follow(case, "arkivstruktur/registrering/"))
    assert entries["count"] == 1
    assert entries["results"][0]["journalstatus"]["kode"] == "F"
