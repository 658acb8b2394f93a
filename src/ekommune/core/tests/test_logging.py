"""Structured logs never carry a national identity number, a secret of a URL, a local variable of a
traceback, or a value longer than 1,000 characters."""

from __future__ import annotations

import json
import logging
import logging.config
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog
from hypothesis import given
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from ekommune.conf.logging import logging_config
from ekommune.core.logging import (
    MARKER,
    MAX_TRACEBACK_LENGTH,
    MAX_VALUE_LENGTH,
    redact_text,
    secret_paths_patterns,
)
from ekommune.core.models import Municipality
from ekommune.core.tests.factories import host_client

VALID_FNR = next(
    f"{day:02d}0190{serial:03d}{check}"
    for day in range(1, 29)
    for serial in range(100, 500)
    for check in [f"{a}{b}" for a in range(10) for b in range(10)]
    if fodselsnummer.is_valid(f"{day:02d}0190{serial:03d}{check}")
)


def test_a_valid_identity_number_is_replaced() -> None:
    assert redact_text(f"søknad fra {VALID_FNR} mottatt") == f"søknad fra {MARKER} mottatt"
    assert redact_text(f"{VALID_FNR[:6]} {VALID_FNR[6:]}") == MARKER


@pytest.mark.parametrize(
    "text", ["sak 2013/1269", "journalpost 11964/2013", "orgnr 912345688", "tlf 56001000", "12345678901"]
)
def test_other_numbers_pass_through(text: str) -> None:
    assert redact_text(text) == text


@given(
    prefix=st.text(alphabet="abc æ/-:.", max_size=12),
    suffix=st.text(alphabet="abc æ/-:.", max_size=12),
    spaced=st.booleans(),
)
def test_an_identity_number_in_any_surroundings_is_removed(prefix: str, suffix: str, spaced: bool) -> None:
    number = f"{VALID_FNR[:6]} {VALID_FNR[6:]}" if spaced else VALID_FNR
    redacted = redact_text(prefix + number + suffix)
    assert VALID_FNR not in redacted.replace(" ", "")
    assert redacted == prefix + MARKER + suffix


def test_log_lines_are_json_and_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    logging.config.dictConfig(logging_config(fmt="json", level="INFO"))
    structlog.get_logger("ekommune.test").info("innsending", fra=VALID_FNR, tekst=f"gjelder {VALID_FNR}")
    logging.getLogger("ekommune.stdlib").warning("stdlib nevner %s", VALID_FNR)
    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    assert lines[0]["event"] == "innsending"
    assert lines[0]["fra"] == MARKER
    assert lines[0]["tekst"] == f"gjelder {MARKER}"
    assert VALID_FNR not in lines[1]["event"]
    assert all(VALID_FNR not in json.dumps(line) for line in lines)


# ------------------------------------------------------------------ length, tracebacks, secrets in URLs


@pytest.fixture
def log_at_info(settings: Any) -> Iterator[Callable[[str], None]]:
    """Configure logging at INFO in the given format for the test; the test settings' logging after."""

    def configure(fmt: str) -> None:
        logging.config.dictConfig(logging_config(fmt=fmt, level="INFO"))

    yield configure
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.parametrize("fmt", ["json", "console"])
def test_a_long_value_is_cut_in_every_renderer(
    fmt: str, log_at_info: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    log_at_info(fmt)
    structlog.get_logger("ekommune.test").info("stor", body="x" * 1_000_000, parts=["y" * 5_000])
    logging.getLogger("ekommune.stdlib").warning("z" * 1_000_000)
    output = capsys.readouterr().err
    assert len(output) < 2 * (MAX_VALUE_LENGTH + 500) + (MAX_VALUE_LENGTH + 500)
    assert "tegn kuttet" in output


def _fail_with_a_big_local() -> None:
    local_secret = "lokal-verdi-som-aldri-logges" + "q" * 1_000_000  # noqa: F841 (a local a traceback could show)
    raise ValueError("m" * 1_000_000)


@pytest.mark.parametrize("fmt", ["json", "console"])
def test_a_traceback_shows_no_local_variables_and_no_endless_line(
    fmt: str, log_at_info: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    log_at_info(fmt)
    started = time.perf_counter()
    try:
        _fail_with_a_big_local()
    except ValueError:
        structlog.get_logger("ekommune.test").exception("feilet")
    try:
        _fail_with_a_big_local()
    except ValueError:
        logging.getLogger("ekommune.stdlib").exception("feilet")
    output = capsys.readouterr().err
    assert time.perf_counter() - started < 2
    assert "lokal-verdi-som-aldri-logges" not in output
    assert "_fail_with_a_big_local" in output  # the traceback is there, as plain text
    assert "ValueError: mmm" in output.replace("\\n", "\n")
    assert len(output) < 2 * MAX_TRACEBACK_LENGTH


def test_secret_query_parameters_never_reach_a_log_line(
    log_at_info: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    log_at_info("json")
    logging.getLogger("django.server").info(
        '"GET /innlogging/tilbake/?code=kode-123&state=tilstand-456&next=/tjenester/ HTTP/1.1" 302 0'
    )
    structlog.get_logger("ekommune.test").info("lenke", url="/x/?token=polletten-789&side=2")
    output = capsys.readouterr().err
    for secret in ("kode-123", "tilstand-456", "polletten-789"):
        assert secret not in output
    assert "code=[fjernet]&state=[fjernet]&next=/tjenester/" in output
    assert "side=2" in output


@pytest.mark.django_db
def test_the_status_link_token_never_reaches_the_request_log(
    municipality_a: Municipality, log_at_info: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    log_at_info("json")
    token = "statuslenke-" + "A1b2C3d4" * 4
    client = host_client("aust.test")
    client.get(f"/journal/innsyn/{token}/")
    client.get(f"/journal/innsyn/{token}/fil/{uuid.uuid4()}/")
    client.get(f"/k/aust/journal/innsyn/{token}/")
    client.get("/journal/innsyn/kurv/")
    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    assert all(token not in json.dumps(line) for line in lines)
    paths = [line["path"] for line in lines if line["event"] == "request"]
    assert "/journal/innsyn/[fjernet]/" in paths
    assert any(path.startswith("/journal/innsyn/[fjernet]/fil/") for path in paths)
    assert "/journal/innsyn/kurv/" in paths  # a literal route beside the token's is no secret


def test_the_secret_routes_are_read_from_the_routes_themselves() -> None:
    routes = ["journal/innsyn/kurv/", "journal/innsyn/<str:token>/", "sak/<int:year>/<slug:token>/x/"]
    patterns = secret_paths_patterns(routes)
    text = "/journal/innsyn/abc/ /journal/innsyn/kurv/ /sak/2026/hemmelig/x/ /journal/sak/1/"
    for pattern in patterns:
        text = pattern.sub(r"\g<1>[fjernet]", text)
    assert text == "/journal/innsyn/[fjernet]/ /journal/innsyn/kurv/ /sak/2026/[fjernet]/x/ /journal/sak/1/"
