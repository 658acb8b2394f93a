"""The public journal's own data: each municipality's publication policy."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel

# Classes whose private persons are never named in public, in the municipal subject-based scheme
# (arkivnøkkel, K-koder): F = social services and child welfare, G = health, H = care (pleie og
# omsorg), 4xx = personnel. A municipality may set its own list.
DEFAULT_SENSITIVE_CLASS_PREFIXES = ["F", "G", "H", "4"]


def default_sensitive_class_prefixes() -> list[str]:
    return list(DEFAULT_SENSITIVE_CLASS_PREFIXES)


class PublicationPolicy(TenantOwnedModel):
    """How a municipality publishes its journal (one row per municipality; defaults when absent)."""

    publish_internal_notes = models.BooleanField(_("publiser interne notater (N og X)"), default=False)
    delay_hours = models.PositiveIntegerField(_("forsinkelse før publisering (timer)"), default=0)
    sensitive_class_prefixes = ArrayField(
        models.CharField(max_length=20),
        default=default_sensitive_class_prefixes,
        blank=True,
        verbose_name=_("klasser der private personer aldri navngis (prefiks av klasseID)"),
    )
    full_text_enabled = models.BooleanField(_("publiser fulltekst av uskjermede dokumenter"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_publication_policy_per_municipality")
        ]
