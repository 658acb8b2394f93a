"""Information security and privacy: the deviation register (avvikssystem).

Invariants a row can hold are database constraints: a deviation past *received* has an owner and
a deadline, a closed one a closing time, a personal-data breach is closed only with the decision
on notifying Datatilsynet and its reason, and a decision always has its reason.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel


class SecuritySettings(TenantOwnedModel):
    """Who registers deviations in the archive (intake) and who is the privacy officer
    (personvernombud), per municipality."""

    intake_user = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registreres i arkivet av"),
    )
    privacy_officer = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("personvernombud"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_security_settings_per_municipality")
        ]


class DeviationKind(models.TextChoices):
    INFORMATION_SECURITY = "information_security", _("Informasjonssikkerhet")
    PERSONAL_DATA_BREACH = "personal_data_breach", _("Brudd på personopplysningssikkerheten")
    OTHER = "other", _("Annet")


class DeviationState(models.TextChoices):
    RECEIVED = "received", _("Mottatt")
    ASSESSED = "assessed", _("Vurdert")
    MEASURES = "measures", _("Tiltak")
    CLOSED = "closed", _("Lukket")


class DeviationSource(models.TextChoices):
    STAFF = "staff", _("Ansatt")
    PUBLIC = "public", _("Innbygger")


# The transitions the register allows: from → to.
TRANSITIONS: dict[str, frozenset[str]] = {
    DeviationState.RECEIVED: frozenset({DeviationState.ASSESSED}),
    DeviationState.ASSESSED: frozenset({DeviationState.MEASURES, DeviationState.CLOSED}),
    DeviationState.MEASURES: frozenset({DeviationState.CLOSED}),
    DeviationState.CLOSED: frozenset(),
}


class Deviation(TenantOwnedModel):
    """A deviation (avvik): what happened, its class, its way through the register, and the
    archive case that holds its report and decisions (by Noark systemID, decision 0036)."""

    sequence = models.PositiveIntegerField(_("løpenummer"))
    year = models.PositiveIntegerField(_("år"))
    kind = models.CharField(_("type avvik"), max_length=30, choices=DeviationKind.choices)
    state = models.CharField(
        _("status"), max_length=20, choices=DeviationState.choices, default=DeviationState.RECEIVED
    )
    source = models.CharField(_("meldt av"), max_length=10, choices=DeviationSource.choices)
    title = models.CharField(_("kort beskrivelse"), max_length=200)
    description = models.TextField(_("hva skjedde"))
    occurred_at = models.DateTimeField(_("når det skjedde"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("når det ble oppdaget"))
    reported_at = models.DateTimeField(_("meldt"))
    systems = models.TextField(_("systemer som er berørt"), blank=True)
    data_involved = models.TextField(_("opplysninger som er berørt"), blank=True)
    person_categories = models.TextField(_("kategorier av berørte personer"), blank=True)
    persons_affected = models.PositiveIntegerField(_("antall berørte personer"), null=True, blank=True)
    immediate_measures = models.TextField(_("strakstiltak"), blank=True)
    reporter = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reporter_name = models.CharField(_("navn på melder"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("e-post til melder"), blank=True)
    owner = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    due_date = models.DateField(_("frist"), null=True, blank=True)
    assessment = models.TextField(_("vurdering"), blank=True)
    measures = models.TextField(_("tiltak"), blank=True)
    closing_note = models.TextField(_("avslutning"), blank=True)
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    # The decision on notifying Datatilsynet (GDPR art. 33) and the persons affected (art. 34)
    notify_authority = models.BooleanField(_("meldes til Datatilsynet"), null=True, blank=True)
    notify_reason = models.TextField(_("begrunnelse"), blank=True)
    authority_notified_at = models.DateTimeField(_("meldt til Datatilsynet"), null=True, blank=True)
    persons_notified = models.BooleanField(_("berørte personer varslet"), null=True, blank=True)
    persons_notified_reason = models.TextField(_("begrunnelse for varsling av berørte"), blank=True)
    decided_at = models.DateTimeField(_("besluttet"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("påminnelser sendt"), default=0)
    case_system_id = models.UUIDField(_("saksmappe (systemID)"))
    report_entry_system_id = models.UUIDField(_("avviksmelding (systemID)"))
    decision_entry_system_id = models.UUIDField(_("beslutning (systemID)"), null=True, blank=True)

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "sequence"], name="deviation_number_unique"
            ),
            models.CheckConstraint(condition=Q(kind__in=DeviationKind.values), name="deviation_kind_known"),
            models.CheckConstraint(
                condition=Q(state__in=DeviationState.values), name="deviation_state_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=DeviationSource.values), name="deviation_source_known"
            ),
            models.CheckConstraint(
                condition=Q(state=DeviationState.RECEIVED)
                | (Q(owner__isnull=False) & Q(due_date__isnull=False) & ~Q(assessment="")),
                name="deviation_assessed_has_owner_deadline_assessment",
            ),
            models.CheckConstraint(
                condition=~Q(state=DeviationState.MEASURES) | ~Q(measures=""),
                name="deviation_measures_written",
            ),
            models.CheckConstraint(
                condition=(Q(state=DeviationState.CLOSED) & Q(closed_at__isnull=False))
                | (~Q(state=DeviationState.CLOSED) & Q(closed_at__isnull=True)),
                name="deviation_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=~Q(state=DeviationState.CLOSED)
                | ~Q(kind=DeviationKind.PERSONAL_DATA_BREACH)
                | Q(notify_authority__isnull=False),
                name="deviation_breach_closed_with_decision",
            ),
            models.CheckConstraint(
                condition=Q(notify_authority__isnull=True)
                | (~Q(notify_reason="") & Q(decided_at__isnull=False)),
                name="deviation_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(authority_notified_at__isnull=True) | Q(notify_authority=True),
                name="deviation_notified_only_when_decided",
            ),
            models.CheckConstraint(
                condition=Q(reminders_sent__lte=2), name="deviation_reminders_at_most_two"
            ),
            models.CheckConstraint(
                condition=Q(occurred_at__isnull=True) | Q(occurred_at__lte=models.F("discovered_at")),
                name="deviation_occurred_before_discovered",
            ),
            models.CheckConstraint(
                condition=Q(discovered_at__lte=models.F("reported_at")),
                name="deviation_discovered_before_reported",
            ),
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(description=""), name="deviation_has_title_and_description"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "state"], name="deviation_by_state")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The register's reference, e.g. ``AVVIK-2026-7``."""
        return f"AVVIK-{self.year}-{self.sequence}"


