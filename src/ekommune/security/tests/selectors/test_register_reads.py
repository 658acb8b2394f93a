"""Reads: the 72-hour clock, which breaches are due a reminder, the draft notice to Datatilsynet,
quarterly statistics, and the register's list within one municipality."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from ekommune.core.errors import NotFoundError, PermissionDeniedError
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.security import selectors, services
from ekommune.security.models import DeviationKind
from ekommune.security.tests.factories import deviation_for, security_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def security():
    return security_for(MunicipalityFactory.create())


def test_the_clock_runs_72_hours_from_discovery_and_stops_at_the_decision(security) -> None:
    discovered = timezone.now() - dt.timedelta(hours=50)
    breach = deviation_for(security, discovered_at=discovered)
    clock = selectors.breach_clock(deviation=breach)
    assert clock is not None
    assert clock.deadline == discovered + dt.timedelta(hours=72)
    assert 21.9 < clock.hours_left < 22.1
    assert not clock.overdue
    late = selectors.breach_clock(deviation=breach, now=discovered + dt.timedelta(hours=73))
    assert late is not None
    assert late.overdue
    assert selectors.breach_clock(deviation=deviation_for(security, DeviationKind.OTHER)) is None
    decided = services.deviation_notification_decide(
        actor=security.admin,
        municipality=security.municipality,
        deviation=breach,
        notify_authority=True,
        reason="Sensitive opplysninger.",
        persons_notified=True,
    )
    stopped = selectors.breach_clock(deviation=decided, now=discovered + dt.timedelta(hours=80))
    assert stopped is not None
    assert stopped.stopped
    assert not stopped.overdue


def test_reminders_fall_due_at_24_and_48_hours_and_only_once(security) -> None:
    now = timezone.now()
    fresh = deviation_for(security, discovered_at=now - dt.timedelta(hours=2))
    day_old = deviation_for(security, discovered_at=now - dt.timedelta(hours=25))
    two_days = deviation_for(security, discovered_at=now - dt.timedelta(hours=49))
    deviation_for(security, DeviationKind.INFORMATION_SECURITY, discovered_at=now - dt.timedelta(hours=30))
    assert selectors.breaches_due_reminder(now=now) == [(day_old.pk, 1), (two_days.pk, 2)]
    assert services.breach_reminder_claim(deviation_id=day_old.pk, stage=1) is not None
    assert services.breach_reminder_claim(deviation_id=day_old.pk, stage=1) is None
    assert selectors.breaches_due_reminder(now=now) == [(two_days.pk, 2)]
    later = now + dt.timedelta(hours=24)
    assert selectors.breaches_due_reminder(now=later) == [(fresh.pk, 1), (day_old.pk, 2), (two_days.pk, 2)]


def test_reminders_go_to_owner_and_privacy_officer_else_the_post_address(security) -> None:
    breach = deviation_for(security)
    assert selectors.reminder_recipients(deviation=breach) == [security.privacy_officer.email]
    services.security_settings_set(
        actor=security.admin,
        municipality=security.municipality,
        intake_user=security.archive.records_manager,
        privacy_officer=None,
    )
    assert selectors.reminder_recipients(deviation=breach) == [security.municipality.email]
    breach = services.deviation_assess(
        actor=security.admin,
        municipality=security.municipality,
        deviation=breach,
        owner=security.admin,
        due_date=timezone.localdate(),
        assessment="x",
    )
    assert selectors.reminder_recipients(deviation=breach) == [security.admin.email]


def test_the_draft_notice_is_filled_from_the_register(security) -> None:
    breach = deviation_for(security, discovered_at=timezone.now() - dt.timedelta(hours=1))
    sections = selectors.authority_notice_draft(deviation=breach)
    fields = {field.label: field.value for section in sections for field in section.fields}
    assert fields["Navn på virksomheten"] == security.municipality.name
    assert fields["Organisasjonsnummer"] == security.municipality.organisation_number
    assert fields["Omtrentlig antall berørte personer"] == "24"
    assert fields["Kategorier av berørte personer"] == "Elever"
    assert fields["Kontaktperson"] == "Fylles ut"
    assert "Pia Ombud" in fields["Personvernombud"]
    assert fields["Grunnen til at meldingen kommer senere enn 72 timer"] == "Meldingen sendes innen 72 timer."
    late = deviation_for(security, discovered_at=timezone.now() - dt.timedelta(hours=80))
    late.occurred_at = None
    late_fields = {
        f.label: f.value for s in selectors.authority_notice_draft(deviation=late) for f in s.fields
    }
    assert late_fields["Grunnen til at meldingen kommer senere enn 72 timer"] == "Fylles ut"
    assert late_fields["Når skjedde bruddet"] == "Ukjent"


def test_statistics_count_each_quarter_per_class(security) -> None:
    year = timezone.localdate().year
    for month, kind in (
        (2, "information_security"),
        (2, "personal_data_breach"),
        (5, "other"),
        (11, "other"),
    ):
        moment = dt.datetime(year, month, 10, 12, tzinfo=dt.UTC)
        with time_machine.travel(moment, tick=False):
            deviation_for(security, kind)
    rows = selectors.deviation_statistics(actor=security.admin, municipality=security.municipality, year=year)
    assert [(r.quarter, r.information_security, r.personal_data_breach, r.other, r.total) for r in rows] == [
        (1, 1, 1, 0, 2),
        (2, 0, 0, 1, 1),
        (3, 0, 0, 0, 0),
        (4, 0, 0, 1, 1),
    ]
    with pytest.raises(PermissionDeniedError):
        selectors.deviation_statistics(
            actor=security.case_worker, municipality=security.municipality, year=year
        )


def test_the_register_lists_only_its_own_municipality(security) -> None:
    mine = deviation_for(security)
    other = security_for(MunicipalityFactory.create())
    theirs = deviation_for(other)
    listed = selectors.deviation_list(actor=security.admin, municipality=security.municipality)
    assert list(listed) == [mine]
    assert (
        list(
            selectors.deviation_list(actor=security.admin, municipality=security.municipality, state="closed")
        )
        == []
    )
    with pytest.raises(NotFoundError):
        selectors.deviation_get(actor=security.admin, municipality=security.municipality, pk=theirs.pk)
    assert selectors.staff_user(municipality=security.municipality, user_id=None) is None
    assert selectors.staff_user(municipality=security.municipality, user_id=other.admin.pk) is None
    assert (
        selectors.staff_user(municipality=security.municipality, user_id=security.admin.pk) == security.admin
    )
