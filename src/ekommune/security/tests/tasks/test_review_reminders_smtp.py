"""The yearly review of an approved ROS through a real SMTP server process, with the clock moved by
time-machine: nothing 31 days before, the owner and the privacy officer a month before and again
on the day, once each; a new approval starts the next year's reminders afresh."""

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
from ekommune.security import selectors, services, tasks
from ekommune.security.models import SecuritySettings
from ekommune.security.tests.factories import assessment_for, security_for
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


def test_owner_and_privacy_officer_are_reminded_a_month_before_and_on_the_day(smtp_server: Path) -> None:
    security = security_for(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        assessment = services.risk_assessment_approve(
            actor=security.admin, municipality=security.municipality, assessment=assessment_for(security)
        )
        draft = assessment_for(security, asset_name="Aldri godkjent")  # no review date, never reminded
    due = assessment.review_due
    assert due is not None
    with time_machine.travel(start + dt.timedelta(days=365 - 31), tick=False):
        assert tasks.review_reminders_send.call() == 0
    assert _received(smtp_server) == []
    with time_machine.travel(start + dt.timedelta(days=365 - 30), tick=False):
        assert tasks.review_reminders_send.call() == 1
        assert tasks.review_reminders_send.call() == 0  # once
    [(to, subject, text)] = _received(smtp_server)
    assert to == sorted([security.admin.email, security.privacy_officer.email])
    assert subject == "ROS-analysen av Fagsystem for barnevern skal gjennomgås innen en måned"
    assert f"{due:%d.%m.%Y}" in text
    assert f"https://fjordvik.test/ansatt/sikkerhet/ros/{assessment.pk}/" in text
    with time_machine.travel(start + dt.timedelta(days=365), tick=False):
        assert tasks.review_reminders_send.call() == 1
    assert _received(smtp_server)[-1][1] == "ROS-analysen av Fagsystem for barnevern skal gjennomgås nå"
    assert draft.asset_name not in "".join(subject for _, subject, _ in _received(smtp_server))
    # the review: revised and approved again, the next reminder is a year on
    with time_machine.travel(start + dt.timedelta(days=366), tick=False):
        revised = services.risk_assessment_revise(
            actor=security.admin, municipality=security.municipality, assessment=assessment
        )
        again = services.risk_assessment_approve(
            actor=security.admin, municipality=security.municipality, assessment=revised
        )
        assert again.review_reminders_sent == 0
        assert selectors.reviews_due_reminder() == []


def test_a_failing_server_leaves_the_reminder_for_the_next_run_and_the_post_address_is_the_fallback(
    tmp_path: Path,
) -> None:
    security = security_for(MunicipalityFactory.create(email="post@fjordvik.test"))
    assessment = services.risk_assessment_approve(
        actor=security.admin, municipality=security.municipality, assessment=assessment_for(security)
    )
    type(assessment).objects.filter(pk=assessment.pk).update(review_due=timezone.localdate())
    unreachable = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with override_settings(MAILERS=unreachable):
        assert tasks.review_reminders_send.call() == 0
    assessment.refresh_from_db()
    assert assessment.review_reminders_sent == 0
    SecuritySettings.objects.update(privacy_officer=None)
    type(security.admin).objects.filter(pk=security.admin.pk).update(email="")
    maildir = tmp_path / "maildir"
    with smtp_server_process(maildir) as mailers, override_settings(MAILERS=mailers):
        assert tasks.review_reminders_send.call() == 1  # stage 2 straight away: it is due
    [(to, subject, _)] = _received(maildir)
    assert to == ["post@fjordvik.test"]
    assert subject.endswith("skal gjennomgås nå")
    assert services.review_reminder_claim(assessment_id=assessment.pk, stage=2) is None
