"""Risk assessments (ROS-analyser): a ROS of an asset, its threats (uønskede hendelser) with
likelihood and consequence, its measures (tiltak), its approved versions, and the deviations
whose recurring cause a measure answers.

The working copy (threats, measures) is edited while the ROS is a draft; approving it freezes a
version (a snapshot readable later, and a PDF/A document in the archive); revising opens the next
version as a draft. Scales, states and the residual levels are database constraints.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel
from ekommune.security.rules import MAX_REDUCTION


class AssetKind(models.TextChoices):
    SYSTEM = "system", _("System")
    SERVICE = "service", _("Tjeneste")
    PROCESS = "process", _("Prosess")


class RiskAssessmentState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    APPROVED = "approved", _("Godkjent")


def _scale(field: str) -> Q:
    return Q(**{f"{field}__gte": 1, f"{field}__lte": 5})


class RiskAssessment(TenantOwnedModel):
    """A ROS-analyse of one asset (a system, a service or a process)."""

    asset_name = models.CharField(_("hva analysen gjelder"), max_length=200)
    asset_kind = models.CharField(_("type"), max_length=10, choices=AssetKind.choices)
    scope = models.TextField(_("omfang og forutsetninger"), blank=True)
    owner = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarlig")
    )
    state = models.CharField(
        _("status"), max_length=10, choices=RiskAssessmentState.choices, default=RiskAssessmentState.DRAFT
    )
    version = models.PositiveIntegerField(_("versjon"), default=1)
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    review_due = models.DateField(_("neste gjennomgang"), null=True, blank=True)
    review_reminders_sent = models.PositiveSmallIntegerField(_("påminnelser sendt"), default=0)
    case_system_id = models.UUIDField(_("saksmappe (systemID)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asset_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(asset_kind__in=AssetKind.values), name="ros_asset_kind_known"),
            models.CheckConstraint(condition=Q(state__in=RiskAssessmentState.values), name="ros_state_known"),
            models.CheckConstraint(condition=~Q(asset_name=""), name="ros_has_asset_name"),
            models.CheckConstraint(condition=Q(version__gte=1), name="ros_version_from_one"),
            models.CheckConstraint(
                condition=~Q(state=RiskAssessmentState.APPROVED)
                | (
                    Q(approved_at__isnull=False)
                    & Q(review_due__isnull=False)
                    & Q(case_system_id__isnull=False)
                ),
                name="ros_approved_has_date_review_and_case",
            ),
            models.CheckConstraint(
                condition=Q(review_reminders_sent__lte=2), name="ros_review_reminders_at_most_two"
            ),
        ]

    def __str__(self) -> str:
        return f"ROS {self.asset_name} v{self.version}"


class Threat(TenantOwnedModel):
    """An unwanted event (uønsket hendelse) with its likelihood and its consequence for
    confidentiality, integrity and availability (1–5 each); the residual levels are what is left
    when the done measures have worked (kept by the services)."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="threats")
    number = models.PositiveIntegerField(_("nummer"))
    title = models.CharField(_("uønsket hendelse"), max_length=200)
    description = models.TextField(_("beskrivelse og årsaker"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("sannsynlighet"))
    confidentiality = models.PositiveSmallIntegerField(_("konsekvens for konfidensialitet"))
    integrity = models.PositiveSmallIntegerField(_("konsekvens for integritet"))
    availability = models.PositiveSmallIntegerField(_("konsekvens for tilgjengelighet"))
    residual_likelihood = models.PositiveSmallIntegerField(_("sannsynlighet etter tiltak"))
    residual_confidentiality = models.PositiveSmallIntegerField(_("konfidensialitet etter tiltak"))
    residual_integrity = models.PositiveSmallIntegerField(_("integritet etter tiltak"))
    residual_availability = models.PositiveSmallIntegerField(_("tilgjengelighet etter tiltak"))

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="threat_number_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="threat_has_title"),
            *(
                models.CheckConstraint(condition=_scale(field), name=f"threat_{field}_1_to_5")
                for field in (
                    "likelihood",
                    "confidentiality",
                    "integrity",
                    "availability",
                    "residual_likelihood",
                    "residual_confidentiality",
                    "residual_integrity",
                    "residual_availability",
                )
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"residual_{field}__lte": F(field)}),
                    name=f"threat_residual_{field}_not_above",
                )
                for field in ("likelihood", "confidentiality", "integrity", "availability")
            ),
        ]

    def __str__(self) -> str:
        return f"H{self.number} {self.title}"

    @property
    def code(self) -> str:
        """The threat's short name in the matrix, ``H3`` (hendelse 3)."""
        return f"H{self.number}"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Gjennomført")


class RiskMeasure(TenantOwnedModel):
    """A measure (tiltak) against a threat: owner, due date, status, and how many steps it lowers
    the likelihood and the consequence when done."""

    threat = models.ForeignKey(Threat, on_delete=models.CASCADE, related_name="measures")
    description = models.TextField(_("tiltak"))
    owner = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarlig")
    )
    due_date = models.DateField(_("frist"))
    status = models.CharField(
        _("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    done_at = models.DateTimeField(_("gjennomført"), null=True, blank=True)
    reduces_likelihood = models.PositiveSmallIntegerField(_("senker sannsynligheten (trinn)"), default=0)
    reduces_consequence = models.PositiveSmallIntegerField(_("senker konsekvensen (trinn)"), default=0)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="measure_has_description"),
            models.CheckConstraint(condition=Q(status__in=MeasureStatus.values), name="measure_status_known"),
            models.CheckConstraint(
                condition=(Q(status=MeasureStatus.DONE) & Q(done_at__isnull=False))
                | (~Q(status=MeasureStatus.DONE) & Q(done_at__isnull=True)),
                name="measure_done_iff_done_at",
            ),
            models.CheckConstraint(
                condition=Q(reduces_likelihood__lte=MAX_REDUCTION)
                & Q(reduces_consequence__lte=MAX_REDUCTION),
                name="measure_reduction_0_to_4",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class DeviationMeasureLink(TenantOwnedModel):
    """A deviation whose (recurring) cause a ROS measure answers (§1: «Recurring causes are
    linked to ROS measures»)."""

    deviation = models.ForeignKey(
        "security.Deviation", on_delete=models.CASCADE, related_name="measure_links"
    )
    measure = models.ForeignKey(RiskMeasure, on_delete=models.CASCADE, related_name="deviation_links")
    cause = models.CharField(_("årsak"), max_length=300)
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deviation", "measure"], name="deviation_measure_link_once"),
            models.CheckConstraint(condition=~Q(cause=""), name="deviation_measure_link_has_cause"),
        ]


class RiskAssessmentVersion(TenantOwnedModel):
    """An approved version of a ROS, frozen: what it said (a snapshot of its threats and measures,
    read by the version page) and the archive entry holding its PDF/A document."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versjon"))
    approved_at = models.DateTimeField(_("godkjent"))
    approved_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(_("innhold"))
    entry_system_id = models.UUIDField(_("journalpost (systemID)"))

    class Meta:
        ordering = ["assessment", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="ros_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="ros_version_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"
