"""What other apps' pages use from identity: ``citizen_required(level)``, the one gate in front of
every page a logged-in citizen uses, and ``login_url``.

Not logged in, or logged in at a lower level than the page asks for: redirect to the login
(``identity:login``) with the level wanted and the page to come back to (step-up).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ekommune.identity.selectors import session_citizen
from ekommune.identity.types import Level


def login_url(*, level: str, next_url: str) -> str:
    """The login page asking for ``level``, coming back to ``next_url``."""
    return reverse("identity:login") + "?" + urlencode({"level": level, "next": next_url})


def citizen_required(
    level: str = Level.SUBSTANTIAL,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            current = session_citizen(request=request)
            if current is None or not current.satisfies(level):
                return HttpResponseRedirect(login_url(level=level, next_url=request.get_full_path()))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
