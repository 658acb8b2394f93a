"""Data of the portal (Tjenestetorg): services, forms, drafts, submissions, the digital mailbox.

Every table carries ``municipality``; unique keys include it. Citizens are referred to by
foreign key to ``identity.Citizen`` (a person across municipalities, owned by the identity app);
archive objects by their Noark ``systemID`` (``*_system_id``), written only through
``ekommune.archive.services`` and read only through ``ekommune.archive.selectors``
(docs/decisions/0036-archive-references-by-system-id.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel


class LifeEvent(models.TextChoices):
    """Livshendelser: how citizens look for services (the national life-event model)."""

    CHILDREN = "barn", _("Få barn og barnehage")
    SCHOOL = "skole", _("Skole og utdanning")
    HOUSING = "bolig", _("Bolig, eiendom og bygging")
    BUSINESS = "naering", _("Starte og drive virksomhet")
    HEALTH = "helse", _("Helse og omsorg")
    DAILY = "hverdag", _("Hverdag og nærmiljø")


class Topic(models.TextChoices):
    """Tema (topic) in the catalogue."""

    KINDERGARTEN = "barnehage", _("Barnehage")
    SCHOOL = "skole", _("Skole")
    BUILDING = "byggesak", _("Byggesak")
    ROADS = "vei", _("Vei, vann og avløp")
    PERMITS = "bevillinger", _("Bevillinger")
    HEALTH = "helse", _("Helse")
    OTHER = "annet", _("Annet")


class AssuranceLevel(models.TextChoices):
    """ID-porten levels of assurance (values of ``ekommune.identity.types.Level``)."""

    SUBSTANTIAL = "idporten-loa-substantial", _("Betydelig (MinID, BankID)")
    HIGH = "idporten-loa-high", _("Høyt (BankID, Buypass, Commfides)")


class PortalSettings(TenantOwnedModel):
    """The municipality's portal settings: the system account that registers submissions.

    Submissions arrive from citizens, who are not staff; the archive registers them in the name
    of this account (a staff user with the case-worker role and no usable password).
    """

    system_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("portalinnstillinger")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="portal_settings_one_per_municipality")
        ]


class FormDefinition(TenantOwnedModel):
    """Skjema: a form, whose content lives in immutable, numbered ``FormVersion`` rows."""

    slug = models.SlugField(_("kortnavn"), max_length=80)
    title = models.CharField(_("tittel"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("skjema")
        verbose_name_plural = _("skjemaer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="portal_form_slug_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def current_version(self) -> FormVersion | None:
        return self.versions.order_by("-number").first()


class FormVersion(TenantOwnedModel):
    """One version of a form's JSON definition. Never changed (a trigger refuses UPDATE)."""

    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("skjemaversjon")
        verbose_name_plural = _("skjemaversjoner")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="portal_form_version_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="portal_form_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class Service(TenantOwnedModel):
    """Tjeneste: one service in the catalogue, with its form and where its submissions are archived."""

    slug = models.SlugField(_("kortnavn"), max_length=80)
    title = models.CharField(_("tittel"), max_length=200)
    summary = models.CharField(_("kort beskrivelse"), max_length=400)
    description = models.TextField(_("beskrivelse"), blank=True)
    who_may_apply = models.TextField(_("hvem kan søke"), blank=True)
    price = models.CharField(_("pris"), max_length=200, blank=True)
    processing_time = models.CharField(_("saksbehandlingstid"), max_length=200, blank=True)
    legal_basis = models.CharField(_("lovgrunnlag"), max_length=300, blank=True)
    contact = models.CharField(_("kontakt"), max_length=300, blank=True)
    required_level = models.CharField(
        _("sikkerhetsnivå"), max_length=40, choices=AssuranceLevel.choices, default=AssuranceLevel.SUBSTANTIAL
    )
    life_event = models.CharField(_("livshendelse"), max_length=20, choices=LifeEvent.choices)
    topic = models.CharField(_("tema"), max_length=20, choices=Topic.choices)
    is_published = models.BooleanField(_("publisert"), default=False)
    form = models.ForeignKey(
        FormDefinition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("skjema"),
    )
    # Where submissions go in the archive (arkivdel, klasse, administrativ enhet, saksansvarlig).
    archive_series_system_id = models.UUIDField(_("arkivdel"), null=True, blank=True)
    archive_class_system_id = models.UUIDField(_("klasse"), null=True, blank=True)
    administrative_unit = models.CharField(_("administrativ enhet"), max_length=150, blank=True)
    case_responsible = models.CharField(_("saksansvarlig"), max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tjeneste")
        verbose_name_plural = _("tjenester")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="portal_service_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(required_level__in=AssuranceLevel.values),
                name="portal_service_level_known",
            ),
            models.CheckConstraint(
                condition=models.Q(life_event__in=LifeEvent.values), name="portal_service_life_event"
            ),
            models.CheckConstraint(
                condition=models.Q(topic__in=Topic.values), name="portal_service_topic_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def accepts_submissions(self) -> bool:
        return self.form_id is not None and self.archive_series_system_id is not None


class Draft(TenantOwnedModel):
    """Utkast: a citizen's unfinished answers to a form, one per citizen and form.

    ``values`` holds what was typed, as typed (so nothing is lost, even invalid input);
    ``idempotency_key`` is the key its submission will carry.
    """

    citizen = models.ForeignKey("identity.Citizen", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="drafts")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(default=dict)
    idempotency_key = models.UUIDField(default=uuid.uuid4)
    continues = models.ForeignKey(
        "Submission", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # ettersending: goes into this earlier submission's case
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("utkast")
        verbose_name_plural = _("utkast")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "citizen", "service"], name="portal_draft_one_per_service"
            ),
            models.UniqueConstraint(
                fields=["municipality", "idempotency_key"], name="portal_draft_key_unique"
            ),
        ]


