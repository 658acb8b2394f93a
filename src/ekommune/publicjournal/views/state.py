"""What the journal's pages take from the publication state: HTTP caching (decision 0181) and the
search form's choices, without reading the entries.

Everything they show changes only when ``publication_refresh`` changes the publication, which it
records in ``PublicationState.changed_at``. So a page's validator is that moment with what else the
page depends on, and a conditional GET that matches is answered 304 from that one small row,
without reading a single entry.

- ``shared=True`` (feeds, sitemaps, the JSON API): the same for every reader. ``ETag`` and
  ``Last-Modified``; ``Cache-Control: public`` for the publication interval, so a proxy or a
  crawler may keep them.
- ``shared=False`` (the HTML pages): they also show the visitor's own session (basket, login,
  language form with its CSRF token). The ``ETag`` includes a digest of the session, the CSRF
  cookie and the language, and there is no ``Last-Modified`` (it would let a changed basket pass
  as unchanged); ``Cache-Control: private, no-cache``: the browser keeps the page but asks each
  time. A page with a message waiting to be shown is never answered 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from ekommune.publicjournal import selectors
from ekommune.publicjournal.models import PublicationState
from ekommune.publicjournal.views.forms import JournalSearchForm

View = Callable[..., HttpResponseBase]


def publication_state_of(request: HttpRequest) -> PublicationState | None:
    """The municipality's publication state, read once per request."""
    if not hasattr(request, "_publication_state"):
        municipality = getattr(request, "municipality", None)
        state = selectors.publication_state(municipality=municipality) if municipality is not None else None
        request._publication_state = state  # type: ignore[attr-defined]
    return request._publication_state  # type: ignore[attr-defined]


def journal_search_form(request: HttpRequest) -> JournalSearchForm:
    """The search form over the query string, its unit choices from the publication state."""
    state = publication_state_of(request)
    return JournalSearchForm(request.GET, units=list(state.administrative_units) if state is not None else [])


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _visitor_parts(request: HttpRequest) -> tuple[object, ...] | None:
    """What of the visitor an HTML page shows, or None when it must be rendered afresh: the
    session's contents and the CSRF secret the page's forms carry (``CSRF_COOKIE``, set by the
    CSRF middleware from the cookie, or by the page when it made one)."""
    session = getattr(request, "session", None)
    items = sorted((key, repr(value)) for key, value in session.items()) if session is not None else []
    if any(key == "_messages" for key, _value in items) or request.COOKIES.get("messages"):
        return None
    return (items, request.META.get("CSRF_COOKIE", ""))


def _etag(request: HttpRequest, state: PublicationState, visitor: tuple[object, ...]) -> str:
    parts = (state.municipality_id, state.changed_at.timestamp(), request.get_host(), request.get_full_path())
    return f'"{_digest(*parts, get_language(), visitor)}"'


def publication_conditional(*, shared: bool) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            state = publication_state_of(request)
            if state is None or request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            visitor = () if shared else _visitor_parts(request)
            if visitor is None:
                return view(request, *args, **kwargs)
            last_modified = int(state.changed_at.timestamp()) if shared else None
            etag = _etag(request, state, visitor)
            response: HttpResponseBase | None = get_conditional_response(
                request, etag=etag, last_modified=last_modified
            )
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                # what the next request will bring: the session as saved, the CSRF secret as set
                visitor = () if shared else _visitor_parts(request)
                if visitor is None:
                    return response
                etag = _etag(request, state, visitor)
            response["ETag"] = etag
            if shared:
                response["Last-Modified"] = http_date(last_modified)
                patch_cache_control(response, public=True, max_age=settings.EKOMMUNE_PUBLIC_MAX_AGE)
            else:
                patch_cache_control(response, private=True, no_cache=True)
            return response

        return wrapper

    return decorate
