"""Protocol pieces of the Noark 5 Tjenestegrensesnitt: media types, relation keys, errors, CORS."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ekommune.archive import codelists as cl
from ekommune.core.errors import ApplicationError, ValidationError

MEDIA_TYPE = "application/vnd.noark5+json"
REL = "https://rel.arkivverket.no/noark5/v5/api/"
PROTOCOL_VERSION = "1.1"


class NoarkRenderer(JSONRenderer):
    media_type = MEDIA_TYPE
    format = "noark5"
    charset = "utf-8"


class PlainJSONRenderer(JSONRenderer):
    charset = "utf-8"


class NoarkParser(JSONParser):
    media_type = MEDIA_TYPE


class MergePatchParser(JSONParser):
    media_type = "application/merge-patch+json"


class RawFileParser(BaseParser):
    """Any other content type: the raw bytes of an upload, left in the stream for the view."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream


def rel(path: str) -> str:
    return f"{REL}{path}"


def api_base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("noark:root"))


def link(href: str, *, templated: bool = False) -> dict[str, Any]:
    return {"href": href, "templated": True} if templated else {"href": href}


def sorted_links(links: dict[str, Any]) -> dict[str, Any]:
    """Relation keys sorted (ASCII), as the specification asks."""
    return dict(sorted(links.items()))


def code(code_list: cl.CodeList, value: str) -> dict[str, str] | None:
    if not value:
        return None
    return {"kode": value, "kodenavn": dict(code_list.values).get(value, value)}


def code_value(data: dict[str, Any], key: str) -> str | None:
    """A code from a request body: ``{"kode": "I"}`` or ``{"kode": "I", "kodenavn": ...}`` (or a bare string)."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("kode")
    if not isinstance(value, str):
        raise ValidationError(f"{key} må være et kodeobjekt med «kode».", code="invalid_code", field=key)
    return value


def when(value: dt.date | dt.datetime | None) -> str | None:
    """Dates and times in XML Schema form, times always with a time zone."""
    if value is None:
        return None
    return value.isoformat()


def etag_of(body: dict[str, Any]) -> str:
    payload = json.dumps({k: v for k, v in body.items() if k != "_links"}, sort_keys=True, default=str)
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:32] + '"'


def _application_error_of(exc: exceptions.APIException, context: dict[str, Any]) -> ApplicationError:
    """A refusal of the REST framework (authentication, parsing, content negotiation) as our one
    error, with the status the framework gives it."""
    response = drf_exception_handler(exc, context)
    description = (
        str(exc.detail)
        if not isinstance(exc.detail, dict | list)
        else json.dumps(exc.detail, ensure_ascii=False)
    )
    codes = exc.get_codes()
    error = ApplicationError(description, code=codes if isinstance(codes, str) else "invalid")
    error.http_status = response.status_code if response is not None else status.HTTP_400_BAD_REQUEST
    return error


def noark_error_body(error: ApplicationError) -> dict[str, Any]:
    """The standard's ``{"feil": ...}`` body from the platform's one error body
    (``ApplicationError.as_dict``: code, message, field; decision 0037), with the HTTP status."""
    values = error.as_dict()
    return {
        "feil": {
            "kode": error.http_status,
            "beskrivelse": values["message"],
            "feilkode": values["code"],
            "felt": values["field"],
        }
    }


def noark_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every refusal as the spec's error body, with our stable code and the field beside it."""
    if isinstance(exc, exceptions.APIException):
        error = _application_error_of(exc, context)
    elif isinstance(exc, ApplicationError):
        error = exc
    else:
        return None
    response = Response(noark_error_body(error), status=error.http_status)
    wait = getattr(exc, "wait", None)
    if wait:  # a throttled request: when to come back
        response["Retry-After"] = str(math.ceil(wait))
    if error.http_status == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="ekommune"'
    return response


CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Authorization, Content-Type, Accept, If-Match, If-None-Match, Content-Range, Content-Disposition, "
        "X-Upload-Content-Type, X-Upload-Content-Length, X-Filename, X-Checksum-SHA256"
    ),
    "Access-Control-Expose-Headers": "ETag, Location, Range, Content-Disposition, WWW-Authenticate",
    "Access-Control-Max-Age": "3600",
}
