"""Structured logs never carry a national identity number."""

from __future__ import annotations

import json
import logging
import logging.config

import pytest
import structlog
from hypothesis import given
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from ekommune.conf.logging import logging_config
from ekommune.core.logging import MARKER, redact_text

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
