"""Documents (dokumentbeskrivelse), how they belong to entries, their files (dokumentobjekt) and the
content-addressed file contents, and chunked uploads in progress."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ekommune.archive import codelists as cl
from ekommune.archive.models.common import ArchiveEntity, _exactly_one
from ekommune.archive.models.records import RegistryEntry
from ekommune.archive.models.structure import Screening
from ekommune.core.models import TenantOwnedModel


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
