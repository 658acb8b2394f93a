"""Codes the records manager adds to an open code list (``metadata/ny-<kodeliste>/``, decision 0151)."""

from __future__ import annotations

import uuid

from django.db import models

from ekommune.core.models import TenantOwnedModel


class CodeListExtension(TenantOwnedModel):
    """kode/kodenavn added to one of the extensible lists of ``codelists.EXTENSIBLE_CODE_LISTS``."""

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code_list = models.CharField(max_length=60)
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code_list", "code"], name="code_list_extension_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code_list}: {self.code} {self.name}"
