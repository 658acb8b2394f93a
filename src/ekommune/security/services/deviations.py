"""Every write of the security app: keyword-only, typed, one transaction each, permission first.

Deviations (avvik): a report from staff or the public becomes a deviation and, in the same
transaction, an archive case with the report as a screened registry entry (offl. § 13 when it may
concern persons, offl. § 24 third paragraph for information security); it moves received →
assessed → measures → closed; a personal-data breach carries the decision on notifying
Datatilsynet, archived as an entry of its own.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import selectors as core_selectors
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.security import reads
from ekommune.security.models import (
    TRANSITIONS,
    Deviation,
    DeviationKind,
    DeviationSource,
    DeviationState,
    ReadReview,
    SecuritySettings,
)
from ekommune.security.types import DeviationReport

# Screening of what a deviation archives. A report that may concern persons is subject to the
# duty of confidentiality; one about information security is exempt because access would make
# crime easier (offl. § 24 third paragraph).
PERSONS_BASIS = "Offl. § 13 jf. fvl. § 13"
SECURITY_BASIS = "Offl. § 24 tredje ledd"
DEVIATION_CLASS = "064"  # Informasjonsteknologi, in the municipal arkivnøkkel
_NUMBER_LOCK_NAMESPACE = 0x617676  # "avv": one numbering of deviations per municipality at a time
BREACH_HOURS = 72


def _screening(kind: str) -> archive_services.ScreeningInput:
    if kind == DeviationKind.INFORMATION_SECURITY:
        return archive_services.ScreeningInput(
            access_restriction="24",
            legal_basis=SECURITY_BASIS,
            screened_metadata=["TRO", "NA"],
            screened_document="H",
        )
    return archive_services.ScreeningInput(
        access_restriction="13",
        legal_basis=PERSONS_BASIS,
        screened_metadata=["TRO", "NA"],
        screened_document="H",
    )


# ------------------------------------------------------------------ settings


def security_settings_set(
    *, actor: Actor, municipality: Municipality, intake_user: User | None, privacy_officer: User | None
) -> SecuritySettings:
    """Who registers deviations in the archive, and who the privacy officer (personvernombud) is."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_MANAGE
    )
    if intake_user is not None and not core_services.permission_has(
        actor=intake_user, municipality=municipality, permission=Permission.ARCHIVE_REGISTER
    ):
        raise ValidationError(
            "Brukeren kan ikke journalføre i denne kommunen.",
            code="intake_user_cannot_register",
            field="intake_user",
        )
    _staff_required(municipality, privacy_officer, field="privacy_officer")
    with transaction.atomic():
        row, _ = SecuritySettings.objects.select_for_update().get_or_create(municipality=municipality)
        row.intake_user = intake_user
        row.privacy_officer = privacy_officer
        row.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="security.settings_set",
            object_type="sikkerhetsinnstillinger",
            object_id=row.pk,
            detail={
                "intake_user": intake_user.get_username() if intake_user else "",
                "privacy_officer": privacy_officer.get_username() if privacy_officer else "",
            },
        )
    return row


def _staff_required(municipality: Municipality, user: User | None, *, field: str) -> None:
    if user is not None and not core_selectors.staff_roles(user=user, municipality=municipality):
        raise ValidationError("Personen er ikke ansatt i kommunen.", code="not_staff", field=field)


# ------------------------------------------------------------------ reports


