"""The structure: fonds (arkiv) and its creators, classification systems and classes, series (arkivdel), screening."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from ekommune.archive import codelists as cl
from ekommune.archive.models.common import ArchiveEntity
from ekommune.core.models import TenantOwnedModel


class Fonds(ArchiveEntity):
    """arkiv: the top of a municipality's archive."""

    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    status = cl.code_field(cl.FONDS_STATUS, default="O")
    document_medium = cl.code_field(cl.DOCUMENT_MEDIUM, default="E")
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            cl.code_check("status", cl.FONDS_STATUS, "fonds_status_code"),
            cl.code_check("document_medium", cl.DOCUMENT_MEDIUM, "fonds_medium_code"),
        ]

    def __str__(self) -> str:
        return self.title


class FondsCreator(ArchiveEntity):
    """arkivskaper: the body that created the fonds (M006 arkivskaperID, M023 arkivskaperNavn)."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="creators")
    creator_id = models.CharField(max_length=100)
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fonds", "creator_id"], name="fonds_creator_unique")]


class ClassificationSystem(ArchiveEntity):
    """klassifikasjonssystem, e.g. a municipal subject-based scheme (K-koder / emnebasert)."""

    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    classification_type = cl.code_field(cl.CLASSIFICATION_TYPE, blank=True)

    class Meta:
        constraints = [
            cl.code_check(
                "classification_type", cl.CLASSIFICATION_TYPE, "classification_type_code", allow_blank=True
            )
        ]

    def __str__(self) -> str:
        return self.title


class Class(ArchiveEntity):
    """klasse: one code of a classification system (M002 klasseID, e.g. ``064``), possibly nested."""

    classification_system = models.ForeignKey(
        ClassificationSystem, on_delete=models.PROTECT, related_name="classes"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    class_id = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "classes"
        constraints = [
            models.UniqueConstraint(
                fields=["classification_system", "class_id"], name="class_id_unique_in_system"
            )
        ]

    def __str__(self) -> str:
        return f"{self.class_id} {self.title}"


class Series(ArchiveEntity):
    """arkivdel: a period or part of the fonds, with its primary classification system."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="series")
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    status = cl.code_field(cl.SERIES_STATUS, default="A")
    document_medium = cl.code_field(cl.DOCUMENT_MEDIUM, default="E")
    classification_system = models.ForeignKey(
        ClassificationSystem, on_delete=models.PROTECT, null=True, blank=True, related_name="series"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "series"
        constraints = [
            cl.code_check("status", cl.SERIES_STATUS, "series_status_code"),
            cl.code_check("document_medium", cl.DOCUMENT_MEDIUM, "series_medium_code"),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="series_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Screening(TenantOwnedModel):
    """skjerming: access restriction, legal basis, what is screened, and until when."""

    access_restriction = cl.code_field(cl.ACCESS_RESTRICTION)
    legal_basis = models.CharField(max_length=300)  # M501 skjermingshjemmel, e.g. "Offl. § 13 jf. fvl. § 13"
    screened_metadata = ArrayField(models.CharField(max_length=4), default=list, blank=True)  # M502
    screened_document = cl.code_field(cl.SCREENING_DOCUMENT, blank=True)  # M503
    duration_years = models.PositiveIntegerField(null=True, blank=True)  # M504 skjermingsvarighet
    ends_on = models.DateField(null=True, blank=True)  # M505 skjermingOpphoererDato

    class Meta:
        constraints = [
            cl.code_check("access_restriction", cl.ACCESS_RESTRICTION, "screening_access_restriction_code"),
            cl.code_check(
                "screened_document", cl.SCREENING_DOCUMENT, "screening_document_code", allow_blank=True
            ),
            models.CheckConstraint(condition=~Q(legal_basis=""), name="screening_has_legal_basis"),
            models.CheckConstraint(
                condition=Q(screened_metadata__contained_by=cl.SCREENING_METADATA.codes()),
                name="screening_metadata_codes",
            ),
        ]
