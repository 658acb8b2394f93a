"""Writes of the record of processing (GDPR art. 30) and of the DPIA checklists (art. 35).

``processing_record_prefill`` writes the activities ekommune itself performs for a municipality
(portal submissions, public journal, access requests, politics, participation); it is idempotent
and is run by the demo and by ``ekommune security prefill-processing <municipality>``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.security import rules
from ekommune.security.models import Article6Basis, Article9Basis, DpiaChecklist, ProcessingActivity
from ekommune.security.types import ProcessingInput

_REQUIRED = ("name", "purpose", "data_subject_categories", "data_categories", "retention")
_TEXT_FIELDS = (
    *_REQUIRED,
    "legal_basis_reference",
    "recipients",
    "transfers",
    "security_measures",
    "systems",
    "internal_note",
)


def _manage(actor: Actor, municipality: Municipality) -> None:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_MANAGE
    )


def _checked(data: ProcessingInput) -> None:
    for name in _REQUIRED:
        if not getattr(data, name).strip():
            raise ValidationError("Feltet må fylles ut.", code="required", field=name)
    if not data.legal_basis_art6:
        raise ValidationError("Velg minst ett rettslig grunnlag.", code="required", field="legal_basis_art6")
    if not set(data.legal_basis_art6) <= set(Article6Basis.values):
        raise ValidationError("Ukjent rettslig grunnlag.", code="unknown_basis", field="legal_basis_art6")
    if not set(data.legal_basis_art9) <= set(Article9Basis.values):
        raise ValidationError("Ukjent unntak.", code="unknown_basis", field="legal_basis_art9")
    if data.legal_basis_art9 and not data.legal_basis_reference.strip():
        raise ValidationError(
            "Særlige kategorier krever et supplerende rettsgrunnlag i lov eller forskrift.",
            code="reference_required",
            field="legal_basis_reference",
        )


def processing_activity_save(
    *,
    actor: Actor,
    municipality: Municipality,
    data: ProcessingInput,
    activity: ProcessingActivity | None = None,
    key: str = "",
) -> ProcessingActivity:
    """Create a processing activity, or change ``activity``, from what staff wrote."""
    _manage(actor, municipality)
    _checked(data)
    with transaction.atomic():
        if activity is None:
            row = ProcessingActivity(municipality=municipality, key=key)
        else:
            row = core_services.tenant_row_lock(ProcessingActivity, pk=activity.pk, municipality=municipality)
        for name in _TEXT_FIELDS:
            setattr(row, name, getattr(data, name).strip())
        row.legal_basis_art6 = sorted(set(data.legal_basis_art6))
        row.legal_basis_art9 = sorted(set(data.legal_basis_art9))
        row.published = data.published
        row.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="security.processing.save",
            object_type="behandling",
            object_id=row.pk,
            detail={"behandling": row.name, "ny": activity is None, "publisert": row.published},
        )
    return row


_PORTAL_SECURITY = (
    "Innlogging med ID-porten (nivå betydelig eller høyt), tilgangsstyring per rolle, kryptert "
    "overføring, revisjonslogg med hash-kjede, skjerming etter offentleglova, sikkerhetskopi."
)

# ekommune's own processing, written for every municipality that runs it (the municipality is the
# controller; it adjusts the text to its own routines).
OWN_PROCESSING: tuple[tuple[str, ProcessingInput], ...] = (
    (
        "portal-submissions",
        ProcessingInput(
            name="Innsendinger gjennom selvbetjeningsportalen",
            purpose="Ta imot og behandle søknader, meldinger og skjemaer som innbyggere og virksomheter "
            "sender inn, og gi kvittering og svar i digital postkasse.",
            legal_basis_art6=("c", "e"),
            legal_basis_art9=("g", "h"),
            legal_basis_reference="Forvaltningsloven, kommuneloven og særlovene for den enkelte tjenesten; "
            "arkivlova § 6.",
            data_subject_categories="Innbyggere og representanter for virksomheter som sender inn, og personer "
            "innsendingen gjelder.",
            data_categories="Navn, fødselsnummer, kontaktopplysninger, opplysningene i skjemaet og vedlegg; "
            "for noen tjenester helseopplysninger.",
            recipients="Saksbehandlere i kommunen; andre offentlige organer når loven krever det.",
            transfers="Ingen overføring til land utenfor EU/EØS.",
            retention="Arkiveres etter arkivlova og kommunens bevarings- og kassasjonsplan; utkast slettes "
            "etter 30 dager.",
            security_measures=_PORTAL_SECURITY,
            systems="ekommune portal og arkivkjerne (Noark 5), ID-porten",
            published=True,
        ),
    ),
    (
        "public-journal",
        ProcessingInput(
            name="Offentlig postjournal",
            purpose="Gjøre kommunens journal tilgjengelig for allmennheten slik offentleglova og "
            "offentlegforskrifta krever.",
            legal_basis_art6=("c",),
            legal_basis_reference="Offentleglova § 10 og offentlegforskrifta § 6 og § 7.",
            data_subject_categories="Avsendere og mottakere av brev til og fra kommunen.",
            data_categories="Navn på avsender og mottaker, dokumenttittel og dato. Skjermede opplysninger og "
            "fødselsnummer publiseres ikke.",
            recipients="Allmennheten (publisert på internett).",
            transfers="Ingen overføring til land utenfor EU/EØS.",
            retention="Navn på personer fjernes fra den publiserte journalen etter ett år "
            "(offentlegforskrifta § 7).",
            security_measures="Skjerming etter regel før publisering, søk uten fulltekst i skjermede felt.",
            systems="ekommune offentlig journal",
            published=True,
        ),
    ),
    (
        "access-requests",
        ProcessingInput(
            name="Innsynskrav",
            purpose="Behandle krav om innsyn i saksdokumenter og svare innen fristen.",
            legal_basis_art6=("c",),
            legal_basis_reference="Offentleglova § 28 og § 29.",
            data_subject_categories="Personer og virksomheter som ber om innsyn.",
            data_categories="Navn, e-postadresse, hvilke dokumenter kravet gjelder, og svaret.",
            recipients="Saksbehandlere og arkivet i kommunen.",
            transfers="Ingen overføring til land utenfor EU/EØS.",
            retention="Arkiveres etter arkivlova og bevarings- og kassasjonsplanen.",
            security_measures=_PORTAL_SECURITY,
            systems="ekommune offentlig journal og arkivkjerne",
            published=True,
        ),
    ),
    (
        "politics",
        ProcessingInput(
            name="Politiske saker, møter og vedtak",
            purpose="Forberede, gjennomføre og publisere møter i folkevalgte organer, med sakskart, "
            "protokoller og videoopptak.",
            legal_basis_art6=("c", "e"),
            legal_basis_reference="Kommuneloven kapittel 11 (saksbehandling i folkevalgte organer).",
            data_subject_categories="Folkevalgte, innbyggere og parter som nevnes i sakene.",
            data_categories="Navn og rolle for folkevalgte, innhold i saksframlegg og vedtak, opptak av møter.",
            recipients="Allmennheten for åpne møter; folkevalgte og administrasjonen.",
            transfers="Ingen overføring til land utenfor EU/EØS.",
            retention="Arkiveres for varig bevaring etter arkivlova.",
            security_measures=_PORTAL_SECURITY,
            systems="ekommune politikk og arkivkjerne",
            published=True,
        ),
    ),
    (
        "participation",
        ProcessingInput(
            name="Innbyggermedvirkning: høringer, spørsmål, forslag og undersøkelser",
            purpose="Ta imot innspill, spørsmål til folkevalgte, innbyggerforslag og svar på undersøkelser, "
            "og bruke dem i saksbehandlingen.",
            legal_basis_art6=("e",),
            legal_basis_reference="Kommuneloven §§ 12-1 og 12-2, plan- og bygningsloven § 5-1.",
            data_subject_categories="Innbyggere og virksomheter som deltar.",
            data_categories="Navn, kontaktopplysninger og innholdet i innspillet; svar på undersøkelser "
            "uten navn.",
            recipients="Saksbehandlere og folkevalgte; innspill til høringer publiseres.",
            transfers="Ingen overføring til land utenfor EU/EØS.",
            retention="Arkiveres etter arkivlova; svar på undersøkelser slettes når rapporten er skrevet.",
            security_measures=_PORTAL_SECURITY,
            systems="ekommune medvirkning og arkivkjerne",
            published=True,
        ),
    ),
)


def processing_record_prefill(*, actor: Actor, municipality: Municipality) -> list[ProcessingActivity]:
    """The activities ekommune performs, written into the municipality's record where missing;
    the ones written (an activity already there is left as the municipality has it)."""
    _manage(actor, municipality)
    present = set(
        ProcessingActivity.objects.filter(municipality=municipality)
        .exclude(key="")
        .values_list("key", flat=True)
    )
    with transaction.atomic():
        return [
            processing_activity_save(actor=actor, municipality=municipality, data=data, key=key)
            for key, data in OWN_PROCESSING
            if key not in present
        ]


def dpia_checklist_record(
    *,
    actor: Actor,
    municipality: Municipality,
    activity: ProcessingActivity,
    answers: Mapping[str, bool],
    on_authority_list: bool,
    reasoning: str,
) -> DpiaChecklist:
    """Record the DPIA checklist of an activity: the answers to the nine criteria and whether it is
    on Datatilsynet's list; the outcome (DPIA required or not) follows from them."""
    _manage(actor, municipality)
    core_services.tenant_object_check(activity, municipality=municipality, field="activity")
    assert isinstance(actor, User)
    try:
        met = rules.dpia_criteria_met(answers)
    except ValueError as error:
        raise ValidationError("Svar ja eller nei på alle kriteriene.", code="incomplete_answers") from error
    if not reasoning.strip():
        raise ValidationError("Begrunn vurderingen.", code="required", field="reasoning")
    required = rules.dpia_required(criteria_met=met, on_authority_list=on_authority_list)
    with transaction.atomic():
        checklist = DpiaChecklist.objects.create(
            municipality=municipality,
            activity=activity,
            answers=dict(answers),
            on_authority_list=on_authority_list,
            criteria_met=met,
            dpia_required=required,
            reasoning=reasoning.strip(),
            assessed_at=timezone.now(),
            assessed_by=actor,
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="security.dpia.checklist",
            object_type="behandling",
            object_id=activity.pk,
            detail={"behandling": activity.name, "kriterier": met, "dpia_pakrevd": required},
        )
    return checklist


def dpia_complete(
    *,
    actor: Actor,
    municipality: Municipality,
    checklist: DpiaChecklist,
    summary: str,
    high_residual_risk: bool,
) -> DpiaChecklist:
    """The required DPIA is done: its conclusion, and whether a high risk remains (then Datatilsynet
    must be consulted before the processing starts, art. 36)."""
    _manage(actor, municipality)
    with transaction.atomic():
        row = core_services.tenant_row_lock(DpiaChecklist, pk=checklist.pk, municipality=municipality)
        if not row.dpia_required:
            raise ConflictError("Sjekklisten krever ingen DPIA.", code="dpia_not_required")
        if row.completed_at is not None:
            raise ConflictError("DPIA-en er allerede registrert som gjennomført.", code="already_completed")
        if not summary.strip():
            raise ValidationError("Skriv konklusjonen.", code="required", field="summary")
        row.dpia_summary, row.high_residual_risk, row.completed_at = (
            summary.strip(),
            high_residual_risk,
            timezone.now(),
        )
        row.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="security.dpia.complete",
            object_type="behandling",
            object_id=row.activity_id,
            detail={"hoy_restrisiko": high_residual_risk},
        )
    return row