class DraftAttachment(TenantOwnedModel):
    """A file attached to a draft, kept until the submission moves it into the archive."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="attachments")
    input_name = models.CharField(max_length=120)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "input_name"], name="portal_draft_attachment_per_input"),
        ]


class Submission(TenantOwnedModel):
    """Innsending: a submitted form, registered in the archive in the same transaction."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Mottatt")
        UNDER_TREATMENT = "under_treatment", _("Under behandling")
        DECIDED = "decided", _("Avgjort")

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="submissions")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("identity.Citizen", on_delete=models.PROTECT, related_name="+")
    acting_for = models.CharField(_("på vegne av (org.nr.)"), max_length=9, blank=True)
    idempotency_key = models.UUIDField()
    data = models.JSONField()
    contact_email = models.EmailField(_("e-post for kvittering"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    case_number = models.CharField(_("saksnummer"), max_length=20)
    case_file_system_id = models.UUIDField(_("saksmappe"))
    registry_entry_system_id = models.UUIDField(_("journalpost"))
    receipt_system_id = models.UUIDField(_("kvittering (dokumentobjekt)"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("innsending")
        verbose_name_plural = _("innsendinger")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "idempotency_key"], name="portal_submission_idempotent"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "under_treatment", "decided"]),
                name="portal_submission_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "service", "status"], name="portal_submission_inbox"),
            models.Index(
                fields=["municipality", "citizen", "-submitted_at"], name="portal_submission_citizen"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.case_number}"


class LetterTemplate(TenantOwnedModel):
    """Brevmal: the body of a reply letter, with ``{navn}``, ``{saksnummer}``, ``{tjeneste}``."""

    name = models.CharField(_("navn"), max_length=120)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("brevtekst"))

    class Meta:
        verbose_name = _("brevmal")
        verbose_name_plural = _("brevmaler")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="portal_letter_template_name")
        ]

    def __str__(self) -> str:
        return self.name


class MailboxMessage(TenantOwnedModel):
    """Digital postkasse: a letter to a citizen; the letter itself is the archive's document."""

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey("identity.Citizen", on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    subject = models.CharField(_("emne"), max_length=200)
    registry_entry_system_id = models.UUIDField(_("journalpost"))
    document_system_id = models.UUIDField(_("brev (dokumentobjekt)"))
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)  # lesekvittering: first opened

    class Meta:
        verbose_name = _("brev i digital postkasse")
        verbose_name_plural = _("digital postkasse")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["municipality", "citizen", "-sent_at"], name="portal_mailbox_citizen")
        ]


class NoticePreference(TenantOwnedModel):
    """How a citizen wants to hear that something new arrived (varsling)."""

    citizen = models.ForeignKey("identity.Citizen", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-post for varsler"), blank=True)
    notify_by_email = models.BooleanField(_("varsle meg på e-post"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "citizen"], name="portal_notice_preference_unique"
            )
        ]
