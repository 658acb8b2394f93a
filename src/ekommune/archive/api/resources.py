"""How each archive object looks in the API: its attributes (``attributes``), and its ``_links``.

One ``Entity`` per resource type. Links to children and to ``ny-*`` (create) relations appear only
where the caller may follow them (create links need the write permission).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.db.models import Model, QuerySet

from ekommune.archive import codelists as cl
from ekommune.archive.api.attributes import (
    case_file_attributes,
    case_party_attributes,
    class_attributes,
    comment_attributes,
    creator_attributes,
    cross_reference_attributes,
    document_attributes,
    entry_attributes,
    folder_attributes,
    fonds_attributes,
    note_attributes,
    object_attributes,
    party_attributes,
    series_attributes,
    system_attributes,
    write_off_attributes,
)
from ekommune.archive.api.identifiers import (
    IDENTIFIER_CHILDREN,
    IDENTIFIER_CREATES,
    ON_FILE_OR_RECORD_FILTERS,
    PRIVATE_KEYS,
    identifier_attributes,
    identifier_owner,
    keyword_attributes,
)
from ekommune.archive.api.noark import link, rel, sorted_links
from ekommune.archive.models import (
    ArchiveEntity,
    CaseFile,
    CaseParty,
    Class,
    ClassificationSystem,
    Comment,
    CorrespondenceParty,
    CrossReference,
    DocumentDescription,
    DocumentObject,
    Folder,
    Fonds,
    FondsCreator,
    Keyword,
    NationalIdentifier,
    RegistryEntry,
    Series,
    WriteOff,
)


@dataclass
class Context:
    base: str  # absolute URL of the API root, ending with "/"
    can_register: bool
    can_manage: bool
    can_see_person_numbers: bool = False  # fødselsnummer/D-nummer (decision 0162)

    def url(self, *parts: object) -> str:
        return self.base + "/".join(str(p) for p in parts) + "/"


@dataclass
class Entity:
    name: str
    package: str
    model: type[Model]
    attributes: Callable[[Any], dict[str, Any]]
    filter_fields: dict[str, str]
    # sub-path → (entity name of the children, their queryset; for a general type, one per table)
    children: dict[str, tuple[str, Callable[[Any], QuerySet[Any] | list[QuerySet[Any]]]]] = field(
        default_factory=dict
    )
    # ny-* relation → (package of the rel, permission needed: "register" | "manage")
    creates: dict[str, tuple[str, str]] = field(default_factory=dict)
    parents: dict[str, Callable[[Any], Model | None]] = field(default_factory=dict)
    code_lists: tuple[str, ...] = ()
    extra_links: Callable[[Any, Context], dict[str, Any]] | None = None
    scope: dict[str, Any] = field(default_factory=dict)  # filter for lists and look-ups of this type
    # Specialisations listed and looked up under this general type too (mappe: saksmappe)
    members: tuple[str, ...] = ()
    private_keys: tuple[str, ...] = ()  # shown only to those who may see person numbers

    def self_url(self, obj: Any, ctx: Context) -> str:
        return ctx.url(self.package, self.name, obj.system_id)

    def render(self, obj: Any, ctx: Context) -> dict[str, Any]:
        body = {key: value for key, value in self.attributes(obj).items() if value not in (None, "", [])}
        if not ctx.can_see_person_numbers:
            for key in self.private_keys:
                body.pop(key, None)
        self_href = self.self_url(obj, ctx)
        links: dict[str, Any] = {
            "self": link(self_href),
            rel(f"{self.package}/{self.name}/"): link(self_href),
        }
        for sub in self.children:
            package = "sakarkiv" if sub in SAKARKIV_CHILD_RELATIONS else "arkivstruktur"
            links[rel(f"{package}/{sub}/")] = link(f"{self_href}{sub}/")
        for new, (package, needs) in self.creates.items():
            if (
                (needs == "register" and ctx.can_register)
                or (needs == "manage" and ctx.can_manage)
                or (needs == "person" and ctx.can_register and ctx.can_see_person_numbers)
            ):
                links[rel(f"{package}/{new}/")] = link(f"{self_href}{new}/")
        for parent_rel, get_parent in self.parents.items():
            parent = get_parent(obj)
            if parent is not None:
                package = "sakarkiv" if parent_rel == "journalpost" else "arkivstruktur"
                links[rel(f"{package}/{parent_rel}/")] = link(entity_of(parent).self_url(parent, ctx))
        for list_name in self.code_lists:
            links[rel(f"metadata/{list_name}/")] = link(ctx.url("metadata", list_name))
        if isinstance(obj, ArchiveEntity):  # arkivenhet: its change log
            query = urlencode({"$filter": f"referanseArkivenhet eq '{obj.system_id}'"}, quote_via=quote)
            links[rel("loggingogsporing/endringslogg/")] = link(
                ctx.url("loggingogsporing", "endringslogg") + "?" + query
            )
        if self.extra_links is not None:
            links.update(self.extra_links(obj, ctx))
        body["_links"] = sorted_links(links)
        return body


def document_file_links(document: DocumentDescription, ctx: Context) -> dict[str, Any]:
    if ctx.can_register:
        return {
            rel("arkivstruktur/fil/"): link(
                ctx.url("arkivstruktur", "dokumentbeskrivelse", document.system_id, "fil")
            )
        }
    return {}


def object_file_links(obj: DocumentObject, ctx: Context) -> dict[str, Any]:
    return {rel("arkivstruktur/fil/"): link(ctx.url("arkivstruktur", "dokumentobjekt", obj.system_id, "fil"))}


SAKARKIV_CHILD_RELATIONS = {"avskrivning"}


COMMON_FILTERS = {"systemID": "system_id", "opprettetDato": "created_at", "opprettetAv": "created_by"}
# A file's class (the spec's examples: klasse/klasseID, klasse/klassifikasjonssystem/klassifikasjonstype)
FILE_FILTERS = {
    "klasse/klasseID": "primary_class__class_id",
    "klasse/klassifikasjonssystem/klassifikasjonstype": "primary_class__classification_system__classification_type",
    **ON_FILE_OR_RECORD_FILTERS,
}
CORRESPONDENCE_FILTERS = {
    "korrespondansepart/navn": "correspondence_parties__name",
    "korrespondansepart/korrespondanseparttype": "correspondence_parties__party_type",
    "korrespondansepart/organisasjonsnummer": "correspondence_parties__organisation_number",
    "korrespondansepart/epostadresse": "correspondence_parties__email",
    "korrespondansepart/foedselsnummer": "correspondence_parties__national_identity_number",
}

ENTITIES: dict[str, Entity] = {
    "arkiv": Entity(
        "arkiv",
        "arkivstruktur",
        Fonds,
        fonds_attributes,
        {**COMMON_FILTERS, "tittel": "title", "beskrivelse": "description", "arkivstatus": "status"},
        children={
            "arkivdel": ("arkivdel", lambda f: f.series.all()),
            "arkivskaper": ("arkivskaper", lambda f: f.creators.all()),
        },
        creates={"ny-arkivdel": ("arkivstruktur", "manage"), "ny-arkivskaper": ("arkivstruktur", "manage")},
        code_lists=("arkivstatus", "dokumentmedium"),
    ),
    "arkivskaper": Entity(
        "arkivskaper",
        "arkivstruktur",
        FondsCreator,
        creator_attributes,
        {**COMMON_FILTERS, "arkivskaperID": "creator_id", "arkivskaperNavn": "name"},
        parents={"arkiv": lambda c: c.fonds},
    ),
    "arkivdel": Entity(
        "arkivdel",
        "arkivstruktur",
        Series,
        series_attributes,
        {
            **COMMON_FILTERS,
            "tittel": "title",
            "arkivdelstatus": "status",
            "arkivperiodeStartDato": "period_start",
        },
        children={
            "mappe": ("mappe", lambda s: [s.folders.filter(parent=None), s.case_files.all()]),
            "klassifikasjonssystem": (
                "klassifikasjonssystem",
                lambda s: ClassificationSystem.objects.filter(series=s),
            ),
        },
        creates={
            "ny-mappe": ("arkivstruktur", "register"),
            "ny-saksmappe": ("sakarkiv", "register"),
            "ny-klassifikasjonssystem": ("arkivstruktur", "manage"),
        },
        parents={"arkiv": lambda s: s.fonds},
        code_lists=("arkivdelstatus", "dokumentmedium"),
    ),
    "klassifikasjonssystem": Entity(
        "klassifikasjonssystem",
        "arkivstruktur",
        ClassificationSystem,
        system_attributes,
        {**COMMON_FILTERS, "tittel": "title", "klassifikasjonstype": "classification_type"},
        children={"klasse": ("klasse", lambda s: s.classes.filter(parent__isnull=True))},
        creates={"ny-klasse": ("arkivstruktur", "manage")},
        code_lists=("klassifikasjonstype",),
    ),
    "klasse": Entity(
        "klasse",
        "arkivstruktur",
        Class,
        class_attributes,
        {**COMMON_FILTERS, "klasseID": "class_id", "tittel": "title"},
        children={
            "underklasse": ("klasse", lambda c: c.children.all()),
            "mappe": ("mappe", lambda c: [c.folders.filter(parent=None), c.case_files.all()]),
        },
        creates={
            "ny-klasse": ("arkivstruktur", "manage"),
            "ny-mappe": ("arkivstruktur", "register"),
            "ny-saksmappe": ("sakarkiv", "register"),
        },
        parents={
            "klassifikasjonssystem": lambda c: c.classification_system,
            "overklasse": lambda c: c.parent,
        },
    ),
    "mappe": Entity(
        "mappe",
        "arkivstruktur",
        Folder,
        folder_attributes,
        {},  # below: its own names, and the saksmappe's names none of its folders have
        children={"undermappe": ("mappe", lambda f: f.subfolders.all()), **IDENTIFIER_CHILDREN},
        creates={"ny-mappe": ("arkivstruktur", "register"), **IDENTIFIER_CREATES},
        parents={
            "arkivdel": lambda f: f.series,
            "klasse": lambda f: f.primary_class,
            "overmappe": lambda f: f.parent,
        },
        code_lists=("dokumentmedium",),
        members=("saksmappe",),
    ),
    "registrering": Entity(
        "registrering",
        "arkivstruktur",
        RegistryEntry,
        entry_attributes,
        {
            **COMMON_FILTERS,
            "tittel": "title",
            "offentligTittel": "public_title",
            **CORRESPONDENCE_FILTERS,
            **ON_FILE_OR_RECORD_FILTERS,
        },
    ),
    "saksmappe": Entity(
        "saksmappe",
        "sakarkiv",
        CaseFile,
        case_file_attributes,
        {
            **COMMON_FILTERS,
            "tittel": "title",
            "offentligTittel": "public_title",
            "saksaar": "case_year",
            "sakssekvensnummer": "case_sequence_number",
            "saksdato": "case_date",
            "saksstatus": "case_status",
            "administrativEnhet": "administrative_unit",
            "saksansvarlig": "case_responsible",
            "part/navn": "parties__name",
            "part/partRolle": "parties__role",
            "part/organisasjonsnummer": "parties__organisation_number",
            "part/foedselsnummer": "parties__national_identity_number",
            **FILE_FILTERS,
        },
        children={
            "registrering": ("journalpost", lambda c: c.entries.all()),
            "merknad": ("merknad", lambda c: c.comments.all()),
            "part": ("part", lambda c: c.parties.all()),
            "kryssreferanse": ("kryssreferanse", lambda c: c.references_out.all()),
            **IDENTIFIER_CHILDREN,
        },
        creates={
            "ny-journalpost": ("sakarkiv", "register"),
            "ny-arkivnotat": ("sakarkiv", "register"),
            "ny-merknad": ("arkivstruktur", "register"),
            "ny-partperson": ("arkivstruktur", "register"),
            "ny-partenhet": ("arkivstruktur", "register"),
            **IDENTIFIER_CREATES,
        },
        parents={"arkivdel": lambda c: c.series, "klasse": lambda c: c.primary_class},
        code_lists=("saksstatus", "dokumentmedium"),
    ),
    "journalpost": Entity(
        "journalpost",
        "sakarkiv",
        RegistryEntry,
        entry_attributes,
        {
            **COMMON_FILTERS,
            "tittel": "title",
            "offentligTittel": "public_title",
            "journalaar": "journal_year",
            "journalsekvensnummer": "journal_sequence_number",
            "journalpostnummer": "entry_number",
            "journalposttype": "entry_type",
            "journalstatus": "status",
            "journaldato": "journal_date",
            "dokumentetsDato": "document_date",
            "mottattDato": "received_date",
            "sendtDato": "sent_date",
            **CORRESPONDENCE_FILTERS,
            **ON_FILE_OR_RECORD_FILTERS,
        },
        children={
            "korrespondansepart": ("korrespondansepart", lambda e: e.correspondence_parties.all()),
            "dokumentbeskrivelse": ("dokumentbeskrivelse", lambda e: e.documents.all()),
            "merknad": ("merknad", lambda e: e.comments.all()),
            "avskrivning": ("avskrivning", lambda e: e.write_offs.all()),
            "kryssreferanse": ("kryssreferanse", lambda e: e.references_out.all()),
            **IDENTIFIER_CHILDREN,
        },
        creates={
            "ny-merknad": ("arkivstruktur", "register"),
            "ny-avskrivning": ("sakarkiv", "register"),
            "ny-korrespondansepartperson": ("arkivstruktur", "register"),
            "ny-korrespondansepartenhet": ("arkivstruktur", "register"),
            "ny-korrespondansepartintern": ("arkivstruktur", "register"),
            "ny-dokumentbeskrivelse": ("arkivstruktur", "register"),
            **IDENTIFIER_CREATES,
        },
        parents={"mappe": lambda e: e.case_file},
        code_lists=("journalposttype", "journalstatus", "dokumentmedium"),
        scope={"record_type": "journalpost"},
    ),
    "korrespondansepart": Entity(
        "korrespondansepart",
        "arkivstruktur",
        CorrespondenceParty,
        party_attributes,
        {
            "systemID": "system_id",
            "navn": "name",
            "korrespondanseparttype": "party_type",
            "organisasjonsnummer": "organisation_number",
            "foedselsnummer": "national_identity_number",
        },
        parents={"registrering": lambda p: p.registry_entry},
        code_lists=("korrespondanseparttype",),
    ),
    "dokumentbeskrivelse": Entity(
        "dokumentbeskrivelse",
        "arkivstruktur",
        DocumentDescription,
        document_attributes,
        {**COMMON_FILTERS, "tittel": "title", "dokumentstatus": "status", "dokumenttype": "document_type"},
        children={
            "dokumentobjekt": ("dokumentobjekt", lambda d: d.document_objects.all()),
            "merknad": ("merknad", lambda d: d.comments.all()),
        },
        creates={
            "ny-merknad": ("arkivstruktur", "register"),
            "ny-dokumentobjekt": ("arkivstruktur", "register"),
        },
        code_lists=("dokumentstatus", "dokumenttype", "tilknyttetregistreringsom"),
        extra_links=document_file_links,
    ),
    "dokumentobjekt": Entity(
        "dokumentobjekt",
        "arkivstruktur",
        DocumentObject,
        object_attributes,
        {
            **COMMON_FILTERS,
            "versjonsnummer": "version_number",
            "variantformat": "variant_format",
            "mimeType": "mime_type",
            "filnavn": "file_name",
            "sjekksum": "checksum",
            "filstoerrelse": "size",
        },
        parents={"dokumentbeskrivelse": lambda o: o.document},
        code_lists=("variantformat",),
        extra_links=object_file_links,
    ),
    "arkivnotat": Entity(
        "arkivnotat",
        "sakarkiv",
        RegistryEntry,
        note_attributes,
        {
            **COMMON_FILTERS,
            "tittel": "title",
            "dokumentetsDato": "document_date",
            **ON_FILE_OR_RECORD_FILTERS,
        },
        children={
            "dokumentbeskrivelse": ("dokumentbeskrivelse", lambda e: e.documents.all()),
            "merknad": ("merknad", lambda e: e.comments.all()),
            **IDENTIFIER_CHILDREN,
        },
        creates={
            "ny-dokumentbeskrivelse": ("arkivstruktur", "register"),
            "ny-merknad": ("arkivstruktur", "register"),
            **IDENTIFIER_CREATES,
        },
        parents={"mappe": lambda e: e.case_file},
        code_lists=("dokumentmedium",),
        scope={"record_type": "arkivnotat"},
    ),
    "merknad": Entity(
        "merknad",
        "arkivstruktur",
        Comment,
        comment_attributes,
        {
            "systemID": "system_id",
            "merknadstekst": "text",
            "merknadstype": "comment_type",
            "merknadsdato": "registered_at",
        },
        code_lists=("merknadstype",),
    ),
    "part": Entity(
        "part",
        "arkivstruktur",
        CaseParty,
        case_party_attributes,
        {"systemID": "system_id", "navn": "name", "partRolle": "role"},
        parents={"mappe": lambda p: p.case_file},
        code_lists=("partrolle",),
    ),
    "avskrivning": Entity(
        "avskrivning",
        "sakarkiv",
        WriteOff,
        write_off_attributes,
        {"systemID": "system_id", "avskrivningsmaate": "method", "avskrivningsdato": "written_off_at"},
        parents={"journalpost": lambda w: w.registry_entry},
        code_lists=("avskrivningsmaate",),
    ),
    "noekkelord": Entity(
        "noekkelord",
        "arkivstruktur",
        Keyword,
        keyword_attributes,
        {"systemID": "system_id", "noekkelord": "text"},
        parents={"mappe": identifier_owner},
    ),
    "nasjonalidentifikator": Entity(
        "nasjonalidentifikator",
        "arkivstruktur",
        NationalIdentifier,
        identifier_attributes,
        {"systemID": "system_id"},
        parents={"mappe": identifier_owner},
        private_keys=PRIVATE_KEYS,
    ),
    "kryssreferanse": Entity(
        "kryssreferanse",
        "arkivstruktur",
        CrossReference,
        cross_reference_attributes,
        {"systemID": "system_id"},
        parents={"mappe": lambda r: r.to_case_file, "registrering": lambda r: r.to_entry},
    ),
}
# mappe: its own names; a name only saksmappe has ("" here) matches no plain folder (decision 0161)
ENTITIES["mappe"].filter_fields.update(
    {
        **dict.fromkeys(ENTITIES["saksmappe"].filter_fields, ""),
        **COMMON_FILTERS,
        "tittel": "title",
        "offentligTittel": "public_title",
        "mappeID": "folder_id",
        **FILE_FILTERS,
    }
)

ENTITY_BY_MODEL: dict[type[Model], Entity] = {
    entity.model: entity for name, entity in ENTITIES.items() if name not in {"arkivnotat", "registrering"}
}


def entity_of(obj: Any) -> Entity:
    """The resource type of an object (an arkivnotat is a RegistryEntry of its own kind)."""
    if isinstance(obj, RegistryEntry) and obj.record_type == RegistryEntry.RecordType.INTERNAL_NOTE:
        return ENTITIES["arkivnotat"]
    return ENTITY_BY_MODEL[type(obj)]


# A child list asked for by a specialised type's name finds the list of its general type
# (``arkivdel/{id}/saksmappe/`` is its ``mappe/`` list).
ALIASES = {"saksmappe": "mappe", "journalpost": "registrering"}

PACKAGE_LISTS = {
    "arkivstruktur": [
        "arkiv",
        "arkivskaper",
        "arkivdel",
        "klassifikasjonssystem",
        "klasse",
        "mappe",
        "registrering",
        "dokumentbeskrivelse",
        "dokumentobjekt",
        "korrespondansepart",
    ],
    "sakarkiv": ["saksmappe", "journalpost"],
}

# metadata/<name>/ → code list
METADATA = cl.METADATA_CODE_LISTS


CHANGE_LOG_FILTERS = {
    "referanseArkivenhet": "object_system_id",
    "referanseMetadata": "field",
    "endretDato": "changed_at",
    "endretAv": "changed_by",
}
