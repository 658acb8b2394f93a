"""Citizens (innbyggere) known to the installation by their national identity number.

A citizen is one person across all municipalities of an installation (an intermunicipal
cooperation serves the same people), so ``Citizen`` is not tenant-owned; what a citizen does in
a municipality (submissions, letters) is, in the apps that own it. Other apps refer to a
citizen by foreign key (``"identity.Citizen"``) or by ``system_id``, never by reading this table.

The providers a municipality logs people in with, the representations of its static role source
and the provider sessions (for front-channel logout) are tenant-owned.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel


class Citizen(models.Model):
    """A person who has logged in with national eID (ID-porten ``pid`` claim)."""

    system_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    national_identity_number = models.CharField(
        _("fødselsnummer"), max_length=11, unique=True, help_text=_("ID-porten's pid claim: 11 digits.")
    )
    name = models.CharField(_("navn"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("innbygger")
        verbose_name_plural = _("innbyggere")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(national_identity_number__regex=r"^[0-9]{11}$"),
                name="identity_citizen_nin_11_digits",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or _('innbygger')} ({self.system_id})"  # never the identity number


class ProviderKind(models.TextChoices):
    """Which kind of OpenID provider: who logs in through it."""

    IDPORTEN = "idporten", _("ID-porten (innbyggere)")
    FEIDE = "feide", _("Feide (skole)")
    STAFF = "staff", _("Kommunens egen identitetstjeneste (ansatte)")


class RoleSourceKind(models.TextChoices):
    """Where the organisations a citizen may act for come from (``ekommune.identity.roles``)."""

    NONE = "none", _("Ingen (bare seg selv)")
    STATIC = "static", _("Kommunens egen tabell")
    CLAIMS = "claims", _("Fra identitetstjenesten (authorization_details)")


class IdentityProvider(TenantOwnedModel):
    """An OpenID Connect provider a municipality logs people in with (identitetsleverandør).

    The client secret is either stored here or, better, named: ``client_secret_env`` is the name of
    an environment variable that holds it (the secret then never enters the database).
    """

    kind = models.CharField(_("type"), max_length=16, choices=ProviderKind.choices)
    name = models.CharField(_("navn"), max_length=100, help_text=_("Vises på innloggingssiden."))
    issuer = models.URLField(_("utsteder (issuer)"), max_length=300)
    discovery_url = models.URLField(
        _("discovery-adresse"),
        max_length=400,
        blank=True,
        help_text=_("Tom: <utsteder>/.well-known/openid-configuration."),
    )
    client_id = models.CharField(_("klient-ID"), max_length=200)
    client_secret = models.CharField(_("klienthemmelighet"), max_length=400, blank=True)
    client_secret_env = models.CharField(
        _("miljøvariabel med klienthemmeligheten"), max_length=100, blank=True
    )
    scopes = models.CharField(_("scopes"), max_length=400, default="openid profile")
    role_source = models.CharField(
        _("kilde for representasjon"), max_length=16, choices=RoleSourceKind.choices, default="none"
    )
    enabled = models.BooleanField(_("i bruk"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identitetsleverandør")
        verbose_name_plural = _("identitetsleverandører")
        ordering = ["municipality", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="identity_provider_one_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ProviderKind.values), name="identity_provider_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(role_source__in=RoleSourceKind.values),
                name="identity_provider_role_source_known",
            ),
            models.CheckConstraint(
                condition=models.Q(scopes__contains="openid"), name="identity_provider_scopes_openid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def metadata_url(self) -> str:
        return self.discovery_url or self.issuer.rstrip("/") + "/.well-known/openid-configuration"


class BusinessRepresentation(TenantOwnedModel):
    """That a person may act for an organisation in this municipality's services (representasjon).

    The static role source (``roles.StaticRoleSource``): a table kept by the municipality, standing in
    for the national role register (Altinn / Enhetsregisteret) that is out of reach here.
    """

    national_identity_number = models.CharField(_("fødselsnummer"), max_length=11)
    organisation_number = models.CharField(_("organisasjonsnummer"), max_length=9)
    organisation_name = models.CharField(_("organisasjonens navn"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("representasjon")
        verbose_name_plural = _("representasjoner")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "national_identity_number", "organisation_number"],
                name="identity_representation_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(national_identity_number__regex=r"^[0-9]{11}$"),
                name="identity_representation_nin_11_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation_number__regex=r"^[0-9]{9}$"),
                name="identity_representation_orgnr_9_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.organisation_number})"  # never the identity number


class ProviderSession(TenantOwnedModel):
    """Which browser session a provider's session id (``sid``) belongs to, for front-channel logout.

    The provider's logout request arrives in a hidden frame, often without our session cookie
    (SameSite), so the session is found by ``sid`` here and ended on the server.
    """

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="sessions")
    sid = models.CharField(max_length=200)
    session_key = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "sid", "session_key"], name="identity_provider_sid"),
        ]
        indexes = [models.Index(fields=["provider", "sid"], name="identity_provider_sid_idx")]

    def __str__(self) -> str:
        return f"{self.provider_id}:{self.sid}"
