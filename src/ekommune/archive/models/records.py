"""The records: case files (saksmappe) and registry entries (journalpost), their parties, comments,
cross references and write-offs, and the counters that number them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from ekommune.archive import codelists as cl
from ekommune.archive.models.common import ArchiveEntity, _exactly_one
from ekommune.archive.models.structure import Class, Screening, Series
from ekommune.core.models import TenantOwnedModel

if TYPE_CHECKING:
    from ekommune.archive.models.documents import DocumentObject


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
        "DocumentDescription", on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
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


class NumberSequence(TenantOwnedModel):
    """The last number handed out per municipality, kind and year; locked while numbering."""

    class Kind(models.TextChoices):
        CASE = "case"  # sakssekvensnummer
        JOURNAL = "journal"  # journalsekvensnummer
        FOLDER = "folder"  # the number of a plain mappe (``M<year>/<n>``)

    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "year"], name="number_sequence_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["case", "journal", "folder"]), name="number_sequence_kind_known"
            ),
        ]
