"""The Noark 5 archive: fonds → series → classification → case file → registry entry → document.

Names in English, the Noark term in each docstring; ``db_column`` is left to Django, and the API
and extraction layers map fields to the standard's names (docs/domain/noark5-mapping.md).
Every row belongs to one municipality (``TenantOwnedModel``) and carries a ``system_id`` UUID
(M001 systemID) that never changes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from ekommune.archive import codelists as cl
from ekommune.core.models import TenantOwnedModel


class ArchiveEntity(TenantOwnedModel):
    """arkivenhet: what every archive object has (M001 systemID, M600-M603, M682-M683)."""

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=200)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True


class Fonds(ArchiveEntity):
    """arkiv: the top of a municipality's archive."""

    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    status = cl.code_field(cl.FONDS_STATUS, default="O")
    document_medium = cl.code_field(cl.DOCUMENT_MEDIUM, default="E")
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            cl.code_check("status", cl.FONDS_STATUS, "fonds_status_code"),
            cl.code_check("document_medium", cl.DOCUMENT_MEDIUM, "fonds_medium_code"),
        ]

    def __str__(self) -> str:
        return self.title


class FondsCreator(ArchiveEntity):
    """arkivskaper: the body that created the fonds (M006 arkivskaperID, M023 arkivskaperNavn)."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="creators")
    creator_id = models.CharField(max_length=100)
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fonds", "creator_id"], name="fonds_creator_unique")]


class ClassificationSystem(ArchiveEntity):
    """klassifikasjonssystem, e.g. a municipal subject-based scheme (K-koder / emnebasert)."""

    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    classification_type = cl.code_field(cl.CLASSIFICATION_TYPE, blank=True)

    class Meta:
        constraints = [
            cl.code_check(
                "classification_type", cl.CLASSIFICATION_TYPE, "classification_type_code", allow_blank=True
            )
        ]

    def __str__(self) -> str:
        return self.title


class Class(ArchiveEntity):
    """klasse: one code of a classification system (M002 klasseID, e.g. ``064``), possibly nested."""

    classification_system = models.ForeignKey(
        ClassificationSystem, on_delete=models.PROTECT, related_name="classes"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    class_id = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "classes"
        constraints = [
            models.UniqueConstraint(
                fields=["classification_system", "class_id"], name="class_id_unique_in_system"
            )
        ]

    def __str__(self) -> str:
        return f"{self.class_id} {self.title}"


class Series(ArchiveEntity):
    """arkivdel: a period or part of the fonds, with its primary classification system."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="series")
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    status = cl.code_field(cl.SERIES_STATUS, default="A")
    document_medium = cl.code_field(cl.DOCUMENT_MEDIUM, default="E")
    classification_system = models.ForeignKey(
        ClassificationSystem, on_delete=models.PROTECT, null=True, blank=True, related_name="series"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "series"
        constraints = [
            cl.code_check("status", cl.SERIES_STATUS, "series_status_code"),
            cl.code_check("document_medium", cl.DOCUMENT_MEDIUM, "series_medium_code"),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="series_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Screening(TenantOwnedModel):
    """skjerming: access restriction, legal basis, what is screened, and until when."""

    access_restriction = cl.code_field(cl.ACCESS_RESTRICTION)
    legal_basis = models.CharField(max_length=300)  # M501 skjermingshjemmel, e.g. "Offl. § 13 jf. fvl. § 13"
    screened_metadata = ArrayField(models.CharField(max_length=4), default=list, blank=True)  # M502
    screened_document = cl.code_field(cl.SCREENING_DOCUMENT, blank=True)  # M503
    duration_years = models.PositiveIntegerField(null=True, blank=True)  # M504 skjermingsvarighet
    ends_on = models.DateField(null=True, blank=True)  # M505 skjermingOpphoererDato

    class Meta:
        constraints = [
            cl.code_check("access_restriction", cl.ACCESS_RESTRICTION, "screening_access_restriction_code"),
            cl.code_check(
                "screened_document", cl.SCREENING_DOCUMENT, "screening_document_code", allow_blank=True
            ),
            models.CheckConstraint(condition=~Q(legal_basis=""), name="screening_has_legal_basis"),
            models.CheckConstraint(
                condition=Q(screened_metadata__contained_by=cl.SCREENING_METADATA.codes()),
                name="screening_metadata_codes",
            ),
        ]


class CaseFile(ArchiveEntity):
    """saksmappe: a case (mappe specialised), numbered ``saksår/sakssekvensnummer`` (M003 mappeID)."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="case_files")
    primary_class = models.ForeignKey(
        Class, on_delete=models.PROTECT, null=True, blank=True, related_name="case_files"
    )
    case_year = models.PositiveIntegerField()  # M011 saksaar
    case_sequence_number = models.PositiveIntegerField()  # M012 sakssekvensnummer
    title = models.CharField(max_length=1000)  # M020 tittel
    public_title = models.CharField(max_length=1000, blank=True)  # M025 offentligTittel
    description = models.TextField(blank=True)
    keywords = ArrayField(models.CharField(max_length=200), default=list, blank=True)  # M022 noekkelord
    document_medium = cl.code_field(cl.DOCUMENT_MEDIUM, default="E")
    case_date = models.DateField()  # M100 saksdato
    administrative_unit = models.CharField(max_length=200)  # M305 administrativEnhet
    case_responsible = models.CharField(max_length=200)  # M306 saksansvarlig
    records_unit = models.CharField(max_length=200, blank=True)  # M308 journalenhet
    case_status = cl.code_field(cl.CASE_STATUS, default="B")  # M052 saksstatus
    screening = models.OneToOneField(
        Screening, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "case_year", "case_sequence_number"],
                name="case_number_unique_per_municipality",
            ),
            cl.code_check("case_status", cl.CASE_STATUS, "case_status_code"),
            cl.code_check("document_medium", cl.DOCUMENT_MEDIUM, "case_medium_code"),
            models.CheckConstraint(condition=Q(case_sequence_number__gte=1), name="case_sequence_positive"),
            models.CheckConstraint(
                condition=Q(case_status="A", concluded_at__isnull=False) | ~Q(case_status="A"),
                name="concluded_case_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "-case_year", "-case_sequence_number"], name="case_number_desc"
            )
        ]

    @property
    def file_id(self) -> str:
        """M003 mappeID: ``2013/1269``."""
        return f"{self.case_year}/{self.case_sequence_number}"

    def __str__(self) -> str:
        return f"{self.file_id} {self.title}"


class RegistryEntry(ArchiveEntity):
    """journalpost, or arkivnotat (``record_type``): one registration in a case.

    Numbers: ``entry_number`` (M015 journalpostnummer) within the case, giving registreringsID
    ``2013/1269-3``; for a journalpost, ``journal_year`` + ``journal_sequence_number`` (M013/M014) run
    without gaps per municipality and year, shown ``11964/2013``. An arkivnotat (an internal note that
    is not journalised) has no journal number and no journalposttype.
    """

    class RecordType(models.TextChoices):
        REGISTRY_ENTRY = "journalpost"
        INTERNAL_NOTE = "arkivnotat"

    # Not stored: on the entry ``registry_entry_register`` returns, the file (document object) of
    # each document it registered, in document-number order — so that the caller need not ask.
    registered_files: tuple[DocumentObject, ...] = ()

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="entries")
    record_type = models.CharField(
        max_length=12, choices=RecordType.choices, default=RecordType.REGISTRY_ENTRY
    )
    entry_number = models.PositiveIntegerField()
    journal_year = models.PositiveIntegerField(null=True, blank=True)
    journal_sequence_number = models.PositiveIntegerField(null=True, blank=True)
    entry_type = cl.code_field(cl.REGISTRY_ENTRY_TYPE, blank=True)  # M082 journalposttype
    status = cl.code_field(cl.REGISTRY_ENTRY_STATUS, default="J")  # M053 journalstatus
    title = models.CharField(max_length=1000)
    public_title = models.CharField(max_length=1000, blank=True)
    description = models.TextField(blank=True)
    document_medium = cl.code_field(cl.DOCUMENT_MEDIUM, default="E")
    journal_date = models.DateField()  # M101 journaldato
    document_date = models.DateField(null=True, blank=True)  # M103 dokumentetsDato
    received_date = models.DateTimeField(null=True, blank=True)  # M104 mottattDato
    sent_date = models.DateTimeField(null=True, blank=True)  # M105 sendtDato
    due_date = models.DateField(null=True, blank=True)  # M109 forfallsdato
    administrative_unit = models.CharField(max_length=200, blank=True)
    case_handler = models.CharField(max_length=200, blank=True)  # M307 saksbehandler
    screening = models.OneToOneField(
        Screening, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)  # M604 arkivertDato
    archived_by = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "registry entries"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "journal_year", "journal_sequence_number"],
                name="journal_number_unique",
            ),
            models.UniqueConstraint(fields=["case_file", "entry_number"], name="entry_number_unique_in_case"),
            cl.code_check("entry_type", cl.REGISTRY_ENTRY_TYPE, "entry_type_code", allow_blank=True),
            cl.code_check("status", cl.REGISTRY_ENTRY_STATUS, "entry_status_code"),
            models.CheckConstraint(
                condition=Q(record_type__in=["journalpost", "arkivnotat"]), name="record_type_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    record_type="arkivnotat",
                    journal_year__isnull=True,
                    journal_sequence_number__isnull=True,
                    entry_type="",
                )
                | Q(
                    record_type="journalpost",
                    journal_year__isnull=False,
                    journal_sequence_number__isnull=False,
                )
                & ~Q(entry_type=""),
                name="journal_numbers_for_registry_entries_only",
            ),
            models.CheckConstraint(
                condition=Q(journal_sequence_number__gte=1), name="journal_sequence_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="A") | Q(archived_at__isnull=False), name="archived_entry_has_date"
            ),
        ]

    @property
    def journal_number(self) -> str:
        """Løpenummer as shown: ``11964/2013`` (empty for an arkivnotat)."""
        if self.journal_sequence_number is None:
            return ""
        return f"{self.journal_sequence_number}/{self.journal_year}"

    @property
    def registration_id(self) -> str:
        """M004 registreringsID: ``2013/1269-3``."""
        return f"{self.case_file.file_id}-{self.entry_number}"

    def __str__(self) -> str:
        return f"{self.journal_number} {self.title}"


class CorrespondenceParty(TenantOwnedModel):
    """korrespondansepart: sender, recipient or copy recipient of an entry (person, unit or internal)."""

    class Kind(models.TextChoices):
        PERSON = "person"
        UNIT = "unit"
        INTERNAL = "internal"

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.CASCADE, related_name="correspondence_parties"
    )
    party_type = cl.code_field(cl.CORRESPONDENCE_PARTY_TYPE)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(max_length=500)  # M400 korrespondansepartNavn
    postal_address = models.CharField(max_length=500, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    contact_person = models.CharField(max_length=200, blank=True)
    organisation_number = models.CharField(max_length=9, blank=True)  # M049 organisasjonsID
    national_identity_number = models.CharField(max_length=11, blank=True)  # M048 personID (never published)
    administrative_unit = models.CharField(max_length=200, blank=True)
    case_handler = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "correspondence parties"
        constraints = [
            cl.code_check("party_type", cl.CORRESPONDENCE_PARTY_TYPE, "party_type_code"),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "unit", "internal"]), name="party_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(organisation_number="") | Q(national_identity_number=""),
                name="party_one_identifier",
            ),
        ]


class DocumentDescription(ArchiveEntity):
    """dokumentbeskrivelse: a document, linked to one or more entries as main document or attachment."""

    title = models.CharField(max_length=1000)
    description = models.TextField(blank=True)
    document_type = cl.code_field(cl.DOCUMENT_TYPE, default="B")
    status = cl.code_field(cl.DOCUMENT_STATUS, default="B")
    author = models.CharField(max_length=500, blank=True)
    document_medium = cl.code_field(cl.DOCUMENT_MEDIUM, default="E")
    screening = models.OneToOneField(
        Screening, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entries = models.ManyToManyField(RegistryEntry, through="DocumentLink", related_name="documents")

    class Meta:
        constraints = [
            cl.code_check("document_type", cl.DOCUMENT_TYPE, "document_type_code"),
            cl.code_check("status", cl.DOCUMENT_STATUS, "document_status_code"),
        ]


class DocumentLink(TenantOwnedModel):
    """How a document belongs to an entry: M217 tilknyttetRegistreringSom, M007 dokumentnummer."""

    registry_entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey(DocumentDescription, on_delete=models.PROTECT, related_name="links")
    linked_as = cl.code_field(cl.LINKED_AS)
    document_number = models.PositiveIntegerField()
    linked_at = models.DateTimeField()
    linked_by = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registry_entry", "document"], name="document_linked_once"),
            models.UniqueConstraint(
                fields=["registry_entry", "document_number"], name="document_number_unique"
            ),
            models.UniqueConstraint(
                fields=["registry_entry"], condition=Q(linked_as="H"), name="one_main_document_per_entry"
            ),
            cl.code_check("linked_as", cl.LINKED_AS, "linked_as_code"),
        ]


class StoredFile(TenantOwnedModel):
    """Content-addressed file content: one row per distinct SHA-256 within a municipality."""

    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    storage_name = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "sha256"], name="stored_file_unique_content"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="stored_file_sha256_hex"
            ),
            models.CheckConstraint(condition=Q(size__gte=0), name="stored_file_size_non_negative"),
        ]


class DocumentObject(ArchiveEntity):
    """dokumentobjekt: one version × variant of a document's file, with format and checksum."""

    document = models.ForeignKey(
        DocumentDescription, on_delete=models.PROTECT, related_name="document_objects"
    )
    version_number = models.PositiveIntegerField()  # M005
    variant_format = cl.code_field(cl.VARIANT_FORMAT)  # M700
    format = models.CharField(max_length=50, blank=True)  # M701 (PRONOM)
    mime_type = models.CharField(max_length=200, blank=True)  # M716
    file_name = models.CharField(max_length=300)  # original name
    # None while the object waits for its upload (created through the API's ny-dokumentobjekt).
    file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="document_objects"
    )
    checksum = models.CharField(max_length=64)  # M705 sjekksum
    checksum_algorithm = models.CharField(max_length=20, default="SHA-256")  # M706
    size = models.BigIntegerField(null=True, blank=True)  # M707 filstoerrelse

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version_number", "variant_format"],
                name="document_object_version_variant_unique",
            ),
            cl.code_check("variant_format", cl.VARIANT_FORMAT, "variant_format_code"),
            models.CheckConstraint(
                condition=Q(file__isnull=True)
                | (Q(checksum__regex=r"^[0-9a-f]{64}$") & Q(size__isnull=False)),
                name="stored_object_has_checksum_and_size",
            ),
        ]


