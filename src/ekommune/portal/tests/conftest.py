"""Fixtures of the portal's tests: a municipality with archive and portal set up, and a real
SMTP server process (aiosmtpd) on a free localhost port."""

from __future__ import annotations

import io
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest

from ekommune.core.models import Municipality
from ekommune.portal.tests.factories import Portal, portal_for
from ekommune.testing import maildir_messages, smtp_server_process


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def portal(municipality_a: Municipality) -> Portal:
    return portal_for(municipality_a)


class Inbox:
    """What the SMTP server stored, as parsed messages, oldest first; ``X-Envelope-To`` holds the
    envelope's recipients."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir

    @property
    def messages(self) -> list[Message]:
        found = []
        for raw in maildir_messages(self.maildir):
            message = message_from_bytes(raw)
            message["X-Envelope-To"] = message["X-RcptTo"]
            found.append(message)
        return found


@pytest.fixture
def smtp_server(settings: Any, tmp_path: Path) -> Iterator[Inbox]:
    """A real SMTP server process on localhost (aiosmtpd, a Maildir); Django sends to it."""
    maildir = tmp_path / "maildir"
    with smtp_server_process(maildir) as mailers:
        settings.MAILERS = mailers
        yield Inbox(maildir)


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def pdfa_identification(pdf: bytes) -> tuple[str, str]:
    """(part, conformance) of PDF/A declared in the XMP metadata, read with pikepdf."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        meta = document.open_metadata()
        return str(meta.get("pdfaid:part", "")), str(meta.get("pdfaid:conformance", ""))


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
