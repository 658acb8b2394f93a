"""The shared kernel's data: municipalities (tenants), staff users, roles, audit log.

Every tenant-owned table in the platform carries ``municipality`` (see ``TenantOwnedModel``), and
its unique keys include it, so that a later move to Citus sharded by municipality needs no
schema change (docs/decisions/0003-tenancy.md).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ekommune.core.validators import (
    COLOUR_PATTERN,
    HOST_NAME_PATTERN,
    MUNICIPALITY_NUMBER_PATTERN,
    ORGANISATION_NUMBER_PATTERN,
    validate_colour,
    validate_host_name,
    validate_municipality_number,
    validate_organisation_number,
)


class Municipality(models.Model):
    """Kommune: one tenant of the installation, with its own data, branding and public pages."""

    name = models.CharField(_("navn"), max_length=100)
    slug = models.SlugField(
        _("kortnavn"), max_length=50, unique=True, help_text=_("Brukes i nettadressen /k/<kortnavn>/.")
    )
    number = models.CharField(
        _("kommunenummer"), max_length=4, unique=True, validators=[validate_municipality_number]
    )
    organisation_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, unique=True, validators=[validate_organisation_number]
    )
    logo = models.FileField(_("logo"), upload_to="municipality-logos/", blank=True)
    primary_colour = models.CharField(
        _("hovedfarge"), max_length=7, default="#1f4e79", validators=[validate_colour]
    )
    accent_colour = models.CharField(
        _("aksentfarge"), max_length=7, default="#f2c14e", validators=[validate_colour]
    )
    email = models.EmailField(_("e-post (postmottak)"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    visiting_address = models.CharField(_("besøksadresse"), max_length=200, blank=True)
    introduction = models.TextField(_("innledning på startsiden"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=MUNICIPALITY_NUMBER_PATTERN),
                name="municipality_number_four_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation_number__regex=ORGANISATION_NUMBER_PATTERN),
                name="municipality_orgnr_nine_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(primary_colour__regex=COLOUR_PATTERN),
                name="municipality_primary_colour_hex",
            ),
            models.CheckConstraint(
                condition=models.Q(accent_colour__regex=COLOUR_PATTERN), name="municipality_accent_colour_hex"
            ),
            models.CheckConstraint(
                condition=models.Q(slug__regex=r"^[a-z0-9-]+$"), name="municipality_slug_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalityDomain(models.Model):
    """A host name a municipality's pages answer to (e.g. ``www.fjordvik.kommune.no``)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="domains")
    host_name = models.CharField(_("vertsnavn"), max_length=253, unique=True, validators=[validate_host_name])
    is_primary = models.BooleanField(_("hovedadresse"), default=False)

    class Meta:
        verbose_name = _("nettadresse")
        verbose_name_plural = _("nettadresser")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(host_name__regex=HOST_NAME_PATTERN), name="domain_host_name_lowercase"
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(is_primary=True),
                name="domain_one_primary_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.host_name


class User(AbstractUser):
    """A staff user (ansatt) of one or more municipalities.

    Citizens do not have password accounts: they log in with ID-porten (the identity app).
    A user's rights come from ``StaffMembership`` rows, one per municipality and role;
    ``is_superuser`` marks the installation's operators (the IT cooperation).

    ``session_epoch`` counts "log out all my sessions": it is part of the hash every login session
    carries (``_get_session_auth_hash``), so raising it ends every session at its next request.
    """

    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session hash over the password, and the session epoch once it is raised (so
        sessions from before any "log out all" stay valid through the upgrade)."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "ekommune.core.User.session_auth_hash",
            f"{self.password}|{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Role(models.TextChoices):
    """Staff roles (roller). What each may do: ekommune.core.permissions."""

    ADMINISTRATOR = "administrator", _("Administrator")
    RECORDS_MANAGER = "records_manager", _("Arkivar")
    CASE_WORKER = "case_worker", _("Saksbehandler")
    POLITICAL_SECRETARIAT = "political_secretariat", _("Politisk sekretariat")
    MANAGEMENT = "management", _("Ledelse (lesetilgang)")


