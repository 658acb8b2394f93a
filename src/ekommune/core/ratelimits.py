"""Rate limits shared by every web worker: a fixed-window counter per client and scope in PostgreSQL.

One statement per counted request (an ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``) in an
unlogged table, atomic across workers and machines, in autocommit (``ATOMIC_REQUESTS`` is off), so
the counter's row lock lasts one statement, never a request. Decision 0170 says why not a cache.

- ``rate_limited(scope)``: a page decorator; over the limit the answer is 429 with ``Retry-After``
  and a message in the body (HTML for pages, the platform's JSON error for JSON views).
- ``ApiRateThrottle``: Django REST framework's throttle for the Noark 5 API (per user when logged in,
  per client address otherwise); DRF answers 429 with ``Retry-After``.
- The limits are ``settings.EKOMMUNE_RATE_LIMITS`` (``"<count>/<s|m|h|d>"``, or ``"off"``).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from ekommune.core.errors import ApplicationError

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}

COUNT_SQL = """
INSERT INTO core_ratecounter (key, window_start, hits) VALUES (%s, %s, 1)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN core_ratecounter.window_start = EXCLUDED.window_start
                THEN core_ratecounter.hits + 1 ELSE 1 END,
    window_start = EXCLUDED.window_start
RETURNING hits
"""


# In one message with the count, SET LOCAL holds for the implicit transaction of that message only.
NO_FLUSH_WAIT = "SET LOCAL synchronous_commit TO OFF;"


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """``"20/m"`` → 20 a minute; ``"off"`` or empty → no limit. Anything else is a configuration error."""
        text = text.strip().lower()
        if text in ("", "off"):
            return None
        count, _, unit = text.partition("/")
        if not (count.isascii() and count.isdigit()) or int(count) < 1 or unit not in PERIODS:
            raise ValueError(f"a rate limit is '<count>/<s|m|h|d>' or 'off', not {text!r}")
        return cls(limit=int(count), period=PERIODS[unit])


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    hits: int
    retry_after: int


class RateLimitedError(ApplicationError):
    http_status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            _("For mange forespørsler. Vent {seconds} sekunder og prøv igjen.").format(seconds=retry_after),
            code="rate_limited",
        )
        self.retry_after = retry_after


def scope_rate(scope: str) -> Rate | None:
    """The configured rate of a scope; a scope that is not configured is a programming error."""
    limits: dict[str, str] = settings.EKOMMUNE_RATE_LIMITS
    return Rate.parse(limits[scope])


def clock() -> float:
    """Now, in seconds since the epoch: the windows start at whole minutes, hours and days (UTC)."""
    return time.time()


def rate_hit(*, scope: str, client: str, rate: Rate, now: float | None = None) -> RateDecision:
    """Count one request of ``client`` in ``scope``; whether it is within ``rate``.

    The client (an address or a user number) is kept only as a hash in the key."""
    now = clock() if now is None else now
    window_start = int(now // rate.period) * rate.period
    digest = hashlib.blake2b(client.encode(), digest_size=12).hexdigest()
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(COUNT_SQL, [f"{scope}:{digest}", window_start])
        else:
            # A counter of its own transaction need not wait for the disk: on a crash a few counts of
            # the current window are lost at most. Every request of a client counts on one row, so
            # waiting for the flush while holding it would queue the client's requests (decision 0191).
            cursor.execute(f"{NO_FLUSH_WAIT} {COUNT_SQL}", [f"{scope}:{digest}", window_start])
            cursor.cursor.nextset()
        hits = int(cursor.fetchone()[0])
    retry_after = max(1, math.ceil(window_start + rate.period - now))
    return RateDecision(allowed=hits <= rate.limit, hits=hits, retry_after=retry_after)


def rate_counters_purge(*, older_than_seconds: int = 86_400) -> int:
    """Forget counters whose window ended more than ``older_than_seconds`` ago (the longest period is a day)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM core_ratecounter WHERE window_start < %s",
            [int(clock()) - older_than_seconds - PERIODS["d"]],
        )
        return cursor.rowcount


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or the header the proxy sets (``EKOMMUNE_CLIENT_IP_HEADER``).

    Behind a proxy the proxy's own address is every client's, so operations set the header
    (docs/operations.md); only the first address of a list counts (the one the proxy saw)."""
    header = getattr(settings, "EKOMMUNE_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() if value else "") or request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many_requests(request: HttpRequest, error: RateLimitedError, *, as_json: bool) -> HttpResponse:
    """429 with ``Retry-After`` and the reason in the body (the platform's JSON error, or the error page)."""
    if as_json:
        response: HttpResponse = JsonResponse(
            error.as_dict(), status=error.http_status, json_dumps_params={"ensure_ascii": False}
        )
    else:
        html = render_to_string("core/error.html", {"error": error}, request=request)
        response = HttpResponse(html, status=error.http_status)
    response["Retry-After"] = str(error.retry_after)
    return response


def rate_refusal(request: HttpRequest, scope: str, *, as_json: bool = False) -> HttpResponse | None:
    """Count the request in ``scope`` for its client address; the 429 answer when it is over the limit."""
    rate = scope_rate(scope)
    if rate is None:
        return None
    decision = rate_hit(scope=scope, client=client_address(request), rate=rate)
    if decision.allowed:
        return None
    return too_many_requests(request, RateLimitedError(decision.retry_after), as_json=as_json)


def rate_limited(
    scope: str,
    *,
    methods: Iterable[str] = ("GET", "POST"),
    when: Callable[[HttpRequest], bool] | None = None,
    as_json: bool = False,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Limit a view per client address: requests with one of ``methods`` (and ``when``, if given) count."""
    counted = {method.upper() for method in methods}

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in counted and (when is None or when(request)):
                refusal = rate_refusal(request, scope, as_json=as_json)
                if refusal is not None:
                    return refusal
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


class ApiRateThrottle(BaseThrottle):
    """The Noark 5 API's limit: ``api_user`` per logged-in user, ``api_anonymous`` per client address."""

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            scope, client = "api_user", f"user:{user.pk}"
        else:
            scope, client = "api_anonymous", client_address(request._request)
        rate = scope_rate(scope)
        if rate is None:
            return True
        decision = rate_hit(scope=scope, client=client, rate=rate)
        self.retry_after = None if decision.allowed else decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return self.retry_after
