"""The 72-hour clock's reminders through a real SMTP server process, with the clock moved by
time-machine: nothing at 23 hours, the owner and the privacy officer at 24 and at 48 hours, once
each, and nothing after the decision."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.security import services, tasks
from ekommune.security.tests.factories import deviation_for, security_for
from ekommune.testing import free_port, maildir_messages, smtp_server_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Path]:
    maildir = tmp_path / "maildir"
    with smtp_server_process(maildir) as mailers, override_settings(MAILERS=mailers):
        yield maildir


def _received(maildir: Path) -> list[tuple[list[str], str, str]]:
    if not (maildir / "new").exists():
        return []
    messages = []
    for raw in maildir_messages(maildir):
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        assert body is not None
        to = sorted(a.strip() for a in str(parsed["To"]).split(","))
        messages.append((to, str(parsed["Subject"]), body.get_content()))
    return messages


def test_owner_and_privacy_officer_are_reminded_at_24_and_48_hours(smtp_server: Path) -> None:
    security = security_for(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        breach = deviation_for(security, discovered_at=start)
        breach = services.deviation_assess(
            actor=security.admin,
            municipality=security.municipality,
            deviation=breach,
            owner=security.admin,
            due_date=timezone.localdate() + dt.timedelta(days=3),
            assessment="Konfidensialitetsbrudd.",
        )
        quiet = deviation_for(security, "information_security", discovered_at=start)
    with time_machine.travel(start + dt.timedelta(hours=23), tick=False):
        assert tasks.breach_reminders_send.call() == 0
    assert _received(smtp_server) == []
    with time_machine.travel(start + dt.timedelta(hours=24, minutes=5), tick=False):
        assert tasks.breach_reminders_send.call() == 1
        assert tasks.breach_reminders_send.call() == 0  # once
    [(to, subject, text)] = _received(smtp_server)
    assert to == sorted([security.admin.email, security.privacy_officer.email])
    assert subject == f"Påminnelse: {breach.number} – 24 timer siden bruddet ble oppdaget"
    deadline = timezone.localtime(start + dt.timedelta(hours=72))
    assert f"{deadline:%d.%m.%Y} kl. {deadline:%H:%M}" in text
    assert f"https://fjordvik.test/ansatt/sikkerhet/avvik/{breach.pk}/" in text
    with time_machine.travel(start + dt.timedelta(hours=48, minutes=1), tick=False):
        assert tasks.breach_reminders_send.call() == 1
    assert "48 timer" in _received(smtp_server)[-1][1]
    assert quiet.number not in "".join(subject for _, subject, _ in _received(smtp_server))


def test_no_reminder_after_the_decision_and_a_failing_server_leaves_it_for_the_next_run(
    tmp_path: Path,
) -> None:
    security = security_for(MunicipalityFactory.create())
    start = timezone.now()
    decided = deviation_for(security, discovered_at=start - dt.timedelta(hours=30))
    services.deviation_notification_decide(
        actor=security.admin,
        municipality=security.municipality,
        deviation=decided,
        notify_authority=False,
        reason="Lav risiko.",
        persons_notified=True,
    )
    pending = deviation_for(security, discovered_at=start - dt.timedelta(hours=30))
    unreachable = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},  # nobody listens
        }
    }
    with override_settings(MAILERS=unreachable):
        assert tasks.breach_reminders_send.call() == 0
    pending.refresh_from_db()
    assert pending.reminders_sent == 0  # not marked: the next run tries again
    maildir = tmp_path / "maildir"
    with smtp_server_process(maildir) as mailers, override_settings(MAILERS=mailers):
        assert tasks.breach_reminders_send.call() == 1
    [(_, subject, _)] = _received(maildir)
    assert pending.number in subject
    assert decided.number not in subject