def deviation_report(*, actor: Actor, municipality: Municipality, report: DeviationReport) -> Deviation:
    """A member of staff reports a deviation (every staff role may)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_REPORT
    )
    assert isinstance(actor, User)
    return _deviation_create(
        municipality=municipality,
        report=report,
        source=DeviationSource.STAFF,
        reporter=actor,
        reporter_name=actor.get_full_name() or actor.get_username(),
        reporter_email=actor.email,
    )


def deviation_report_public(
    *, municipality: Municipality, report: DeviationReport, reporter_name: str = "", reporter_email: str = ""
) -> Deviation:
    """A citizen reports a deviation through the public form (no login; name and address optional)."""
    reporter_email = reporter_email.strip()
    if reporter_email:
        try:
            validate_email(reporter_email)
        except DjangoValidationError as error:
            raise ValidationError(
                "E-postadressen er ikke gyldig.", code="invalid_email", field="reporter_email"
            ) from error
    return _deviation_create(
        municipality=municipality,
        report=report,
        source=DeviationSource.PUBLIC,
        reporter=None,
        reporter_name=reporter_name.strip(),
        reporter_email=reporter_email,
    )


def _report_checked(report: DeviationReport, now: dt.datetime) -> None:
    if report.kind not in DeviationKind.values:
        raise ValidationError("Velg hva slags avvik det er.", code="unknown_kind", field="kind")
    for name in ("title", "description"):
        if not getattr(report, name).strip():
            raise ValidationError("Feltet må fylles ut.", code="required", field=name)
    if report.discovered_at > now:
        raise ValidationError(
            "Tidspunktet for oppdagelsen kan ikke være fram i tid.",
            code="discovered_in_future",
            field="discovered_at",
        )
    if report.occurred_at is not None and report.occurred_at > report.discovered_at:
        raise ValidationError(
            "Avviket kan ikke ha skjedd etter at det ble oppdaget.",
            code="occurred_after_discovery",
            field="occurred_at",
        )
    if report.persons_affected is not None and report.persons_affected < 0:
        raise ValidationError(
            "Antallet kan ikke være negativt.", code="negative_count", field="persons_affected"
        )


def _intake(municipality: Municipality) -> User:
    settings_row = SecuritySettings.objects.filter(municipality=municipality).first()
    intake = settings_row.intake_user if settings_row else None
    if intake is None:
        raise ConflictError(
            f"{municipality.name} tar ikke imot avviksmeldinger her ennå. Kontakt "
            f"{municipality.email or 'kommunens postmottak'}.",
            code="deviations_closed",
        )
    return intake


def _report_text(deviation: Deviation) -> str:
    lines = [
        f"Avviksmelding {deviation.number}",
        f"Type: {deviation.get_kind_display()}",
        f"Meldt av: {deviation.reporter_name or 'anonym'} ({deviation.get_source_display()})",
        f"Oppdaget: {timezone.localtime(deviation.discovered_at):%d.%m.%Y %H:%M}",
    ]
    if deviation.occurred_at:
        lines.append(f"Skjedde: {timezone.localtime(deviation.occurred_at):%d.%m.%Y %H:%M}")
    lines += [
        "",
        deviation.title,
        "",
        deviation.description,
        "",
        f"Systemer: {deviation.systems or '-'}",
        f"Opplysninger: {deviation.data_involved or '-'}",
        f"Berørte personer: {deviation.person_categories or '-'}"
        f" ({deviation.persons_affected if deviation.persons_affected is not None else 'ukjent antall'})",
        f"Strakstiltak: {deviation.immediate_measures or '-'}",
    ]
    return "\n".join(lines) + "\n"


def _deviation_create(
    *,
    municipality: Municipality,
    report: DeviationReport,
    source: str,
    reporter: User | None,
    reporter_name: str,
    reporter_email: str,
) -> Deviation:
    now = timezone.now()
    _report_checked(report, now)
    intake = _intake(municipality)
    series = archive_selectors.series_current(actor=intake, municipality=municipality)
    if series is None:
        raise ConflictError("Kommunen har ingen åpen arkivdel å registrere avvik i.", code="no_open_series")
    year = timezone.localdate(now).year
    with transaction.atomic():
        with connection.cursor() as cursor:  # two reports at once must not take the same number
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_NUMBER_LOCK_NAMESPACE, municipality.pk])
        last = Deviation.objects.filter(municipality=municipality, year=year).aggregate(n=Max("sequence"))[
            "n"
        ]
        deviation = Deviation(
            municipality=municipality,
            year=year,
            sequence=(last or 0) + 1,
            kind=report.kind,
            source=source,
            title=report.title.strip(),
            description=report.description.strip(),
            occurred_at=report.occurred_at,
            discovered_at=report.discovered_at,
            reported_at=now,
            systems=report.systems.strip(),
            data_involved=report.data_involved.strip(),
            person_categories=report.person_categories.strip(),
            persons_affected=report.persons_affected,
            immediate_measures=report.immediate_measures.strip(),
            reporter=reporter,
            reporter_name=reporter_name,
            reporter_email=reporter_email,
        )
        screening = _screening(report.kind)
        entry = archive_services.registry_entry_register(
            actor=intake,
            municipality=municipality,
            case_file=archive_services.NewCaseFile(
                series=series,
                title=f"Avvik {deviation.number} - {deviation.title}",
                public_title=f"Avvik {deviation.number}",
                administrative_unit="Informasjonssikkerhet",
                case_responsible=intake.get_full_name() or intake.get_username(),
                primary_class=archive_selectors.series_class_for_new_case(
                    municipality=municipality, series=series, preferred_class_id=DEVIATION_CLASS
                ),
                screening=archive_services.ScreeningInput(
                    access_restriction=screening.access_restriction,
                    legal_basis=screening.legal_basis,
                    screened_metadata=["TMO", "NPS"],
                ),
            ),
            entry_type="I" if source == DeviationSource.PUBLIC else "N",
            title=f"Avviksmelding - {deviation.title}",
            public_title="Avviksmelding",
            parties=[
                archive_services.PartyInput(
                    party_type="EA",
                    name=reporter_name or "Anonym melder",
                    email=reporter_email,
                )
            ],
            documents=[archive_services.DocumentInput.of_text("Avviksmelding", _report_text(deviation))],
            screening=screening,
        )
        deviation.case_system_id = entry.case_file.system_id
        deviation.report_entry_system_id = entry.system_id
        deviation.save()
        core_services.audit_event_record(
            actor=reporter,
            actor_label=None if reporter else "avviksskjema",
            municipality=municipality,
            action="security.deviation.report",
            object_type="avvik",
            object_id=deviation.pk,
            detail={"avvik": deviation.number, "type": deviation.kind, "kilde": source},
        )
    return deviation


# ------------------------------------------------------------------ the way through the register


def _transition(
    actor: Actor, municipality: Municipality, deviation: Deviation, to: str
) -> tuple[Deviation, str]:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_MANAGE
    )
    row = core_services.tenant_row_lock(Deviation, pk=deviation.pk, municipality=municipality)
    if to not in TRANSITIONS[row.state]:
        raise ConflictError(
            f"Avviket kan ikke gå fra «{row.get_state_display()}» til «{DeviationState(to).label}».",
            code="invalid_transition",
        )
    return row, row.state


def _transition_save(
    actor: Actor, municipality: Municipality, row: Deviation, before: str, to: str
) -> Deviation:
    """Save the row in its new state and record the step in the audit chain."""
    row.state = to
    row.save()
    core_services.audit_event_record(
        actor=actor,
        municipality=municipality,
        action="security.deviation.transition",
        object_type="avvik",
        object_id=row.pk,
        detail={"avvik": row.number, "fra": before, "til": to},
    )
    return row


def deviation_assess(
    *,
    actor: Actor,
    municipality: Municipality,
    deviation: Deviation,
    owner: User,
    due_date: dt.date,
    assessment: str,
) -> Deviation:
    """received → assessed: the deviation gets an owner, a deadline and an assessment."""
    with transaction.atomic():
        row, before = _transition(actor, municipality, deviation, DeviationState.ASSESSED)
        _staff_required(municipality, owner, field="owner")
        if not assessment.strip():
            raise ValidationError("Skriv vurderingen.", code="required", field="assessment")
        if due_date < timezone.localdate():
            raise ValidationError("Fristen kan ikke være passert.", code="due_in_past", field="due_date")
        row.owner, row.due_date, row.assessment = owner, due_date, assessment.strip()
        return _transition_save(actor, municipality, row, before, DeviationState.ASSESSED)


def deviation_measures_set(
    *, actor: Actor, municipality: Municipality, deviation: Deviation, measures: str
) -> Deviation:
    """assessed → measures: what is being done so that it does not happen again."""
    with transaction.atomic():
        row, before = _transition(actor, municipality, deviation, DeviationState.MEASURES)
        if not measures.strip():
            raise ValidationError("Skriv tiltakene.", code="required", field="measures")
        row.measures = measures.strip()
        return _transition_save(actor, municipality, row, before, DeviationState.MEASURES)


def deviation_close(
    *, actor: Actor, municipality: Municipality, deviation: Deviation, closing_note: str
) -> Deviation:
    """assessed or measures → closed. A personal-data breach closes only with its notification decision."""
    with transaction.atomic():
        row, before = _transition(actor, municipality, deviation, DeviationState.CLOSED)
        if row.kind == DeviationKind.PERSONAL_DATA_BREACH and row.notify_authority is None:
            raise ConflictError(
                "Et brudd på personopplysningssikkerheten lukkes først når beslutningen om å melde "
                "det til Datatilsynet er registrert.",
                code="breach_decision_missing",
            )
        if not closing_note.strip():
            raise ValidationError(
                "Skriv hvordan avviket ble avsluttet.", code="required", field="closing_note"
            )
        row.closing_note, row.closed_at = closing_note.strip(), timezone.now()
        return _transition_save(actor, municipality, row, before, DeviationState.CLOSED)


def deviation_notification_decide(
    *,
    actor: Actor,
    municipality: Municipality,
    deviation: Deviation,
    notify_authority: bool,
    reason: str,
    authority_notified_at: dt.datetime | None = None,
    persons_notified: bool,
    persons_notified_reason: str = "",
) -> Deviation:
    """The decision on a personal-data breach: notify Datatilsynet or not (GDPR art. 33) and why,
    and whether the affected persons are told (art. 34); archived in the deviation's case."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_MANAGE
    )
    with transaction.atomic():
        row = core_services.tenant_row_lock(Deviation, pk=deviation.pk, municipality=municipality)
        if row.kind != DeviationKind.PERSONAL_DATA_BREACH:
            raise ConflictError(
                "Bare brudd på personopplysningssikkerheten meldes til Datatilsynet.", code="not_a_breach"
            )
        if row.notify_authority is not None:
            raise ConflictError("Beslutningen er allerede registrert.", code="already_decided")
        if not reason.strip():
            raise ValidationError("Begrunn beslutningen.", code="required", field="reason")
        if authority_notified_at is not None and not notify_authority:
            raise ValidationError(
                "Et tidspunkt for meldingen hører bare til en beslutning om å melde.",
                code="notified_without_decision",
                field="authority_notified_at",
            )
        if not persons_notified and not persons_notified_reason.strip():
            raise ValidationError(
                "Begrunn hvorfor de berørte ikke varsles.",
                code="required",
                field="persons_notified_reason",
            )
        now = timezone.now()
        row.notify_authority = notify_authority
        row.notify_reason = reason.strip()
        row.authority_notified_at = authority_notified_at
        row.persons_notified = persons_notified
        row.persons_notified_reason = persons_notified_reason.strip()
        row.decided_at = now
        intake = _intake(municipality)
        case_file = archive_selectors.case_file_by_system_id(
            actor=intake, municipality=municipality, system_id=row.case_system_id
        )
        assert case_file is not None
        late = now - row.discovered_at > dt.timedelta(hours=BREACH_HOURS)
        text = (
            f"Beslutning om melding til Datatilsynet, {row.number}\n\n"
            f"Meldes til Datatilsynet: {'ja' if notify_authority else 'nei'}\n"
            f"Begrunnelse: {row.notify_reason}\n"
            + (
                f"Meldt: {timezone.localtime(authority_notified_at):%d.%m.%Y %H:%M}\n"
                if authority_notified_at
                else ""
            )
            + f"Berørte personer varsles: {'ja' if persons_notified else 'nei'}\n"
            + (f"Begrunnelse: {row.persons_notified_reason}\n" if row.persons_notified_reason else "")
            + ("Beslutningen ble tatt mer enn 72 timer etter at bruddet ble oppdaget.\n" if late else "")
        )
        entry = archive_services.registry_entry_register(
            actor=intake,
            municipality=municipality,
            case_file=case_file,
            entry_type="X",
            title=f"Beslutning om melding til Datatilsynet - {row.title}",
            public_title="Beslutning om melding til Datatilsynet",
            documents=[archive_services.DocumentInput.of_text("Beslutning om melding", text)],
            screening=_screening(row.kind),
        )
        row.decision_entry_system_id = entry.system_id
        row.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="security.deviation.notification_decide",
            object_type="avvik",
            object_id=row.pk,
            detail={
                "avvik": row.number,
                "meldes": notify_authority,
                "berorte_varsles": persons_notified,
                "etter_72_timer": late,
            },
        )
    return row