class ChangeLogEntry(TenantOwnedModel):
    """endringslogg: a change to a metadata field of an archive object (Noark 5 vedlegg 3)."""

    object_type = models.CharField(max_length=50)  # e.g. "journalpost"
    object_system_id = models.UUIDField()  # M680 referanseArkivenhet
    field = models.CharField(max_length=100)  # M681 referanseMetadata (the Noark element name)
    old_value = models.TextField(blank=True)  # M684 tidligereVerdi
    new_value = models.TextField(blank=True)  # M685 nyVerdi
    changed_at = models.DateTimeField()  # M682 endretDato
    changed_by = models.CharField(max_length=200)  # M683 endretAv
    changed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["municipality", "object_system_id", "changed_at"], name="changelog_object")
        ]


class NumberSequence(TenantOwnedModel):
    """The last number handed out per municipality, kind and year; locked while numbering."""

    class Kind(models.TextChoices):
        CASE = "case"  # sakssekvensnummer
        JOURNAL = "journal"  # journalsekvensnummer

    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "year"], name="number_sequence_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["case", "journal"]), name="number_sequence_kind_known"
            ),
        ]


def _exactly_one(*fields: str) -> Q:
    """A check that exactly one of ``fields`` is set."""
    options = [Q(**{f"{name}__isnull": name != chosen for name in fields}) for chosen in fields]
    combined = options[0]
    for option in options[1:]:
        combined |= option
    return combined