class TenantQuerySet(models.QuerySet[Any]):
    def for_municipality(self, municipality: Municipality) -> TenantQuerySet:
        return self.filter(municipality=municipality)


class TenantOwnedModel(models.Model):
    """Base for every row that belongs to one municipality."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True


class StaffMembership(TenantOwnedModel):
    """A user's role in one municipality (rolle)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.municipality})"


class AuditEvent(models.Model):
    """Revisjonslogg: append-only, hash-chained record of who did what to which object, and when.

    One chain per municipality (``chain_key`` = municipality id) and one for the installation
    (``chain_key`` = 0). ``hash`` = SHA-256 over the previous hash and the canonical form of this
    event (ekommune.core.audit). A database trigger refuses UPDATE and DELETE; ``sequence`` runs
    without gaps within a chain. ``actor_id`` is a plain number, not a foreign key, so that the
    record outlives the user row and can never be changed by a cascade.
    """

    chain_key = models.BigIntegerField()
    sequence = models.BigIntegerField()
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("revisjonsloggpost")
        verbose_name_plural = _("revisjonslogg")
        constraints = [
            models.UniqueConstraint(fields=["chain_key", "sequence"], name="audit_chain_sequence_unique"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_sequence_positive"),
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=True, chain_key=0)
                | models.Q(municipality__isnull=False, chain_key=models.F("municipality")),
                name="audit_chain_key_matches_municipality",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "-occurred_at"], name="audit_municipality_time")]

    def __str__(self) -> str:
        return f"{self.chain_key}#{self.sequence} {self.action}"


class ApiToken(TenantOwnedModel):
    """A bearer token for API clients (OAuth 2.0 password or refresh grant), valid in one municipality.

    Only the SHA-256 of the token is stored; the token itself is shown once, when issued.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # The refresh token of the pair (RFC 6749 §6), also kept as SHA-256 only; spent when used.
    refresh_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    # A token of a service client (client credentials grant) holds that client's scopes; a user's
    # token holds none, and is bounded by the user's roles only (decision 0229).
    scopes = ArrayField(models.CharField(max_length=20), default=list, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a pattern, not a secret)
                name="api_token_hash_hex",
            )
        ]

    def __str__(self) -> str:
        return f"token for {self.user} ({self.municipality})"


class ApiScope(models.TextChoices):
    """What a service client's token may do in the API, within its system account's roles."""

    READ = "read", _("Lese")
    WRITE = "write", _("Skrive")


class ServiceClient(TenantOwnedModel):
    """A system that calls the API with OAuth 2.0 client credentials (RFC 6749 §4.4), not a person:
    its ``client_id`` and a secret (kept as SHA-256 only: it is 256 random bits), the system account
    whose roles bound what it may do, and the scopes it is given (read, write). Decision 0229."""

    name = models.CharField(_("navn"), max_length=200)
    client_id = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="service_clients")
    scopes = ArrayField(models.CharField(max_length=20, choices=ApiScope.choices))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("systemklient")
        verbose_name_plural = _("systemklienter")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(secret_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a pattern)
                name="service_client_secret_hash_hex",
            ),
            models.CheckConstraint(
                condition=models.Q(scopes__contained_by=ApiScope.values) & ~models.Q(scopes=[]),
                name="service_client_scopes_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class RateCounter(models.Model):
    """Requests of one client in one scope in the current window (``core.ratelimits``, decision 0170).

    Unlogged (a crash forgets the counts, which is harmless) and written with one upsert per
    counted request; the key holds the scope and a hash of the client, never an address."""

    key = models.CharField(max_length=100, primary_key=True)
    window_start = models.BigIntegerField()
    hits = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}: {self.hits}"
