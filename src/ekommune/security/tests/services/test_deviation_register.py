"""The deviation register: reports become archive cases, the way received → assessed → measures →
closed is a service with database constraints behind it, and a breach closes only when decided."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Role
from ekommune.core.tests.factories import MunicipalityFactory, staff
from ekommune.security import services
from ekommune.security.models import Deviation, DeviationKind, DeviationState
from ekommune.security.tests.factories import SECRET_TITLE, deviation_for, report, security_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def security():
    return security_for(MunicipalityFactory.create())


def _entry(security, system_id):
    return archive_selectors.registry_entry_by_system_id(
        actor=security.archive.records_manager, municipality=security.municipality, system_id=system_id
    )


def test_a_staff_report_is_numbered_and_archived_as_a_screened_case(security) -> None:
    first = deviation_for(security)
    second = deviation_for(security, DeviationKind.INFORMATION_SECURITY)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.number == f"AVVIK-{timezone.localdate().year}-1"
    assert first.state == DeviationState.RECEIVED
    assert first.reporter == security.case_worker
    breach_entry = _entry(security, first.report_entry_system_id)
    assert breach_entry.entry_type == "N"
    assert breach_entry.case_file.system_id == first.case_system_id
    assert (breach_entry.screening.access_restriction, breach_entry.screening.legal_basis) == (
        "13",
        services.PERSONS_BASIS,
    )
    assert breach_entry.public_title == "Avviksmelding"
    assert SECRET_TITLE in breach_entry.title
    security_entry = _entry(security, second.report_entry_system_id)
    assert (security_entry.screening.access_restriction, security_entry.screening.legal_basis) == (
        "24",
        services.SECURITY_BASIS,
    )
    assert breach_entry.case_file.primary_class is not None
    assert AuditEvent.objects.filter(action="security.deviation.report").count() == 2


def test_a_citizen_report_is_an_incoming_entry_with_the_reporter_screened(security) -> None:
    deviation = services.deviation_report_public(
        municipality=security.municipality,
        report=report(DeviationKind.OTHER),
        reporter_name=" Ola Innbygger ",
        reporter_email="ola@example.org",
    )
    entry = _entry(security, deviation.report_entry_system_id)
    assert entry.entry_type == "I"
    assert deviation.reporter is None
    assert deviation.reporter_name == "Ola Innbygger"
    assert deviation.source == "public"
    anonymous = services.deviation_report_public(municipality=security.municipality, report=report())
    assert anonymous.reporter_name == ""


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"kind": "fire"}, "kind", "unknown_kind"),
        ({"title": "  "}, "title", "required"),
        ({"discovered_at": timezone.now() + dt.timedelta(days=1)}, "discovered_at", "discovered_in_future"),
        ({"occurred_at": timezone.now()}, "occurred_at", "occurred_after_discovery"),
        ({"persons_affected": -1}, "persons_affected", "negative_count"),
    ],
)
def test_a_bad_report_is_refused_naming_its_field(security, changes, field, code) -> None:
    bad = report()
    bad = type(bad)(**{**bad.__dict__, **changes})
    with pytest.raises(ValidationError) as error:
        services.deviation_report(actor=security.case_worker, municipality=security.municipality, report=bad)
    assert (error.value.field, error.value.code) == (field, code)
    assert not Deviation.objects.exists()


def test_a_public_report_with_a_bad_address_or_without_intake_is_refused() -> None:
    municipality = MunicipalityFactory.create()
    with pytest.raises(ValidationError) as error:
        services.deviation_report_public(
            municipality=municipality, report=report(), reporter_email="ikke-epost"
        )
    assert error.value.field == "reporter_email"
    with pytest.raises(ConflictError) as closed:
        services.deviation_report_public(municipality=municipality, report=report())
    assert closed.value.code == "deviations_closed"


def test_without_an_open_series_no_report_is_taken() -> None:
    municipality = MunicipalityFactory.create()
    admin = staff(municipality, Role.ADMINISTRATOR)
    records_manager = staff(municipality, Role.RECORDS_MANAGER)
    services.security_settings_set(
        actor=admin, municipality=municipality, intake_user=records_manager, privacy_officer=None
    )
    with pytest.raises(ConflictError) as error:
        services.deviation_report(actor=admin, municipality=municipality, report=report())
    assert error.value.code == "no_open_series"


def test_settings_need_a_registering_intake_user_and_staff_as_privacy_officer(security) -> None:
    outsider = staff(MunicipalityFactory.create(), Role.ADMINISTRATOR)
    with pytest.raises(ValidationError) as error:
        services.security_settings_set(
            actor=security.admin,
            municipality=security.municipality,
            intake_user=security.admin,
            privacy_officer=None,
        )
    assert error.value.code == "intake_user_cannot_register"
    with pytest.raises(ValidationError) as error:
        services.security_settings_set(
            actor=security.admin,
            municipality=security.municipality,
            intake_user=None,
            privacy_officer=outsider,
        )
    assert (error.value.code, error.value.field) == ("not_staff", "privacy_officer")
    with pytest.raises(PermissionDeniedError):
        services.security_settings_set(
            actor=security.case_worker,
            municipality=security.municipality,
            intake_user=None,
            privacy_officer=None,
        )


def test_a_deviation_goes_received_assessed_measures_closed(security) -> None:
    deviation = deviation_for(security, DeviationKind.INFORMATION_SECURITY)
    due = timezone.localdate() + dt.timedelta(days=14)
    deviation = services.deviation_assess(
        actor=security.admin,
        municipality=security.municipality,
        deviation=deviation,
        owner=security.admin,
        due_date=due,
        assessment=" Svakt passord. ",
    )
    assert (deviation.state, deviation.owner, deviation.assessment) == (
        "assessed",
        security.admin,
        "Svakt passord.",
    )
    with pytest.raises(ConflictError) as error:
        services.deviation_assess(
            actor=security.admin,
            municipality=security.municipality,
            deviation=deviation,
            owner=security.admin,
            due_date=due,
            assessment="igjen",
        )
    assert error.value.code == "invalid_transition"
    deviation = services.deviation_measures_set(
        actor=security.admin, municipality=security.municipality, deviation=deviation, measures="Tofaktor"
    )
    deviation = services.deviation_close(
        actor=security.admin, municipality=security.municipality, deviation=deviation, closing_note="Innført."
    )
    assert deviation.state == "closed"
    assert deviation.closed_at is not None
    transitions = AuditEvent.objects.filter(action="security.deviation.transition").order_by("pk")
    assert [event.detail["til"] for event in transitions] == ["assessed", "measures", "closed"]


def test_steps_refuse_missing_text_past_deadlines_outsiders_and_other_municipalities(security) -> None:
    deviation = deviation_for(security, DeviationKind.OTHER)
    kwargs = {"actor": security.admin, "municipality": security.municipality, "deviation": deviation}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="Skriv vurderingen"):
        services.deviation_assess(**kwargs, owner=security.admin, due_date=tomorrow, assessment=" ")
    with pytest.raises(ValidationError) as error:
        services.deviation_assess(
            **kwargs,
            owner=security.admin,
            due_date=timezone.localdate() - dt.timedelta(days=1),
            assessment="x",
        )
    assert error.value.code == "due_in_past"
    with pytest.raises(ValidationError) as error:
        services.deviation_assess(
            **kwargs, owner=staff(MunicipalityFactory.create()), due_date=tomorrow, assessment="x"
        )
    assert error.value.field == "owner"
    with pytest.raises(PermissionDeniedError):
        services.deviation_assess(
            actor=security.case_worker,
            municipality=security.municipality,
            deviation=deviation,
            owner=security.admin,
            due_date=tomorrow,
            assessment="x",
        )
    other = security_for(MunicipalityFactory.create())
    with pytest.raises(NotFoundError):
        services.deviation_assess(
            actor=other.admin,
            municipality=other.municipality,
            deviation=deviation,
            owner=other.admin,
            due_date=tomorrow,
            assessment="x",
        )
    deviation = services.deviation_assess(**kwargs, owner=security.admin, due_date=tomorrow, assessment="x")
    kwargs["deviation"] = deviation
    with pytest.raises(ValidationError):
        services.deviation_measures_set(**kwargs, measures="")
    with pytest.raises(ValidationError):
        services.deviation_close(**kwargs, closing_note="")
    # Assessed straight to closed is allowed (nothing to do).
    assert services.deviation_close(**kwargs, closing_note="Ingen tiltak.").state == "closed"


def test_the_database_holds_the_rules_when_the_service_is_bypassed(security) -> None:
    deviation = deviation_for(security)
    for changes in (
        {"state": DeviationState.ASSESSED},  # no owner, deadline or assessment
        {"state": DeviationState.CLOSED},  # no closing time
        {"closed_at": timezone.now()},  # a closing time while open
        {"notify_authority": False},  # a decision without its reason
        {"reminders_sent": 3},
        {"kind": "fire"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Deviation.objects.filter(pk=deviation.pk).update(**changes)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deviation.objects.filter(pk=deviation.pk).update(
            state=DeviationState.CLOSED,
            closed_at=timezone.now(),
            owner=security.admin,
            due_date=timezone.localdate(),
            assessment="x",
        )  # a breach closed without the decision


def test_a_breach_closes_only_after_the_decision_which_is_archived(security) -> None:
    deviation = deviation_for(security)
    deviation = services.deviation_assess(
        actor=security.admin,
        municipality=security.municipality,
        deviation=deviation,
        owner=security.admin,
        due_date=timezone.localdate(),
        assessment="Konfidensialitetsbrudd, høy risiko for de registrerte.",
    )
    with pytest.raises(ConflictError) as error:
        services.deviation_close(
            actor=security.admin, municipality=security.municipality, deviation=deviation, closing_note="x"
        )
    assert error.value.code == "breach_decision_missing"
    notified_at = timezone.now()
    deviation = services.deviation_notification_decide(
        actor=security.admin,
        municipality=security.municipality,
        deviation=deviation,
        notify_authority=True,
        reason="Helseopplysninger om barn.",
        authority_notified_at=notified_at,
        persons_notified=True,
    )
    assert deviation.notify_authority is True
    assert deviation.decided_at is not None
    entry = _entry(security, deviation.decision_entry_system_id)
    assert entry.entry_type == "X"
    assert entry.case_file.system_id == deviation.case_system_id
    assert entry.screening.access_restriction == "13"
    with pytest.raises(ConflictError) as again:
        services.deviation_notification_decide(
            actor=security.admin,
            municipality=security.municipality,
            deviation=deviation,
            notify_authority=False,
            reason="x",
            persons_notified=True,
        )
    assert again.value.code == "already_decided"
    closed = services.deviation_close(
        actor=security.admin, municipality=security.municipality, deviation=deviation, closing_note="Meldt."
    )
    assert closed.state == "closed"


def test_a_late_decision_not_to_notify_needs_its_reasons(security) -> None:
    deviation = deviation_for(security, discovered_at=timezone.now() - dt.timedelta(hours=80))
    kwargs = {"actor": security.admin, "municipality": security.municipality, "deviation": deviation}
    with pytest.raises(ValidationError) as error:
        services.deviation_notification_decide(
            **kwargs, notify_authority=False, reason=" ", persons_notified=True
        )
    assert error.value.field == "reason"
    with pytest.raises(ValidationError) as error:
        services.deviation_notification_decide(
            **kwargs, notify_authority=False, reason="Lav risiko.", persons_notified=False
        )
    assert error.value.field == "persons_notified_reason"
    with pytest.raises(ValidationError) as error:
        services.deviation_notification_decide(
            **kwargs,
            notify_authority=False,
            reason="Lav risiko.",
            authority_notified_at=timezone.now(),
            persons_notified=True,
        )
    assert error.value.code == "notified_without_decision"
    decided = services.deviation_notification_decide(
        **kwargs,
        notify_authority=False,
        reason="Kryptert minnepinne, nøkkelen ikke på avveie.",
        persons_notified=False,
        persons_notified_reason="Ingen sannsynlig risiko.",
    )
    event = AuditEvent.objects.get(action="security.deviation.notification_decide")
    assert decided.notify_authority is False
    assert event.detail["etter_72_timer"] is True


def test_only_breaches_are_decided_on(security) -> None:
    deviation = deviation_for(security, DeviationKind.OTHER)
    with pytest.raises(ConflictError) as error:
        services.deviation_notification_decide(
            actor=security.admin,
            municipality=security.municipality,
            deviation=deviation,
            notify_authority=True,
            reason="x",
            persons_notified=True,
        )
    assert error.value.code == "not_a_breach"


def test_in_an_unclassified_series_the_case_has_no_class() -> None:
    from ekommune.archive import services as archive_services

    municipality = MunicipalityFactory.create()
    admin = staff(municipality, Role.ADMINISTRATOR)
    records_manager = staff(municipality, Role.RECORDS_MANAGER)
    fonds = archive_services.fonds_create(
        actor=records_manager,
        municipality=municipality,
        title="Arkiv",
        creator_id=municipality.organisation_number,
        creator_name=municipality.name,
    )
    archive_services.series_create(
        actor=records_manager, municipality=municipality, fonds=fonds, title="Sakarkiv"
    )
    services.security_settings_set(
        actor=admin, municipality=municipality, intake_user=records_manager, privacy_officer=None
    )
    deviation = services.deviation_report(actor=admin, municipality=municipality, report=report())
    case_file = archive_selectors.case_file_by_system_id(
        actor=records_manager, municipality=municipality, system_id=deviation.case_system_id
    )
    assert case_file is not None
    assert case_file.primary_class is None
