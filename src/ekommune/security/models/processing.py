"""The record of processing activities (protokoll over behandlingsaktiviteter, GDPR art. 30) and
the DPIA checklist (art. 35) of each activity.

What may be shown on the municipality's public page is said by ``PUBLIC_FIELDS``; the rest
(security measures, systems, internal notes, the DPIA) is for staff only.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel
from ekommune.security.rules import DPIA_THRESHOLD


class Article6Basis(models.TextChoices):
    """GDPR art. 6 nr. 1."""

    CONSENT = "a", _("a) samtykke")
    CONTRACT = "b", _("b) avtale med den registrerte")
    LEGAL_OBLIGATION = "c", _("c) rettslig forpliktelse")
    VITAL_INTERESTS = "d", _("d) vitale interesser")
    PUBLIC_TASK = "e", _("e) oppgave i allmennhetens interesse eller offentlig myndighet")
    LEGITIMATE_INTERESTS = "f", _("f) berettiget interesse")


class Article9Basis(models.TextChoices):
    """GDPR art. 9 nr. 2 (special categories of personal data)."""

    EXPLICIT_CONSENT = "a", _("a) uttrykkelig samtykke")
    EMPLOYMENT = "b", _("b) arbeidsrett og trygderett")
    VITAL_INTERESTS = "c", _("c) vitale interesser")
    NON_PROFIT = "d", _("d) stiftelse, sammenslutning eller ideelt organ")
    MADE_PUBLIC = "e", _("e) gjort alminnelig kjent av den registrerte")
    LEGAL_CLAIMS = "f", _("f) rettskrav")
    SUBSTANTIAL_PUBLIC_INTEREST = "g", _("g) viktige allmenne interesser")
    HEALTH_AND_SOCIAL_CARE = "h", _("h) helse- og sosialtjenester")
    PUBLIC_HEALTH = "i", _("i) folkehelse")
    ARCHIVING_RESEARCH = "j", _("j) arkiv, forskning og statistikk")


# The fields of the record that the public page shows (the transparency duty, art. 13/14); the
# security measures and systems would help an attacker, and the notes are internal.
PUBLIC_FIELDS = (
    "name",
    "purpose",
    "legal_basis_art6",
    "legal_basis_art9",
    "legal_basis_reference",
    "data_subject_categories",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
)


class ProcessingActivity(TenantOwnedModel):
    """One processing activity (behandlingsaktivitet) of the municipality as controller."""

    key = models.SlugField(_("nøkkel"), max_length=50, blank=True)  # prefilled activities: which one
    name = models.CharField(_("behandling"), max_length=200)
    purpose = models.TextField(_("formål"))
    legal_basis_art6 = ArrayField(
        models.CharField(max_length=1, choices=Article6Basis.choices),
        verbose_name=_("rettslig grunnlag (art. 6)"),
    )
    legal_basis_art9 = ArrayField(
        models.CharField(max_length=1, choices=Article9Basis.choices),
        default=list,
        blank=True,
        verbose_name=_("unntak for særlige kategorier (art. 9)"),
    )
    legal_basis_reference = models.TextField(_("supplerende rettsgrunnlag (lov og forskrift)"), blank=True)
    data_subject_categories = models.TextField(_("kategorier av registrerte"))
    data_categories = models.TextField(_("kategorier av personopplysninger"))
    recipients = models.TextField(_("mottakere"), blank=True)
    transfers = models.TextField(_("overføring til tredjeland"), blank=True)
    retention = models.TextField(_("lagringstid og sletting"))
    security_measures = models.TextField(_("sikkerhetstiltak"), blank=True)
    systems = models.TextField(_("systemer"), blank=True)
    internal_note = models.TextField(_("intern merknad"), blank=True)
    published = models.BooleanField(_("vises på den offentlige siden"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "key"], condition=~Q(key=""), name="processing_key_unique"
            ),
            models.CheckConstraint(
                condition=~Q(name="")
                & ~Q(purpose="")
                & ~Q(data_subject_categories="")
                & ~Q(data_categories="")
                & ~Q(retention=""),
                name="processing_has_required_fields",
            ),
            models.CheckConstraint(
                condition=~Q(legal_basis_art6=[]) & Q(legal_basis_art6__contained_by=Article6Basis.values),
                name="processing_art6_known_and_given",
            ),
            models.CheckConstraint(
                condition=Q(legal_basis_art9__contained_by=Article9Basis.values),
                name="processing_art9_known",
            ),
            models.CheckConstraint(  # special categories need the national law that allows them
                condition=Q(legal_basis_art9=[]) | ~Q(legal_basis_reference=""),
                name="processing_art9_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DpiaChecklist(TenantOwnedModel):
    """A DPIA checklist (vurdering av behov for personvernkonsekvensvurdering) of an activity: the
    answers to the nine criteria, whether it is on Datatilsynet's list, the outcome, and — when a
    DPIA was required — its conclusion. Each run is kept; the newest is the activity's current one."""

    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, related_name="dpia_checklists")
    answers = models.JSONField(_("svar"))
    on_authority_list = models.BooleanField(_("på Datatilsynets liste"))
    criteria_met = models.PositiveSmallIntegerField(_("kriterier oppfylt"))
    dpia_required = models.BooleanField(_("DPIA påkrevd"))
    reasoning = models.TextField(_("begrunnelse"))
    assessed_at = models.DateTimeField(_("vurdert"))
    assessed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    dpia_summary = models.TextField(_("konklusjon av DPIA"), blank=True)
    high_residual_risk = models.BooleanField(_("høy restrisiko (forhåndsdrøfting)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("DPIA gjennomført"), null=True, blank=True)

    class Meta:
        ordering = ["activity", "-assessed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(criteria_met__lte=9), name="dpia_criteria_at_most_nine"),
            models.CheckConstraint(
                condition=(
                    Q(dpia_required=True) & (Q(criteria_met__gte=DPIA_THRESHOLD) | Q(on_authority_list=True))
                )
                | (Q(dpia_required=False) & Q(criteria_met__lt=DPIA_THRESHOLD) & Q(on_authority_list=False)),
                name="dpia_required_by_the_criteria",
            ),
            models.CheckConstraint(condition=~Q(reasoning=""), name="dpia_has_reasoning"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | (Q(dpia_required=True) & ~Q(dpia_summary="") & Q(high_residual_risk__isnull=False)),
                name="dpia_completed_with_conclusion",
            ),
        ]

    @property
    def outcome(self) -> str:
        """``not_required``, ``required`` (not yet done), ``completed`` or ``prior_consultation``."""
        if not self.dpia_required:
            return "not_required"
        if self.completed_at is None:
            return "required"
        return "prior_consultation" if self.high_residual_risk else "completed"
