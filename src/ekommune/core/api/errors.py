"""The API's one error mapping: every refusal is a 4xx with ``{"code", "message", "field"}``."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ekommune.core.errors import ApplicationError


def _first_field_error(detail: Any) -> tuple[str | None, str, str]:
    if isinstance(detail, dict):
        field, errors = next(iter(detail.items()))
        _, message, code = _first_field_error(errors)
        return (None if field == "non_field_errors" else str(field)), message, code
    if isinstance(detail, list) and detail:
        return _first_field_error(detail[0])
    return None, str(detail), getattr(detail, "code", "invalid") or "invalid"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, exceptions.ValidationError):
        field, message, code = _first_field_error(exc.detail)
        return Response(
            {"code": code, "message": message, "field": field}, status=status.HTTP_400_BAD_REQUEST
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = {
            "code": exc.get_codes() if isinstance(exc.get_codes(), str) else "error",
            "message": str(exc.detail),
            "field": None,
        }
    return response
