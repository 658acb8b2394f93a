"""What every app's pages and JSON APIs share, written once.

- ``municipality_required`` / ``request_municipality``: pages that exist only inside a
  municipality's site (404 elsewhere), and the municipality of such a request.
- ``json_response`` / ``json_error`` / ``json_api``: the platform's JSON answers. An error is
  always ``{"code", "message", "field"}`` (``ApplicationError.as_dict``) with the error's status;
  the Noark 5 API wraps the same values in the standard's ``{"feil": ...}`` body.
- ``json_read_only``: GET and HEAD only; any other method is a JSON 405 with ``Allow``.
- ``json_not_found``: the JSON 404 for paths under ``/api/`` that no route matches (the root
  URL configuration's ``handler404`` answers with it there).
- ``form_error_apply``: a service's ``ApplicationError`` shown beside the field it names.

Apps import this module (with ``services``, ``selectors``, ``errors`` and ``types``) from the
kernel; ``core.views`` and ``core.api`` are the kernel's own pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from ekommune.core.errors import ApplicationError, NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.ratelimits import rate_refusal

View = Callable[..., HttpResponseBase]


def municipality_required(view: View) -> View:
    """404 for pages that only exist inside a municipality's site."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "municipality", None) is None:
            raise Http404(_("Fant ingen kommune på denne adressen."))
        return view(request, *args, **kwargs)

    return wrapper


def request_municipality(request: HttpRequest) -> Municipality:
    """The municipality of a request that has one (behind ``municipality_required`` or ``json_api``)."""
    municipality: Municipality | None = getattr(request, "municipality", None)
    if municipality is None:
        raise Http404(_("Fant ingen kommune på denne adressen."))
    return municipality


def json_response(data: Any, *, status: int = 200) -> JsonResponse:
    """JSON with Norwegian letters as they are (not ``\\u00f8``)."""
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def json_error(error: ApplicationError) -> JsonResponse:
    """The platform's one error body, ``{"code", "message", "field"}``, with the error's status."""
    return json_response(error.as_dict(), status=error.http_status)


READ_METHODS = ("GET", "HEAD")
JSON_PATH_PREFIX = "/api/"


class MethodNotAllowedError(ApplicationError):
    code = "method_not_allowed"
    http_status = 405


def json_read_only(view: View) -> View:
    """GET and HEAD only: any other method is a 405 with the JSON error body and ``Allow``.

    Read-only JSON takes no form, so CSRF does not apply: without the exemption a POST would meet
    the CSRF check's HTML 403 before the 405 (decision 0175)."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in READ_METHODS:
            response = json_error(
                MethodNotAllowedError(
                    f"Metoden {str(request.method)[:20]} er ikke tillatt her; bruk GET.", field="method"
                )
            )
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        return view(request, *args, **kwargs)

    return wrapper


def is_json_path(request: HttpRequest) -> bool:
    """Whether the request is for one of the JSON APIs (``/api/...``, also inside ``/k/<slug>/``)."""
    return request.path_info.startswith(JSON_PATH_PREFIX)


def json_not_found(request: HttpRequest) -> JsonResponse:
    return json_error(NotFoundError("Fant ingenting på denne adressen.", code="not_found"))


def json_api(view: Callable[..., Any]) -> Callable[..., JsonResponse]:
    """A public read-only JSON view inside a municipality.

    GET and HEAD only (``json_read_only``), limited per client address (``public_api``); the view is called as ``view(request, municipality, *args, **kwargs)`` and
    returns data (dict or list) or a response of its own; an ``ApplicationError`` becomes
    ``json_error``. Outside a municipality the answer is 404 ``not_found``.
    """

    @json_read_only
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        municipality: Municipality | None = getattr(request, "municipality", None)
        if municipality is None:
            return json_error(NotFoundError("Ingen kommune på denne adressen.", code="not_found"))
        refusal = rate_refusal(request, "public_api", as_json=True)
        if refusal is not None:
            return refusal  # type: ignore[return-value]  # a JsonResponse (as_json)
        try:
            data = view(request, municipality, *args, **kwargs)
        except ApplicationError as error:
            return json_error(error)
        if isinstance(data, JsonResponse):
            return data
        return json_response(data)

    return wrapper  # type: ignore[return-value]  # json_read_only answers JSON too


def form_error_apply(form: forms.BaseForm, error: ApplicationError) -> None:
    """A service's refusal beside the field it names, or above the form when the form has no such field."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
