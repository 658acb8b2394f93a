"""The public journal's own data: publication policy, the published (screened) entries."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel

# Classes whose private persons are never named in public, in the municipal subject-based scheme
# (arkivnøkkel, K-koder): F = social services and child welfare, G = health, H = care (pleie og
# omsorg), 4xx = personnel. A municipality may set its own list.
DEFAULT_SENSITIVE_CLASS_PREFIXES = ["F", "G", "H", "4"]


ENTRY_TYPE_LABELS = {
    "I": _("inngående"),
    "U": _("utgående"),
    "N": _("internt notat med oppfølging"),
    "X": _("internt notat uten oppfølging"),
    "S": _("saksframlegg"),
}


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


class PublishedEntry(TenantOwnedModel):
    """A registry entry as the public journal shows it (offentlegforskrifta § 6), already screened.

    Rows are written only by ``services.publication_refresh`` from ``screening.PublicEntry`` values;
    every public output (pages, API, feeds, sitemap, search) reads this table and nothing else.
    """

    system_id = models.UUIDField()  # the registry entry's systemID
    case_system_id = models.UUIDField()
    entry_type = models.CharField(max_length=2)  # journalposttype (M082): I, U, N, X, S
    journal_year = models.PositiveIntegerField(null=True, blank=True)
    journal_sequence_number = models.PositiveIntegerField(null=True, blank=True)
    journal_number = models.CharField(max_length=20, blank=True)  # løpenummer "57/2026"
    registration_id = models.CharField(max_length=40)  # registreringsID "2026/14-3"
    case_number = models.CharField(max_length=20)  # saksnummer "2026/14"
    case_title = models.TextField()
    title = models.TextField()
    parties = models.JSONField(default=list)  # [{"name": ..., "role": "avsender"|"mottaker"|"part"}]
    party_names = models.TextField(blank=True)  # the shown names, for search
    documents = models.JSONField(default=list)  # [{"system_id", "title", "linked_as", "number", "file"}]
    journal_date = models.DateField()
    document_date = models.DateField(null=True, blank=True)
    administrative_unit = models.CharField(max_length=200, blank=True)
    legal_bases = ArrayField(models.CharField(max_length=300), default=list, blank=True)
    is_screened = models.BooleanField(default=False)
    registered_at = models.DateTimeField()
    published_at = models.DateTimeField()  # first shown in the public journal
    refreshed_at = models.DateTimeField()  # last written by a refresh (a full refresh removes older rows)
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config="norwegian")
            + SearchVector("case_title", weight="B", config="norwegian")
            + SearchVector("party_names", weight="C", config="norwegian")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "system_id"], name="published_entry_once"),
            models.CheckConstraint(
                condition=~models.Q(title="") & ~models.Q(case_number=""), name="published_entry_has_title"
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="published_entry_search"),
            models.Index(fields=["municipality", "-journal_date", "-id"], name="published_entry_date"),
            models.Index(fields=["municipality", "case_number"], name="published_entry_case"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.title}"

    @property
    def case_year(self) -> int:
        return int(self.case_number.partition("/")[0])

    @property
    def case_sequence(self) -> int:
        return int(self.case_number.partition("/")[2])

    @property
    def entry_type_label(self) -> str:
        return str(ENTRY_TYPE_LABELS.get(self.entry_type, self.entry_type))

    @property
    def full_text_documents(self) -> list[dict[str, object]]:
        return [document for document in self.documents if document.get("file")]
