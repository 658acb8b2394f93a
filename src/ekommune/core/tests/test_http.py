"""The kernel's page and JSON helpers: one municipality guard, one JSON error body, form errors."""

from __future__ import annotations

import json

import pytest
from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from ekommune.core.errors import NotFoundError, ValidationError
from ekommune.core.http import (
    form_error_apply,
    json_api,
    json_error,
    municipality_required,
    request_municipality,
)
from ekommune.core.models import Municipality


def _request(municipality: object = None, method: str = "get") -> HttpRequest:
    request = getattr(RequestFactory(), method)("/x/")
    request.municipality = municipality
    return request


def test_a_page_inside_a_municipality_is_404_on_the_installations_own_address() -> None:
    page = municipality_required(lambda request: HttpResponse("ok"))
    with pytest.raises(Http404):
        page(_request(None))
    response = page(_request(Municipality(name="Aust")))
    assert isinstance(response, HttpResponse)
    assert response.content == b"ok"


def test_the_requests_municipality_is_the_one_the_middleware_found() -> None:
    aust = Municipality(name="Aust")
    assert request_municipality(_request(aust)) is aust
    with pytest.raises(Http404):
        request_municipality(_request(None))


def test_an_error_is_one_body_with_its_status_and_norwegian_letters_as_they_are() -> None:
    response = json_error(ValidationError("Ugyldig år «abc».", code="invalid_year", field="år"))
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "code": "invalid_year",
        "message": "Ugyldig år «abc».",
        "field": "år",
    }
    assert "Ugyldig år".encode() in response.content


@pytest.mark.django_db  # the public JSON APIs count requests (rate limits)
class TestJsonApi:
    def test_the_view_gets_the_municipality_and_its_data_is_json(self) -> None:
        aust = Municipality(name="Aust")
        view = json_api(lambda request, municipality: {"kommune": municipality.name})
        response = view(_request(aust))
        assert (response.status_code, json.loads(response.content)) == (200, {"kommune": "Aust"})

    def test_outside_a_municipality_it_is_not_found(self) -> None:
        response = json_api(lambda request, municipality: {})(_request(None))
        assert (response.status_code, json.loads(response.content)["code"]) == (404, "not_found")

    def test_an_application_error_becomes_its_json_body(self) -> None:
        def view(request: HttpRequest, municipality: Municipality) -> dict[str, str]:
            raise NotFoundError("Fant ikke møtet.", code="not_found", field="id")

        response = json_api(view)(_request(Municipality(name="Aust")))
        assert response.status_code == 404
        assert json.loads(response.content) == {
            "code": "not_found",
            "message": "Fant ikke møtet.",
            "field": "id",
        }

    def test_only_reading_methods_are_allowed(self) -> None:
        response = json_api(lambda request, municipality: {})(_request(Municipality(name="Aust"), "post"))
        assert response.status_code == 405


class _NameForm(forms.Form):
    name = forms.CharField()


def test_a_service_error_stands_beside_the_field_it_names_or_above_the_form() -> None:
    form = _NameForm(data={"name": "x"})
    assert form.is_valid()
    form_error_apply(form, ValidationError("Navnet er tatt.", field="name"))
    form_error_apply(form, ValidationError("Noe annet gikk galt.", field="not_a_field"))
    assert form.errors["name"] == ["Navnet er tatt."]
    assert form.non_field_errors() == ["Noe annet gikk galt."]
