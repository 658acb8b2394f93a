"""Due-date reminders through a real SMTP server process, the clock moved by time-machine: the
attester three days before the due date and on it, once each; nothing for an attested invoice
until its approver's turn."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.test import override_settings

from ekommune.invoices import tasks
from ekommune.invoices.tests.factories import received
from ekommune.testing import maildir_messages, smtp_server_process

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("peppol", "schxslt")]


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Path]:
    maildir = tmp_path / "maildir"
    with smtp_server_process(maildir) as mailers, override_settings(MAILERS=mailers):
        yield maildir


def _received(maildir: Path) -> list[tuple[str, str]]:
    if not (maildir / "new").exists():
        return []
    parsed = [email.message_from_bytes(raw, policy=email.policy.default) for raw in maildir_messages(maildir)]
    return sorted((str(message["To"]), str(message["Subject"])) for message in parsed)


def test_the_attester_is_reminded_before_and_on_the_due_date(invoicing, smtp_server: Path) -> None:
    received(invoicing, number="F-9", due_date=dt.date(2026, 12, 10))
    with time_machine.travel(dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC), tick=False):
        assert tasks.invoice_reminders_send.call() == 0
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC), tick=False):
        assert tasks.invoice_reminders_send.call() == 1
        assert tasks.invoice_reminders_send.call() == 0
    with time_machine.travel(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC), tick=False):
        assert tasks.invoice_reminders_send.call() == 1
    subject = "Faktura F-9 forfaller 10.12.2026"
    assert _received(smtp_server) == [("arne@test.no", subject), ("arne@test.no", subject)]