class ReadReview(TenantOwnedModel):
    """A recorded review of the read log (tilgangskontroll, decision 0226): one per municipality and
    week, by the security officer, over the week's random sample of reads, with the outcome."""

    class Outcome(models.TextChoices):
        IN_ORDER = "in_order", _("I orden")
        FOLLOW_UP = "follow_up", _("Følges opp")

    week_start = models.DateField(_("uke (mandag)"))
    reviewed_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("kontrollert av")
    )
    reviewed_at = models.DateTimeField(_("kontrollert"))
    reads_in_week = models.PositiveIntegerField(_("lesinger i uken"))
    sample_size = models.PositiveIntegerField(_("stikkprøver"))
    flagged = models.PositiveIntegerField(_("flagget"))
    outcome = models.CharField(_("resultat"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("merknad"), blank=True)

    class Meta:
        verbose_name = _("kontroll av lesinger")
        verbose_name_plural = _("kontroller av lesinger")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "week_start"], name="read_review_one_per_week"),
            models.CheckConstraint(
                condition=Q(outcome__in=["in_order", "follow_up"]), name="read_review_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(flagged__lte=models.F("sample_size")), name="read_review_flagged_in_sample"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="follow_up") | ~Q(note=""), name="read_review_follow_up_has_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%G-W%V}"
