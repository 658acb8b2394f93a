"""Keywords (noekkelord) and national identifiers (nasjonalidentifikator) of files and records.

Each belongs to exactly one case file, plain file or registration. A national identifier is one
of the spec's kinds, each with its own columns (checked per kind); a person's number
(fødselsnummer, D-nummer) is shown only to staff allowed to see it (decision 0162).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from ekommune.archive.models.common import _exactly_one
from ekommune.archive.models.folders import Folder
from ekommune.archive.models.records import CaseFile, RegistryEntry
from ekommune.core.models import TenantOwnedModel

KINDS = ["matrikkel", "bygning", "plan", "posisjon", "enhetsidentifikator", "foedselsnummer", "dnummer"]


class OnFileOrRecord(TenantOwnedModel):
    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=200)

    class Meta:
        abstract = True


class Keyword(OnFileOrRecord):
    """noekkelord (M022): one keyword of a file or record."""

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="keyword_objects"
    )
    folder = models.ForeignKey(
        Folder, on_delete=models.CASCADE, null=True, blank=True, related_name="keyword_objects"
    )
    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="keyword_objects"
    )
    text = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("case_file", "folder", "registry_entry"), name="keyword_on_one_object"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="keyword_has_text"),
        ]


class NationalIdentifier(OnFileOrRecord):
    """nasjonalidentifikator: matrikkel, bygning, plan, posisjon, enhetsidentifikator,
    foedselsnummer or dnummer of a file or record."""

    class Kind(models.TextChoices):
        CADASTRE = "matrikkel"
        BUILDING = "bygning"
        PLAN = "plan"
        POSITION = "posisjon"
        UNIT = "enhetsidentifikator"
        BIRTH_NUMBER = "foedselsnummer"
        D_NUMBER = "dnummer"

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="national_identifiers"
    )
    folder = models.ForeignKey(
        Folder, on_delete=models.CASCADE, null=True, blank=True, related_name="national_identifiers"
    )
    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="national_identifiers"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # matrikkel
    cadastre_municipality = models.CharField(max_length=4, blank=True)  # kommunenummer
    farm_number = models.PositiveIntegerField(null=True, blank=True)  # gaardsnummer
    holding_number = models.PositiveIntegerField(null=True, blank=True)  # bruksnummer
    lease_number = models.PositiveIntegerField(null=True, blank=True)  # festenummer
    section_number = models.PositiveIntegerField(null=True, blank=True)  # seksjonsnummer
    # bygning
    building_number = models.PositiveIntegerField(null=True, blank=True)  # bygningsnummer
    change_number = models.PositiveIntegerField(null=True, blank=True)  # endringsloepenummer
    # plan
    plan_municipality = models.CharField(max_length=4, blank=True)  # kommunenummer
    county_number = models.CharField(max_length=2, blank=True)  # fylkesnummer
    country_code = models.CharField(max_length=2, blank=True)  # landkode
    plan_id = models.CharField(max_length=100, blank=True)  # planidentifikasjon
    # posisjon
    coordinate_system = models.CharField(max_length=30, blank=True)  # koordinatsystem (kode)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)
    # enhetsidentifikator / foedselsnummer / dnummer
    organisation_number = models.CharField(max_length=9, blank=True)
    person_number = models.CharField(max_length=11, blank=True)  # never public

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("case_file", "folder", "registry_entry"),
                name="national_identifier_on_one_object",
            ),
            models.CheckConstraint(condition=Q(kind__in=KINDS), name="national_identifier_kind_known"),
            models.CheckConstraint(
                condition=Q(kind="matrikkel", farm_number__isnull=False, holding_number__isnull=False)
                | Q(kind="bygning", building_number__isnull=False)
                | Q(kind="plan") & ~Q(plan_id="")
                | Q(kind="posisjon", x__isnull=False, y__isnull=False) & ~Q(coordinate_system="")
                | Q(kind="enhetsidentifikator") & ~Q(organisation_number="")
                | Q(kind__in=["foedselsnummer", "dnummer"]) & ~Q(person_number=""),
                name="national_identifier_complete",
            ),
        ]
