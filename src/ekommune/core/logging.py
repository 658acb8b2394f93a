"""Log hygiene: what never reaches a log line, and how long a logged value may be.

Processors that run on every structlog event and on every standard-library record routed through
the structured formatter (``ekommune.conf.logging``), in this order:

- ``exception_text``: an exception becomes a plain traceback text (no local variables, ever),
  each line at most ``MAX_VALUE_LENGTH`` characters, the whole at most ``MAX_TRACEBACK_LENGTH``
  (its end kept: the innermost frames and the message);
- ``cap_values``: every other string value is cut at ``MAX_VALUE_LENGTH`` characters, inside
  dicts and lists too; other objects are logged as their (cut) ``repr``;
- ``redact_identity_numbers``: any 11-digit run that is a valid fødselsnummer or D-number
  (python-stdnum) becomes a marker; other numbers (case numbers, phone numbers, 9-digit org
  numbers) pass through. Secrets in URLs become a marker too: query parameters named in
  ``SECRET_QUERY_PARAMETERS`` and path segments captured by a URL parameter named in
  ``SECRET_URL_PARAMETERS`` (the access request's status link, ``journal/innsyn/<token>/``).
  ``secret_paths_learn()`` reads those routes from the URL configuration; the request log
  middleware calls it when it starts.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

from stdnum.no import fodselsnummer

ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})[ ]?(\d{5})(?!\d)")
MARKER = "[fødselsnummer fjernet]"
SECRET_MARKER = "[fjernet]"  # noqa: S105 (a marker, not a secret)
MAX_VALUE_LENGTH = 1_000
MAX_TRACEBACK_LENGTH = 20_000
SECRET_QUERY_PARAMETERS = ("token", "code", "state", "access_token", "id_token", "id_token_hint")
SECRET_URL_PARAMETERS = frozenset({"token"})

_SECRET_QUERY = re.compile(rf"([?&](?:{'|'.join(SECRET_QUERY_PARAMETERS)})=)[^&#\s\"']+", flags=re.IGNORECASE)
_secret_paths: list[re.Pattern[str]] = []  # filled by secret_paths_learn()


def cut(text: str, limit: int = MAX_VALUE_LENGTH) -> str:
    """``text`` at most ``limit`` characters, saying how much was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} tegn kuttet]"


def redact_text(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        candidate = match.group(1) + match.group(2)
        return MARKER if fodselsnummer.is_valid(candidate) else match.group(0)

    text = ELEVEN_DIGITS.sub(replace, text)
    if "=" in text:
        text = _SECRET_QUERY.sub(rf"\g<1>{SECRET_MARKER}", text)
    if "/" in text:
        for expression in _secret_paths:
            text = expression.sub(rf"\g<1>{SECRET_MARKER}", text)
    return text


# ------------------------------------------------------------------ secrets in URL paths


def _route_regex(route: str) -> str:
    """A route's text (``sak/<int:year>/``) as a regular expression; each parameter one segment."""
    literals = re.split(r"<[^>]+>", route)
    return "[^/?#\\s]+".join(re.escape(literal) for literal in literals)


def _routes(patterns: Iterable[Any], prefix: str = "") -> Iterator[str]:
    """The full route text of every URL pattern (``path()`` routes; ``re_path`` ones are skipped)."""
    from django.urls import URLResolver
    from django.urls.resolvers import RoutePattern

    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        else:
            yield route


def secret_paths_patterns(routes: Iterable[str]) -> list[re.Pattern[str]]:
    """Expressions finding, in any text, the path segments that routes capture as a secret
    (``journal/innsyn/<str:token>/``); a literal route beside it (``journal/innsyn/kurv/``) is no secret.
    Group 1 is what comes before the secret."""
    routes = list(routes)
    secret = re.compile(rf"<(?:\w+:)?(?:{'|'.join(SECRET_URL_PARAMETERS)})>")
    expressions = set()
    for route in routes:
        for found in secret.finditer(route):
            before = route[: found.start()]
            literal_siblings = {
                other[len(before) :].split("/", 1)[0]
                for other in routes
                if other.startswith(before) and not other[len(before) :].startswith("<")
            } - {""}
            not_literal = "".join(
                f"(?!{re.escape(sibling)}(?:[/?#\\s]|$))" for sibling in sorted(literal_siblings)
            )
            expressions.add(f"(/{_route_regex(before)}){not_literal}[^/?#\\s\"']+")
    return [re.compile(expression) for expression in sorted(expressions)]


def secret_paths_learn() -> None:
    """Read the routes with a secret parameter from the URL configuration (once the apps are loaded)."""
    from django.urls import get_resolver

    _secret_paths[:] = secret_paths_patterns(_routes(get_resolver().url_patterns))


# ------------------------------------------------------------------ processors


def _cap(value: Any) -> Any:
    if isinstance(value, str):
        return cut(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {cut(str(key)): _cap(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_cap(item) for item in value[:MAX_VALUE_LENGTH])
    return cut(repr(value))


def _redact(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {key: _redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact(item) for item in value)
    return value


def traceback_text(exc_info: Any) -> str:
    """A plain traceback (no locals), each line cut, the whole cut from the front."""
    lines = traceback.format_exception(*exc_info)
    text = "".join(cut(line.rstrip("\n")) + "\n" for part in lines for line in part.splitlines())
    if len(text) > MAX_TRACEBACK_LENGTH:
        text = f"[{len(text) - MAX_TRACEBACK_LENGTH} tegn kuttet] …" + text[-MAX_TRACEBACK_LENGTH:]
    return text.rstrip("\n")


def exception_text(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    exc_info = event_dict.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if isinstance(exc_info, tuple) and exc_info[0] is not None:
        event_dict["exception"] = traceback_text(exc_info)
    elif isinstance(event_dict.get("exception"), str):
        event_dict["exception"] = cut(event_dict["exception"], MAX_TRACEBACK_LENGTH)
    return event_dict


def cap_values(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in list(event_dict.items()):
        if key != "exception":
            event_dict[key] = _cap(value)
    return event_dict


def redact_identity_numbers(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in list(event_dict.items()):
        event_dict[key] = _redact(value)
    return event_dict