def breach_reminder_claim(*, deviation_id: int, stage: int) -> Deviation | None:
    """Mark reminder ``stage`` (1: 24 hours, 2: 48 hours) of a breach as sent, in the caller's
    transaction; None when it is already sent, the breach decided or closed, or another worker
    holds it. The task sends the e-mail inside the same transaction, so a failed send is retried."""
    row = (
        Deviation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            pk=deviation_id,
            kind=DeviationKind.PERSONAL_DATA_BREACH,
            notify_authority__isnull=True,
            reminders_sent__lt=stage,
        )
        .exclude(state=DeviationState.CLOSED)
        .select_related("municipality", "owner")
        .first()
    )
    if row is None:
        return None
    row.reminders_sent = stage
    row.save(update_fields=["reminders_sent"])
    core_services.audit_event_record(
        actor=None,
        actor_label="påminnelse",
        municipality=row.municipality,
        action="security.deviation.breach_reminder",
        object_type="avvik",
        object_id=row.pk,
        detail={"avvik": row.number, "timer": 24 * stage},
    )
    return row


# ------------------------------------------------------------------ read review (decision 0226)


def read_review_record(
    *, actor: Actor, municipality: Municipality, week_start: dt.date, outcome: str, note: str = ""
) -> ReadReview:
    """Record the review of a week's sample of reads: the week (its Monday, not in the future),
    the outcome, and a note (required when the reads are to be followed up). One per week."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_READ_REVIEW
    )
    if week_start.weekday() != 0:
        raise ValidationError("Uken må oppgis med mandagen sin.", code="not_a_monday", field="week_start")
    if week_start > timezone.localdate():
        raise ValidationError("Uken har ikke begynt ennå.", code="future_week", field="week_start")
    if outcome not in ReadReview.Outcome.values:
        raise ValidationError("Ukjent resultat.", code="invalid_choice", field="outcome")
    note = note.strip()
    if outcome == ReadReview.Outcome.FOLLOW_UP and not note:
        raise ValidationError("Skriv hva som skal følges opp.", code="note_required", field="note")
    week = reads.read_week(actor=actor, municipality=municipality, week_start=week_start)
    with transaction.atomic():
        if ReadReview.objects.filter(municipality=municipality, week_start=week_start).exists():
            raise ConflictError(
                "Denne uken er allerede kontrollert.", code="already_reviewed", field="week_start"
            )
        review = ReadReview.objects.create(
            municipality=municipality,
            week_start=week_start,
            reviewed_by=actor,  # type: ignore[misc]  # permission_require: a user with the right
            reviewed_at=timezone.now(),
            reads_in_week=week.reads_in_week,
            sample_size=len(week.sample),
            flagged=week.flagged,
            outcome=outcome,
            note=note,
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="security.read_review.record",
            object_type="lesekontroll",
            object_id=review.pk,
            detail={
                "uke": f"{week_start:%G-W%V}",
                "lesinger": week.reads_in_week,
                "stikkprover": len(week.sample),
                "flagget": week.flagged,
                "resultat": outcome,
            },
        )
    return review
