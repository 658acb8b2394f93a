"""The change log (endringslogg) of the archive's metadata."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ekommune.core.models import TenantOwnedModel


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