class Comment(TenantOwnedModel):
    """merknad: a comment on a case file, an entry or a document (exactly one of them)."""

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    document = models.ForeignKey(
        DocumentDescription, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    text = models.TextField()  # M310 merknadstekst
    comment_type = cl.code_field(cl.COMMENT_TYPE, blank=True)  # M084 merknadstype
    registered_at = models.DateTimeField()  # M611 merknadsdato
    registered_by = models.CharField(max_length=200)  # M612 merknadRegistrertAv

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("case_file", "registry_entry", "document"),
                name="comment_on_one_object",
            ),
            cl.code_check("comment_type", cl.COMMENT_TYPE, "comment_type_code", allow_blank=True),
            models.CheckConstraint(condition=~Q(text=""), name="comment_has_text"),
        ]


class CaseParty(TenantOwnedModel):
    """part (sakspart): a person or organisation the case is about, with its role."""

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(max_length=10, choices=[("person", "person"), ("unit", "unit")], default="person")
    name = models.CharField(max_length=500)  # M302 partNavn
    role = cl.code_field(cl.PARTY_ROLE)  # M303 partRolle
    postal_address = models.CharField(max_length=500, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    organisation_number = models.CharField(max_length=9, blank=True)
    national_identity_number = models.CharField(max_length=11, blank=True)

    class Meta:
        verbose_name_plural = "case parties"
        constraints = [
            cl.code_check("role", cl.PARTY_ROLE, "party_role_code"),
            models.CheckConstraint(condition=Q(kind__in=["person", "unit"]), name="case_party_kind_known"),
            models.CheckConstraint(
                condition=Q(organisation_number="") | Q(national_identity_number=""),
                name="case_party_one_identifier",
            ),
        ]


class CrossReference(TenantOwnedModel):
    """kryssreferanse: a one-way reference from a case file or entry to another case file or entry."""

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    from_case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="references_out"
    )
    from_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="references_out"
    )
    to_case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="references_in"
    )
    to_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="references_in"
    )
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("from_case_file", "from_entry"), name="cross_reference_one_source"
            ),
            models.CheckConstraint(
                condition=_exactly_one("to_case_file", "to_entry"), name="cross_reference_one_target"
            ),
            models.UniqueConstraint(
                fields=["from_case_file", "from_entry", "to_case_file", "to_entry"],
                nulls_distinct=False,
                name="cross_reference_unique",
            ),
        ]


