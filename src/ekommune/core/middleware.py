"""Request-level plumbing: which municipality a request is for, and a request id for logs.

Tenant resolution (docs/decisions/0003-tenancy.md):
1. the host name, when it is one of a municipality's registered domains;
2. otherwise the path prefix ``/k/<slug>/``: the prefix is moved into the script prefix, so that
   the rest of the site sees ordinary paths and ``reverse()`` produces prefixed URLs;
3. otherwise no municipality: the installation's own pages (list of municipalities, health).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

import structlog
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils.translation import gettext as _

from ekommune.core import readlog, twofactor
from ekommune.core.errors import ApplicationError
from ekommune.core.logging import secret_paths_learn
from ekommune.core.selectors import municipality_for_host, municipality_for_slug

logger = structlog.get_logger("ekommune.request")

TENANT_EXEMPT_PATHS = frozenset({"/healthz", "/readyz"})


class MunicipalityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        prefix = settings.EKOMMUNE_TENANT_PATH_PREFIX
        # DOTALL and \Z: a path may hold any character, a newline too (%0A); it stays in the
        # municipality's site and is answered there (found by the API fuzz tests, decision 0175)
        self.path_pattern = re.compile(
            rf"^/{re.escape(prefix)}/(?P<slug>[a-z0-9-]+)(?P<rest>/.*)?\Z", re.DOTALL
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.municipality = None  # type: ignore[attr-defined]
        request.municipality_via_prefix = False  # type: ignore[attr-defined]
        if request.path_info in TENANT_EXEMPT_PATHS:  # health probes must not depend on the database
            return self.get_response(request)
        host = request.get_host().rsplit(":", 1)[0] if request.get_host() else ""
        municipality = municipality_for_host(host_name=host) if host else None
        if municipality is not None:
            request.municipality = municipality  # type: ignore[attr-defined]
            structlog.contextvars.bind_contextvars(municipality=municipality.slug)
            return self.get_response(request)

        match = self.path_pattern.match(request.path_info)
        if match is None:
            return self.get_response(request)
        municipality = municipality_for_slug(slug=match.group("slug"))
        if municipality is None:
            return self.get_response(request)  # falls through to a 404 from the URL resolver
        if match.group("rest") is None:
            return HttpResponsePermanentRedirect(request.path + "/")
        request.municipality = municipality  # type: ignore[attr-defined]
        request.municipality_via_prefix = True  # type: ignore[attr-defined]
        structlog.contextvars.bind_contextvars(municipality=municipality.slug)
        previous_prefix = get_script_prefix()
        request.path_info = match.group("rest")
        set_script_prefix(
            f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}/{settings.EKOMMUNE_TENANT_PATH_PREFIX}/{municipality.slug}/"
        )
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous_prefix)


class RequestLogMiddleware:
    """Gives each request an id (``X-Request-ID``) and logs one structured line per request.

    The logged path never holds a secret: the routes with one (``journal/innsyn/<token>/``) are
    learnt from the URL configuration at start, and the log processors replace it (core.logging)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        secret_paths_learn()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if re.fullmatch(r"[A-Za-z0-9-]{8,64}", incoming) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        user = getattr(request, "_cached_user", None)  # only if the request already loaded it
        logger.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=user.pk if user is not None and user.is_authenticated else None,
        )
        structlog.contextvars.clear_contextvars()
        return response


class ApplicationErrorMiddleware:
    """Pages: an ``ApplicationError`` a view lets through becomes a page with its 4xx status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        return render(request, "core/error.html", {"error": exception}, status=exception.http_status)


class ReadLogMiddleware:
    """Collects the reads a request notes (``core.readlog``) and appends them to the audit chain in
    one statement before the response leaves (decision 0226). When that fails, the response is
    dropped and the request answered 503: a read that cannot be logged is refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        via = readlog.VIA_API if path.startswith("/api/") else readlog.VIA_PAGE
        if path.startswith("/journal/"):
            via = readlog.VIA_JOURNAL
        response: HttpResponse | None = None
        try:
            with readlog.reads_batched(via=via):
                response = self.get_response(request)
        except Exception:  # the append failed (the view's own errors are answered inside)
            if response is None:
                raise
            stream = getattr(response, "file_to_stream", None)  # a file download: never sent
            if stream is not None:
                stream.close()
            logger.exception("read_log_failed", path=request.path)
            return HttpResponse(
                _("Lesingen kunne ikke logges, og innholdet vises derfor ikke. Prøv igjen."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        return response


class SecurityHeadersMiddleware:
    """The headers Django's own security middleware does not set: ``Permissions-Policy`` (no
    camera, microphone, location, payment), and ``Cache-Control: no-store`` on staff pages and the
    API when the answer says nothing of caching (what a member of staff read is not kept in a
    shared or browser cache). Decision 0228."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.EKOMMUNE_PERMISSIONS_POLICY)
        path = request.path_info
        if (path.startswith(("/ansatt/", "/drift/", "/api/noark5/"))) and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


# Where a staff user whose session is not finished (second factor) may still go.
TWO_FACTOR_OPEN_PATHS = (
    "/innlogging/",
    "/utlogging/",
    "/ansatt/tofaktor/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/readyz",
)


class StaffSessionMiddleware:
    """Staff sessions (decision 0227): a session ends after ``EKOMMUNE_STAFF_IDLE_SECONDS`` without a
    request and ``EKOMMUNE_STAFF_SESSION_SECONDS`` after login; where two factors are required
    (``EKOMMUNE_TWO_FACTOR_REQUIRED``) an administrator, records manager or operator without a
    verified second factor in this session is sent to ``/ansatt/tofaktor/`` first. The API has its
    own rule (the token endpoint). Sits after django-otp's middleware."""

    SEEN_KEY = "_ek_seen"
    LOGIN_KEY = "_ek_login"
    REQUIRED_KEY = "_ek_2fa_required"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path_info.startswith("/api/"):
            return self.get_response(request)
        session = request.session
        now = int(time.time())
        login_at = session.setdefault(self.LOGIN_KEY, now)
        seen = session.get(self.SEEN_KEY, now)
        if (
            now - seen > settings.EKOMMUNE_STAFF_IDLE_SECONDS
            or now - login_at > settings.EKOMMUNE_STAFF_SESSION_SECONDS
        ):
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("core:login"))
        if now - seen >= 60 or self.SEEN_KEY not in session:  # one session write a minute at most
            session[self.SEEN_KEY] = now
        if settings.EKOMMUNE_TWO_FACTOR_REQUIRED and not request.path_info.startswith(TWO_FACTOR_OPEN_PATHS):
            if self.REQUIRED_KEY not in session:
                session[self.REQUIRED_KEY] = twofactor.two_factor_required(user=user)
            if session[self.REQUIRED_KEY] and not user.is_verified():
                return redirect_to_login(request.get_full_path(), reverse("core:two-factor"))
        return self.get_response(request)
