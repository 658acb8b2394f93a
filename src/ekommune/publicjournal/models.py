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


# Entry pages per sitemap, plus at most as many case pages: well under the protocol's 50,000 URLs
# and 50 MB, and small enough to write in a few milliseconds when a crawler asks (decision 0180).
SITEMAP_ENTRIES_PER_PAGE = 2_000


class PublicationState(TenantOwnedModel):
    """What the journal's pages know of the publication without reading its entries (decision 0180).

    One row per municipality, written only by ``services.publication_refresh`` in the refresh's own
    transaction: when the publication last changed (the pages' ``ETag`` and ``Last-Modified``), the
    administrative units it shows (the search form's choices), and the id of the first entry of
    each sitemap page (``SITEMAP_ENTRIES_PER_PAGE`` entries a page, in id order).
    """

    changed_at = models.DateTimeField()
    administrative_units = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    sitemap_starts = ArrayField(models.BigIntegerField(), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality"], name="publication_state_once")]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.changed_at:%Y-%m-%d %H:%M}"


# ------------------------------------------------------------------ access requests (innsynskrav)

DEFAULT_DEADLINE_BASIS = (
    "Offentleglova § 29 første ledd: innsynskrav skal avgjøres uten ugrunnet opphold. "
    "Sivilombudet legger til grunn at det normalt skal skje innen 1–3 virkedager."
)
DEFAULT_APPEAL_INFORMATION = (
    "Du kan klage på avslaget innen tre uker etter at du fikk dette svaret (offentleglova § 32 og "
    "forvaltningsloven § 29). Send klagen til kommunen. Endrer ikke kommunen avgjørelsen, sendes "
    "klagen til Statsforvalteren. Du kan også be om en nærmere begrunnelse innen tre uker (offentleglova § 31)."
)


class AccessRequestSettings(TenantOwnedModel):
    """How a municipality handles access requests (one row per municipality; defaults when absent)."""

    deadline_working_days = models.PositiveSmallIntegerField(_("frist (virkedager)"), default=3)
    deadline_basis = models.TextField(_("grunnlag for fristen"), default=DEFAULT_DEADLINE_BASIS)
    appeal_information = models.TextField(_("klageveiledning"), default=DEFAULT_APPEAL_INFORMATION)
    intake_user = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registreres av (postmottak)"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], name="one_access_request_settings_per_municipality"
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_working_days__gte=1, deadline_working_days__lte=20),
                name="access_request_deadline_in_range",
            ),
        ]


class AccessRequestCase(TenantOwnedModel):
    """The archive case that holds a year's access requests (one per municipality and year)."""

    year = models.PositiveIntegerField()
    case_system_id = models.UUIDField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_access_request_case_per_year")
        ]


class AccessRequest(TenantOwnedModel):
    """innsynskrav: a visitor's request for access to public journal entries."""

    class Status(models.TextChoices):
        RECEIVED = "mottatt", _("Mottatt")
        GRANTED = "innvilget", _("Innvilget")
        PARTLY_GRANTED = "delvis", _("Delvis innvilget")
        REFUSED = "avslatt", _("Avslått")

    token = models.CharField(max_length=64, unique=True)  # the secret of the requester's status link
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    received_at = models.DateTimeField()
    deadline = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    case_system_id = models.UUIDField()
    incoming_system_id = models.UUIDField()  # the registered incoming entry (I)
    incoming_registration_id = models.CharField(max_length=40)
    # Set when the requester was logged in (ID-porten): the request then shows on their Min side.
    citizen = models.ForeignKey(
        "identity.Citizen", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_system_id = models.UUIDField(null=True, blank=True)  # the registered answer (U)
    answer_registration_id = models.CharField(max_length=40, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    explanation = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["mottatt", "innvilget", "delvis", "avslatt"]),
                name="access_request_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status="mottatt")
                | (models.Q(decided_at__isnull=False) & models.Q(answer_system_id__isnull=False)),
                name="access_request_decided_with_answer",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["avslatt", "delvis"]) | ~models.Q(legal_basis=""),
                name="access_request_refusal_has_legal_basis",
            ),
            models.CheckConstraint(condition=~models.Q(email=""), name="access_request_has_email"),
        ]
        indexes = [models.Index(fields=["municipality", "status", "deadline"], name="access_request_queue")]


class AccessRequestItem(TenantOwnedModel):
    """One requested entry, as the public journal showed it when the request was made."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="items")
    entry_system_id = models.UUIDField()
    registration_id = models.CharField(max_length=40)
    title = models.TextField()  # the screened title

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "entry_system_id"], name="access_request_item_once")
        ]


class AccessRequestFile(TenantOwnedModel):
    """A file the requester was granted: downloadable through the status link, nothing else."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="files")
    object_system_id = models.UUIDField()  # the archive's document object
    title = models.CharField(max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "object_system_id"], name="access_request_file_once")
        ]
