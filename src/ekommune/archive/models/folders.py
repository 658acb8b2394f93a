"""The plain file (mappe): a folder of the archive that is not a case, possibly inside another one."""

from __future__ import annotations

from django.db import models

from ekommune.archive import codelists as cl
from ekommune.archive.models.common import ArchiveEntity
from ekommune.archive.models.structure import Class, Series


class Folder(ArchiveEntity):
    """mappe (not saksmappe): a file in a series or under a class, or an undermappe of another
    mappe. Numbered ``M<year>/<n>`` (M003 mappeID), a series of its own beside the case numbers
    (decision 0161)."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="folders")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="subfolders"
    )  # overmappe / undermappe
    primary_class = models.ForeignKey(
        Class, on_delete=models.PROTECT, null=True, blank=True, related_name="folders"
    )
    folder_id = models.CharField(max_length=30)  # M003 mappeID
    title = models.CharField(max_length=1000)  # M020 tittel
    public_title = models.CharField(max_length=1000, blank=True)  # M025 offentligTittel
    description = models.TextField(blank=True)  # M021 beskrivelse
    document_medium = cl.code_field(cl.DOCUMENT_MEDIUM, default="E")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "folder_id"], name="folder_id_unique"),
            cl.code_check("document_medium", cl.DOCUMENT_MEDIUM, "folder_medium_code"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="folder_not_its_own_parent"
            ),
        ]

    @property
    def file_id(self) -> str:
        return self.folder_id

    def __str__(self) -> str:
        return f"{self.folder_id} {self.title}"