class WriteOff(TenantOwnedModel):
    """avskrivning: how an incoming (I) or internal (N) entry was answered or closed."""

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registry_entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="write_offs")
    written_off_at = models.DateTimeField()  # M617 avskrivningsdato
    written_off_by = models.CharField(max_length=200)  # M618 avskrevetAv
    method = cl.code_field(cl.WRITE_OFF_METHOD)  # M619 avskrivningsmaate
    answered_by = models.ForeignKey(  # M215 referanseAvskrivesAvJournalpost
        RegistryEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )

    class Meta:
        constraints = [
            cl.code_check("method", cl.WRITE_OFF_METHOD, "write_off_method_code"),
            models.CheckConstraint(
                condition=~Q(answered_by=F("registry_entry")), name="write_off_not_by_itself"
            ),
        ]


class UploadSession(TenantOwnedModel):
    """A chunked upload in progress (the Tjenestegrensesnitt's upload above ``bulkgrense``).

    The bytes received so far wait in a file of their own under ``EKOMMUNE_UPLOAD_DIR``; when the
    last chunk arrives they become a document object through the same service as a plain upload.
    """

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(
        DocumentDescription, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    document_object = models.ForeignKey(
        DocumentObject, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=300)
    mime_type = models.CharField(max_length=200, blank=True)
    total_size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("document", "document_object"), name="upload_for_one_target"
            ),
            models.CheckConstraint(condition=Q(total_size__gt=0), name="upload_size_positive"),
            models.CheckConstraint(
                condition=Q(received__gte=0) & Q(received__lte=F("total_size")),
                name="upload_received_in_range",
            ),
        ]
