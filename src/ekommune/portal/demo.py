"""Demo of the portal per municipality: five services with their forms, letter templates, and
the system account that registers submissions. Found and called by ``ekommune demo load``
(``core.demo.app_demo_loaders``) after the archive's demo; idempotent.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ekommune.core import selectors as core_selectors
from ekommune.core.models import Municipality
from ekommune.portal import selectors, services
from ekommune.portal.models import AssuranceLevel, FormDefinition, LifeEvent, Service, Topic

NAME = {"key": "navn", "type": "text", "label": "Navn", "required": True, "prefill": "name"}
PID = {"key": "fodselsnummer", "type": "nin", "label": "Fødselsnummer", "required": True, "prefill": "pid"}
EMAIL = {
    "key": "epost",
    "type": "email",
    "label": "E-post",
    "required": True,
    "help": "Kvitteringen og varsler sendes hit.",
}
PHONE = {"key": "telefon", "type": "phone", "label": "Telefon"}
ADDRESS = {"key": "adresse", "type": "address", "label": "Adresse", "required": True}

FORMS: dict[str, dict[str, Any]] = {
    "skoleskyss": {
        "title": "Søknad om skoleskyss",
        "introduction": "Elever i 1. klasse med over 2 km skolevei og elever i 2.–10. klasse med over 4 km har rett til gratis skyss.",
        "fields": [
            NAME,
            PID,
            EMAIL,
            {
                "key": "elever",
                "type": "group",
                "label": "Elev",
                "min": 1,
                "max": 6,
                "fields": [
                    {"key": "navn", "type": "text", "label": "Elevens navn", "required": True},
                    {
                        "key": "fodselsnummer",
                        "type": "nin",
                        "label": "Elevens fødselsnummer",
                        "required": True,
                    },
                    {"key": "skole", "type": "text", "label": "Skole", "required": True},
                    {
                        "key": "trinn",
                        "type": "number",
                        "label": "Trinn",
                        "required": True,
                        "min": 1,
                        "max": 10,
                    },
                ],
            },
            {
                "key": "avstand",
                "type": "number",
                "label": "Skoleveiens lengde (km)",
                "required": True,
                "min": 0,
                "max": 100,
            },
            {
                "key": "grunn",
                "type": "choice",
                "label": "Grunnlag for søknaden",
                "required": True,
                "options": [
                    {"value": "avstand", "label": "Lang skolevei"},
                    {"value": "farlig", "label": "Særlig farlig eller vanskelig skolevei"},
                    {"value": "helse", "label": "Funksjonsnedsettelse eller skade"},
                ],
            },
            {
                "key": "begrunnelse",
                "type": "longtext",
                "label": "Beskriv hvorfor skoleveien er farlig",
                "show_if": {"field": "grunn", "equals": "farlig"},
            },
            {
                "key": "legeerklaering",
                "type": "file",
                "label": "Legeerklæring",
                "show_if": {"field": "grunn", "equals": "helse"},
                "accept": ["application/pdf", "image/jpeg", "image/png"],
            },
        ],
    },
    "barnehageplass": {
        "title": "Søknad om barnehageplass",
        "introduction": "Hovedopptaket har søknadsfrist 1. mars. Barn som fyller ett år innen utgangen av november har rett til plass.",
        "fields": [
            NAME,
            PID,
            EMAIL,
            PHONE,
            ADDRESS,
            {"key": "barnets_navn", "type": "text", "label": "Barnets navn", "required": True},
            {
                "key": "barnets_fodselsnummer",
                "type": "nin",
                "label": "Barnets fødselsnummer",
                "required": True,
            },
            {"key": "oppstart", "type": "date", "label": "Ønsket oppstart", "required": True},
            {
                "key": "barnehager",
                "type": "multichoice",
                "label": "Ønskede barnehager",
                "required": True,
                "options": ["Fjellvegen barnehage", "Sjøkanten barnehage", "Lia familiebarnehage"],
            },
            {
                "key": "oppholdstid",
                "type": "choice",
                "label": "Oppholdstid",
                "required": True,
                "options": [
                    {"value": "100", "label": "Hel plass (5 dager)"},
                    {"value": "60", "label": "3 dager"},
                ],
            },
            {"key": "sosken", "type": "yesno", "label": "Har barnet søsken i barnehagen?"},
            {
                "key": "sosken_navn",
                "type": "text",
                "label": "Søskens navn",
                "show_if": {"field": "sosken", "equals": "yes"},
            },
        ],
    },
    "feil-pa-vei": {
        "title": "Meld feil på kommunal vei",
        "introduction": "Hull i veien, skadde skilt, manglende brøyting eller gatelys som ikke virker.",
        "fields": [
            NAME,
            EMAIL,
            {
                "key": "type",
                "type": "choice",
                "label": "Hva gjelder det?",
                "required": True,
                "options": [
                    {"value": "hull", "label": "Hull eller skade i veien"},
                    {"value": "skilt", "label": "Skilt"},
                    {"value": "lys", "label": "Gatelys"},
                    {"value": "broyting", "label": "Brøyting og strøing"},
                ],
            },
            {
                "key": "sted",
                "type": "text",
                "label": "Hvor er feilen?",
                "required": True,
                "help": "Veinavn og nærmeste husnummer.",
            },
            {
                "key": "beskrivelse",
                "type": "longtext",
                "label": "Beskrivelse",
                "required": True,
                "max_length": 2000,
            },
            {
                "key": "bilde",
                "type": "file",
                "label": "Bilde",
                "accept": ["image/jpeg", "image/png"],
                "max_size": 5242880,
            },
        ],
    },
    "enkel-byggesak": {
        "title": "Søknad om tiltak uten ansvarsrett",
        "introduction": "For mindre tiltak som tilbygg inntil 50 m², garasje inntil 70 m² og fasadeendring (pbl. § 20-4).",
        "fields": [
            NAME,
            PID,
            EMAIL,
            {
                "key": "eiendom",
                "type": "text",
                "label": "Gårds- og bruksnummer",
                "required": True,
                "help": "For eksempel 12/34.",
            },
            ADDRESS,
            {
                "key": "tiltak",
                "type": "choice",
                "label": "Tiltakstype",
                "required": True,
                "options": [
                    {"value": "tilbygg", "label": "Tilbygg"},
                    {"value": "garasje", "label": "Garasje, uthus, carport"},
                    {"value": "fasade", "label": "Fasadeendring"},
                    {"value": "riving", "label": "Riving"},
                ],
            },
            {
                "key": "areal",
                "type": "number",
                "label": "Bruksareal (m²)",
                "required": True,
                "min": 0,
                "max": 70,
            },
            {"key": "dispensasjon", "type": "yesno", "label": "Søker du om dispensasjon?", "required": True},
            {
                "key": "dispensasjon_begrunnelse",
                "type": "longtext",
                "label": "Begrunnelse for dispensasjon",
                "required": True,
                "show_if": {"field": "dispensasjon", "equals": "yes"},
            },
            {
                "key": "situasjonsplan",
                "type": "file",
                "label": "Situasjonsplan",
                "required": True,
                "accept": ["application/pdf"],
            },
            {
                "key": "tegninger",
                "type": "file",
                "label": "Tegninger",
                "accept": ["application/pdf", "image/png", "image/jpeg"],
            },
        ],
    },
    "skjenkebevilling": {
        "title": "Søknad om skjenkebevilling",
        "introduction": "Alminnelig bevilling for skjenking av alkohol etter alkoholloven § 1-7.",
        "fields": [
            NAME,
            PID,
            EMAIL,
            PHONE,
            {
                "key": "foretak",
                "type": "orgnr",
                "label": "Foretakets organisasjonsnummer",
                "required": True,
                "prefill": "organisation_number",
            },
            {"key": "skjenkested", "type": "text", "label": "Skjenkestedets navn", "required": True},
            ADDRESS,
            {
                "key": "grupper",
                "type": "multichoice",
                "label": "Alkoholgrupper",
                "required": True,
                "options": [
                    {"value": "1", "label": "Gruppe 1 (2,5–4,7 %)"},
                    {"value": "2", "label": "Gruppe 2 (4,7–22 %)"},
                    {"value": "3", "label": "Gruppe 3 (22–60 %)"},
                ],
            },
            {
                "key": "styrer",
                "type": "group",
                "label": "Styrer og stedfortreder",
                "min": 2,
                "max": 2,
                "fields": [
                    {"key": "navn", "type": "text", "label": "Navn", "required": True},
                    {"key": "fodselsnummer", "type": "nin", "label": "Fødselsnummer", "required": True},
                ],
            },
            {
                "key": "kunnskapsprove",
                "type": "file",
                "label": "Bevis for bestått kunnskapsprøve",
                "required": True,
            },
        ],
    },
}

SERVICES: tuple[dict[str, Any], ...] = (
    {
        "slug": "skoleskyss",
        "title": "Skoleskyss",
        "summary": "Søk om gratis skoleskyss for elever med lang, farlig eller vanskelig skolevei.",
        "description": "Kommunen vurderer søknaden og sender den videre til fylkeskommunens skyssetat når eleven har rett til skyss.",
        "who_may_apply": "Foreldre eller foresatte til elever i grunnskolen.",
        "price": "Gratis",
        "processing_time": "3 uker",
        "legal_basis": "Opplæringsloven § 7-1",
        "contact": "Oppvekst, telefon 55 00 00 10",
        "life_event": LifeEvent.SCHOOL,
        "topic": Topic.SCHOOL,
        "administrative_unit": "Oppvekst",
        "class_id": "B13",
    },
    {
        "slug": "barnehageplass",
        "title": "Barnehageplass",
        "summary": "Søk om plass i kommunal eller privat barnehage.",
        "description": "Søknaden gjelder både kommunale og private barnehager i kommunen. Du kan ønske inntil tre barnehager.",
        "who_may_apply": "Foreldre eller foresatte som bor i kommunen.",
        "price": "Makspris for hel plass; redusert pris etter inntekt",
        "processing_time": "Svar innen 1. mai ved hovedopptaket",
        "legal_basis": "Barnehageloven § 16",
        "contact": "Barnehagekontoret, telefon 55 00 00 20",
        "life_event": LifeEvent.CHILDREN,
        "topic": Topic.KINDERGARTEN,
        "administrative_unit": "Oppvekst",
        "class_id": "A20",
    },
    {
        "slug": "feil-pa-vei",
        "title": "Melde feil på kommunal vei",
        "summary": "Meld fra om hull i veien, skilt, gatelys eller brøyting på kommunale veier.",
        "description": "Gjelder kommunale veier. Feil på riks- og fylkesveier meldes til Statens vegvesen eller fylkeskommunen.",
        "who_may_apply": "Alle.",
        "price": "Gratis",
        "processing_time": "Akutte feil utbedres straks; andre innen 14 dager",
        "legal_basis": "Veglova § 20",
        "contact": "Teknisk drift, vakttelefon 55 00 00 30",
        "life_event": LifeEvent.DAILY,
        "topic": Topic.ROADS,
        "administrative_unit": "Teknisk drift",
        "class_id": "N01",
    },
    {
        "slug": "enkel-byggesak",
        "title": "Byggesøknad uten ansvarsrett",
        "summary": "Søk om mindre tiltak du kan stå for selv: tilbygg, garasje, fasadeendring, riving.",
        "description": "Tiltaket må være i samsvar med plan og regelverk. Naboer skal varsles før du sender søknaden.",
        "who_may_apply": "Eier eller fester av eiendommen.",
        "price": "Gebyr etter kommunens gebyrregulativ (fra kr 6 500)",
        "processing_time": "3 uker (12 uker ved dispensasjon)",
        "legal_basis": "Plan- og bygningsloven § 20-4",
        "contact": "Byggesak, telefon 55 00 00 40",
        "life_event": LifeEvent.HOUSING,
        "topic": Topic.BUILDING,
        "administrative_unit": "Plan og bygg",
        "class_id": "L42",
    },
    {
        "slug": "skjenkebevilling",
        "title": "Skjenkebevilling",
        "summary": "Søk om alminnelig bevilling til å skjenke øl, vin og brennevin.",
        "description": "Kommunestyret avgjør søknaden etter uttalelse fra politi og skatteetat.",
        "who_may_apply": "Foretak som skal drive skjenkestedet.",
        "price": "Bevillingsgebyr etter omsatt mengde; minst kr 6 000 per år",
        "processing_time": "Inntil 3 måneder",
        "legal_basis": "Alkoholloven § 1-7",
        "contact": "Næring, telefon 55 00 00 50",
        "life_event": LifeEvent.BUSINESS,
        "topic": Topic.PERMITS,
        "administrative_unit": "Næring",
        "class_id": "U63",
        "required_level": AssuranceLevel.HIGH,
    },
)

LETTER_TEMPLATES = (
    (
        "Bekreftelse på mottak",
        "Vi har mottatt søknaden din – {tjeneste}",
        "Hei {navn}!\n\nVi har mottatt søknaden din og begynt å behandle den. "
        "Saken har saksnummer {saksnummer}. Oppgi dette når du kontakter oss.\n\n"
        "Du hører fra oss når saken er avgjort.",
    ),
    (
        "Vedtak – innvilget",
        "Vedtak: {tjeneste}",
        "Hei {navn}!\n\nSøknaden din i sak {saksnummer} er innvilget.\n\n"
        "Du kan klage på vedtaket innen tre uker etter at du mottok dette brevet (forvaltningsloven § 29).",
    ),
)


def _admin(municipality: Municipality) -> Any:
    return core_selectors.user_active_by_username(username=f"{municipality.slug}.admin")


@transaction.atomic
def demo_load(municipalities: list[Municipality]) -> list[str]:
    created: list[str] = []
    for municipality in municipalities:
        if Service.objects.filter(municipality=municipality).exists():
            continue
        admin = _admin(municipality)
        if admin is None:
            continue
        created += load_demo(municipality, actor=admin)
    return created


def load_demo(municipality: Municipality, *, actor: Any = None) -> list[str]:
    """The portal demo of one municipality (needs its administrator and the archive's demo)."""
    actor = actor or _admin(municipality)
    if actor is None or Service.objects.filter(municipality=municipality).exists():
        return []
    services.portal_system_user_ensure(actor=actor, municipality=municipality)
    forms_qs, series_qs, classes_qs = selectors.service_choices(actor=actor, municipality=municipality)
    series = series_qs.filter(classification_system__isnull=False).order_by("pk").first()
    classes = (
        {c.class_id: c for c in classes_qs.filter(classification_system_id=series.classification_system_id)}
        if series is not None
        else {}
    )
    for slug, definition in FORMS.items():
        if not forms_qs.filter(slug=slug).exists():
            services.form_definition_create(
                actor=actor,
                municipality=municipality,
                slug=slug,
                title=definition["title"],
                definition=definition,
            )
    for spec in SERVICES:
        values = {key: value for key, value in spec.items() if key != "class_id"}
        services.service_create(
            actor=actor,
            municipality=municipality,
            values={
                **values,
                "is_published": True,
                "form": FormDefinition.objects.get(municipality=municipality, slug=spec["slug"]),
                "archive_series": series,
                "archive_class": classes.get(spec["class_id"]),
                "case_responsible": "Kari Nilsen",
            },
        )
    for name, subject, body in LETTER_TEMPLATES:
        services.letter_template_save(
            actor=actor, municipality=municipality, name=name, subject=subject, body=body
        )
    return [f"portal of {municipality.name} ({len(SERVICES)} services)"]
