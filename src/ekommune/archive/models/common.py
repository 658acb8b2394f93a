"""What every archive model shares: the archive entity (arkivenhet) and a check helper."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

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


def _exactly_one(*fields: str) -> Q:
    """A check that exactly one of ``fields`` is set."""
    options = [Q(**{f"{name}__isnull": name != chosen for name in fields}) for chosen in fields]
    combined = options[0]
    for option in options[1:]:
        combined |= option
    return combined
