"""Demo deviations per municipality, written through the services: one in each state of the
register, among them a personal-data breach discovered 50 hours ago and still undecided (the
register shows the 72-hour deadline; the scheduler has sent both reminders once it runs).

Found and called by ``ekommune demo load`` (``core.demo.app_demo_loaders``) after the archive's
demo; idempotent: a municipality that already has security settings is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.core import selectors as core_selectors
from ekommune.core.models import Municipality, User
from ekommune.core.readlog import VIA_PAGE, reads_batched
from ekommune.security import selectors, services
from ekommune.security.models import DeviationKind
from ekommune.security.rules import DPIA_CRITERION_KEYS
from ekommune.security.types import DeviationReport, MeasureInput, ThreatInput


def _user(municipality: Municipality, role: str) -> User | None:
    return core_selectors.user_active_by_username(username=f"{municipality.slug}.{role}")


def _report(kind: str, title: str, description: str, hours_ago: float, **details: object) -> DeviationReport:
    discovered = timezone.now() - dt.timedelta(hours=hours_ago)
    return DeviationReport(
        kind=kind,
        title=title,
        description=description,
        discovered_at=discovered,
        occurred_at=discovered - dt.timedelta(hours=3),
        **details,  # type: ignore[arg-type]
    )


def demo_load(municipalities: list[Municipality]) -> list[str]:
    created: list[str] = []
    for municipality in municipalities:
        if selectors.security_settings(municipality=municipality) is not None:
            continue
        admin, records_manager = _user(municipality, "admin"), _user(municipality, "arkivar")
        reporter, officer = _user(municipality, "saksbehandler"), _user(municipality, "leder")
        if admin is None or records_manager is None or reporter is None or officer is None:
            continue
        services.security_settings_set(
            actor=admin, municipality=municipality, intake_user=records_manager, privacy_officer=officer
        )
        today = timezone.localdate()

        # received: a breach discovered 50 hours ago, past both reminders, not yet decided
        services.deviation_report(
            actor=reporter,
            municipality=municipality,
            report=_report(
                DeviationKind.PERSONAL_DATA_BREACH,
                "Klasseliste med helseopplysninger sendt til feil foresatt",
                "En e-post med klasselisten for 5B, med merknader om allergier og tilrettelegging, ble "
                "sendt til en foresatt i en annen klasse.",
                50,
                systems="E-post, oppvekstadministrativt system",
                data_involved="Navn, klasse, helseopplysninger (allergier)",
                person_categories="Elever",
                persons_affected=26,
                immediate_measures="Mottakeren er bedt om å slette e-posten og har bekreftet det.",
            ),
        )
        # assessed
        assessed = services.deviation_report(
            actor=reporter,
            municipality=municipality,
            report=_report(
                DeviationKind.INFORMATION_SECURITY,
                "Delt passord til fagsystem på en lapp",
                "Et passord til byggesaksystemet hang på en lapp på en skjerm i ekspedisjonen.",
                200,
                systems="Byggesaksystem",
            ),
        )
        services.deviation_assess(
            actor=admin,
            municipality=municipality,
            deviation=assessed,
            owner=admin,
            due_date=today + dt.timedelta(days=14),
            assessment="Lav sannsynlighet for misbruk; passordet er byttet.",
        )
        # measures
        measures = services.deviation_report(
            actor=reporter,
            municipality=municipality,
            report=_report(
                DeviationKind.OTHER,
                "Ulåst arkivrom",
                "Døren til fjernarkivet i kjelleren sto ulåst over en helg.",
                400,
            ),
        )
        measures = services.deviation_assess(
            actor=admin,
            municipality=municipality,
            deviation=measures,
            owner=admin,
            due_date=today + dt.timedelta(days=30),
            assessment="Ingen tegn til at noen har vært inne.",
        )
        services.deviation_measures_set(
            actor=admin,
            municipality=municipality,
            deviation=measures,
            measures="Kortleser på døren; vaktmester sjekker fredag ettermiddag.",
        )
        # closed: a breach, decided and notified
        closed = services.deviation_report(
            actor=reporter,
            municipality=municipality,
            report=_report(
                DeviationKind.PERSONAL_DATA_BREACH,
                "Bærbar PC stjålet fra bil",
                "En bærbar PC med kryptert disk ble stjålet fra en tjenestebil.",
                900,
                systems="Bærbar PC (BitLocker)",
                data_involved="Lokale kopier av e-post",
                person_categories="Ansatte, innbyggere",
                persons_affected=40,
                immediate_measures="PC-en er sperret og fjernslettet fra sentral administrasjon.",
            ),
        )
        closed = services.deviation_assess(
            actor=admin,
            municipality=municipality,
            deviation=closed,
            owner=admin,
            due_date=today,
            assessment="Disken er kryptert; lav risiko for de registrerte.",
        )
        closed = services.deviation_notification_decide(
            actor=admin,
            municipality=municipality,
            deviation=closed,
            notify_authority=False,
            reason="Disken er kryptert og nøkkelen er ikke på avveie: bruddet medfører neppe en risiko.",
            persons_notified=False,
            persons_notified_reason="Ingen sannsynlig risiko for de berørte.",
        )
        services.deviation_close(
            actor=admin,
            municipality=municipality,
            deviation=closed,
            closing_note="Politianmeldt. Ingen videre tiltak.",
        )
        created.append(f"deviation register of {municipality.name} (4 deviations)")
    for municipality in municipalities:
        created += _risk_and_processing(municipality)
        created += _demo_reads(municipality)
    return created


def _risk_and_processing(municipality: Municipality) -> list[str]:
    """Two ROS (one approved with done measures, one a draft) and the record of processing with a
    DPIA checklist; skipped when the municipality already has a ROS."""
    admin, officer = _user(municipality, "admin"), _user(municipality, "leder")
    if (
        admin is None
        or officer is None
        or selectors.risk_assessment_list(actor=admin, municipality=municipality)
    ):
        return []
    today = timezone.localdate()
    portal = services.risk_assessment_create(
        actor=admin,
        municipality=municipality,
        asset_name="Selvbetjeningsportalen",
        asset_kind="service",
        owner_id=admin.pk,
        scope="Portalen med skjemaer, innsendinger og digital postkasse, med innlogging gjennom ID-porten.",
    )
    threats = [
        (
            "Innsending vises for feil innbygger",
            "Feil i tilgangskontroll gir innsyn i andres saker.",
            2,
            5,
            3,
            1,
        ),
        ("Tjenesten er nede i en søknadsfrist", "Driftsstans eller overbelastning.", 3, 1, 1, 4),
        ("Vedlegg med skadevare", "Innbygger laster opp en infisert fil.", 3, 3, 4, 3),
        ("Kontoovertakelse av saksbehandler", "Phishing gir en angriper tilgang til innboksen.", 3, 5, 4, 2),
    ]
    rows = [
        services.threat_add(
            actor=admin,
            municipality=municipality,
            assessment=portal,
            threat=ThreatInput(
                title=title,
                description=description,
                likelihood=likelihood,
                confidentiality=c,
                integrity=i,
                availability=a,
            ),
        )
        for title, description, likelihood, c, i, a in threats
    ]
    done = services.measure_add(
        actor=admin,
        municipality=municipality,
        threat=rows[3],
        measure=MeasureInput(
            description="Tofaktorinnlogging for alle saksbehandlere",
            owner_id=admin.pk,
            due_date=today + dt.timedelta(days=30),
            reduces_likelihood=2,
        ),
    )
    services.measure_add(
        actor=admin,
        municipality=municipality,
        threat=rows[2],
        measure=MeasureInput(
            description="Virusskanning av vedlegg før de når innboksen",
            owner_id=officer.pk,
            due_date=today + dt.timedelta(days=90),
            reduces_likelihood=1,
            reduces_consequence=1,
        ),
    )
    services.measure_status_set(actor=admin, municipality=municipality, measure=done, status="done")
    services.risk_assessment_approve(actor=admin, municipality=municipality, assessment=portal)

    journal = services.risk_assessment_create(
        actor=admin,
        municipality=municipality,
        asset_name="Publisering av offentlig journal",
        asset_kind="process",
        owner_id=officer.pk,
    )
    for title, likelihood, c, i, a in [
        ("Skjermet opplysning publiseres", 2, 5, 2, 1),
        ("Fødselsnummer i dokumenttittel", 3, 4, 1, 1),
        ("Journalen er utilgjengelig", 2, 1, 1, 2),
    ]:
        services.threat_add(
            actor=admin,
            municipality=municipality,
            assessment=journal,
            threat=ThreatInput(
                title=title, likelihood=likelihood, confidentiality=c, integrity=i, availability=a
            ),
        )

    activities = services.processing_record_prefill(actor=admin, municipality=municipality)
    submissions = next(activity for activity in activities if activity.key == "portal-submissions")
    services.dpia_checklist_record(
        actor=admin,
        municipality=municipality,
        activity=submissions,
        answers={
            key: key in {"sensitive_data", "large_scale", "vulnerable_subjects"}
            for key in DPIA_CRITERION_KEYS
        },
        on_authority_list=False,
        reasoning="Helseopplysninger i noen skjemaer, mange innbyggere, også barn og pasienter.",
    )
    return [
        f"risk assessments and record of processing of {municipality.name} (2 ROS, {len(activities)} activities)"
    ]


def _demo_reads(municipality: Municipality) -> list[str]:
    """A week's reads to sample on the review page (``ansatt/sikkerhet/lesing/``): the case worker
    and the records manager open the newest files, and the political secretary opens two, which
    are outside the cases and unit that user handles and so are flagged. Read through the archive
    as staff read, so each read is logged (decision 0226); skipped when the log has reads."""
    admin = _user(municipality, "admin")
    readers = [_user(municipality, name) for name in ("saksbehandler", "arkivar", "politikk")]
    if admin is None or None in readers:
        return []
    if core_selectors.read_events(actor=admin, municipality=municipality).exists():
        return []
    files = archive_selectors.document_files_latest(actor=admin, municipality=municipality, limit=12)
    plan = [(readers[0], files[:8]), (readers[1], files[:12:2]), (readers[2], files[:2])]
    count = 0
    with reads_batched(via=VIA_PAGE):
        for reader, chosen in plan:
            for system_id in chosen:
                archive_selectors.document_object_open_by_system_id(
                    actor=reader, municipality=municipality, system_id=system_id
                ).close()
                count += 1
    return [f"read log of {municipality.name} ({count} reads to review)"] if count else []
