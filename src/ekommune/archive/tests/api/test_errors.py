"""The Noark 5 API's error body is the platform's one error (decision 0037) in the standard's wrapping."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework import exceptions

from ekommune.archive.api.noark import MEDIA_TYPE, noark_exception_handler
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import archive_for, case_for
from ekommune.archive.types import ArchiveRuleError
from ekommune.core.errors import ApplicationError, NotFoundError, ValidationError
from ekommune.core.models import Municipality


@pytest.mark.parametrize(
    "error",
    [
        NotFoundError("Fant ikke objektet i denne kommunen.", code="not_found", field="fonds"),
        ValidationError("Feltet må fylles ut.", code="required", field="tittel"),
        ArchiveRuleError("Journalposten er arkivert.", code="entry_archived"),
    ],
)
def test_an_application_error_keeps_its_status_code_message_and_field(error: ApplicationError) -> None:
    response = noark_exception_handler(error, {})
    assert response is not None
    assert response.status_code == error.http_status
    values = error.as_dict()
    assert response.data == {
        "feil": {
            "kode": error.http_status,
            "beskrivelse": values["message"],
            "feilkode": values["code"],
            "felt": values["field"],
        }
    }


def test_another_municipalitys_object_refused_by_the_tenant_guard_is_a_404() -> None:
    response = noark_exception_handler(NotFoundError("Fant ikke objektet i denne kommunen.", field="on"), {})
    assert response is not None
    assert (response.status_code, response.data["feil"]["feilkode"]) == (404, "not_found")


def test_a_refusal_of_the_framework_gets_the_same_body() -> None:
    response = noark_exception_handler(exceptions.NotAcceptable("Filen er application/pdf."), {})
    assert response is not None
    assert response.status_code == 406
    assert response.data == {
        "feil": {
            "kode": 406,
            "beskrivelse": "Filen er application/pdf.",
            "feilkode": "not_acceptable",
            "felt": None,
        }
    }


def test_an_error_that_is_not_a_refusal_is_left_to_the_server() -> None:
    assert noark_exception_handler(RuntimeError("feil"), {}) is None


@pytest.mark.django_db
def test_a_case_of_another_municipality_answers_404_with_the_body(
    municipality_a: Municipality, municipality_b: Municipality
) -> None:
    case_file = case_for(archive_for(municipality_a))
    other = archive_for(municipality_b)
    client: Client = api("vest.test", token_for("vest.test", other.case_worker.username))
    response = client.post(
        f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/ny-journalpost/",
        {"tittel": "Innspill", "journalposttype": {"kode": "I"}},
        content_type=MEDIA_TYPE,
    )
    assert response.status_code == 404
    assert response.json()["feil"]["feilkode"] == "not_found"
