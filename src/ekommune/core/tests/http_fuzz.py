"""Hypothesis strategies for requests no client should send but any client can (issue 16 §4).

``fuzz_request`` builds a method, a path under an API prefix (a known route with odd values, or
segments of any text), a query string (known parameter names and any others, any values, or raw
percent-escapes) and a body; ``fuzz_send`` sends it through the real URL configuration and
middleware with a test client that enforces CSRF as a browser-less client meets it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.test import Client
from hypothesis import strategies as st

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "FOO")
CONTENT_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/octet-stream",
    "",
)
# Values that have broken parsers elsewhere: big and negative numbers, NUL, lone surrogates (sent
# percent-escaped), dates out of range, very long text, odd Unicode digits.
TRICKY = (
    "",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "9223372036854775808",
    "2147483648",
    "\x00",
    "a\x00b",
    "%00",
    "%ff%fe",
    "%ED%A0%80",
    "0000-00-00",
    "9999-12-31",
    "2024-13-45",
    "١٢٣",
    "²",
    "x" * 5000,
    "' OR 1=1 --",
    "../../etc/passwd",
    "null",
    "[]",
    "{}",
)


@dataclass(frozen=True)
class FuzzRequest:
    method: str
    path: str
    query: str
    body: bytes
    content_type: str


def _text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(TRICKY), st.text(max_size=40))


def _segment() -> st.SearchStrategy[str]:
    return _text().map(lambda text: quote(text, safe=""))


def _query(names: Sequence[str]) -> st.SearchStrategy[str]:
    pairs = st.lists(st.tuples(st.one_of(st.sampled_from(names), st.text(max_size=12)), _text()), max_size=5)
    raw = st.lists(
        st.sampled_from(["%", "%zz", "%00", "=", "&", "a=%ff", "&&=", ";", "a[]=1", "+"]), max_size=6
    )
    return st.one_of(pairs.map(lambda p: urlencode(p)), raw.map("".join))


def fuzz_request(
    *, prefixes: Sequence[str], templates: Sequence[str], query_names: Sequence[str]
) -> st.SearchStrategy[FuzzRequest]:
    """Requests under one of ``prefixes``: ``templates`` are known routes with ``{}`` for a path value."""

    @st.composite
    def build(draw: st.DrawFn) -> FuzzRequest:
        prefix = draw(st.sampled_from(prefixes))
        if draw(st.booleans()):
            template = draw(st.sampled_from(templates))
            path = prefix + template.format(*(draw(_segment()) for _ in range(template.count("{}"))))
        else:
            segments = draw(st.lists(_segment(), max_size=4))
            path = prefix + "/".join(segments) + draw(st.sampled_from(["", "/"]))
        return FuzzRequest(
            method=draw(st.sampled_from(METHODS)),
            path=path,
            query=draw(_query(query_names)),
            body=draw(st.one_of(st.just(b""), st.binary(max_size=200), st.just(b"[" * 50_000))),
            content_type=draw(st.sampled_from(CONTENT_TYPES)),
        )

    return build()


def fuzz_send(client: Client, request: FuzzRequest):
    """The request through the whole stack, as a raw HTTP client would send it."""
    return client.generic(
        request.method,
        request.path,
        data=request.body,
        content_type=request.content_type,
        QUERY_STRING=request.query,
    )


def csrf_client(host: str) -> Client:
    """A client without cookies that meets CSRF checks as an API client does."""
    return Client(enforce_csrf_checks=True, HTTP_HOST=host)
