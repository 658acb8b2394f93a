"""Protocol pieces of the Noark 5 Tjenestegrensesnitt: media types, relation keys, errors, CORS."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from typing import Any

from django.db import DataError
from django.http import HttpRequest
from django.urls import reverse
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

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


MAX_BODY_BYTES = 1024 * 1024  # metadata only: files go to .../fil/, not in JSON
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = f"JSON-kroppen er større enn {MAX_BODY_BYTES} byte."
    default_code = "too_large"


def json_nesting(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (strings skipped); counted without
    parsing, and stopping at the first level past the limit."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break
        else:
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON with limits checked before parsing: at most ``MAX_BODY_BYTES``, nested at most
    ``MAX_JSON_DEPTH`` levels (100,000 ``[`` is a 400, not a RecursionError)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise BodyTooLarge()
        try:
            text = raw.decode((parser_context or {}).get("encoding") or "utf-8")
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError("JSON-kroppen er ikke gyldig UTF-8.") from exc
        if json_nesting(text) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(f"JSON-kroppen er nøstet dypere enn {MAX_JSON_DEPTH} nivåer.")
        try:
            return json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(f"Ugyldig JSON: {str(exc)[:200]}") from exc


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} er ikke gyldig JSON")


class NoarkParser(BoundedJSONParser):
    media_type = MEDIA_TYPE


class PlainJSONParser(BoundedJSONParser):
    media_type = "application/json"


class MergePatchParser(BoundedJSONParser):
    media_type = "application/merge-patch+json"


JSON_MEDIA_TYPES = frozenset({MEDIA_TYPE, PlainJSONParser.media_type})
PATCH_MEDIA_TYPES = JSON_MEDIA_TYPES | {MergePatchParser.media_type}


def json_object(request: Request, *, media_types: frozenset[str] = JSON_MEDIA_TYPES) -> dict[str, Any]:
    """The body of a create or change: a JSON object in a Noark or JSON media type (else 415),
    with no NUL character anywhere (PostgreSQL cannot store one: a 400, not a 500)."""
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    if media_type not in media_types:
        raise exceptions.UnsupportedMediaType(
            media_type or "(ingen)",
            detail=f"Innholdstypen «{media_type or '(ingen)'}» tas ikke imot her; bruk {MEDIA_TYPE}.",
        )
    data = request.data
    if not isinstance(data, dict):
        raise ValidationError("Forventet et JSON-objekt.", code="invalid_body")
    _refuse_nul(data)
    return data


def _refuse_nul(data: dict[str, Any]) -> None:
    waiting: list[tuple[str, Any]] = [("", data)]
    while waiting:
        name, value = waiting.pop()
        if isinstance(value, dict):
            waiting.extend((str(key), item) for key, item in value.items())
            value = "".join(str(key) for key in value)
        elif isinstance(value, list):
            waiting.extend((name, item) for item in value)
            continue
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(
                "Teksten inneholder et NUL-tegn (\\u0000).", code="invalid_character", field=name or None
            )


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
    """Every refusal as the spec's error body, with our stable code and the field beside it.

    A value the database refuses (``DataError``: too long, out of range) is the client's error, a
    400, should a check before it have missed it; the transaction it broke is rolled back."""
    if isinstance(exc, exceptions.APIException):
        error = _application_error_of(exc, context)
    elif isinstance(exc, ApplicationError):
        error = exc
    elif isinstance(exc, DataError):
        set_rollback()
        error = ValidationError(
            "En verdi passer ikke i feltet sitt (for lang eller utenfor gyldig område).", code="invalid_value"
        )
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
