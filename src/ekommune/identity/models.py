"""Citizens (innbyggere) known to the installation by their national identity number.

A citizen is one person across all municipalities of an installation (an intermunicipal
cooperation serves the same people), so ``Citizen`` is not tenant-owned; what a citizen does in
a municipality (submissions, letters) is, in the apps that own it. Other apps refer to a
citizen by foreign key (``"identity.Citizen"``) or by ``system_id``, never by reading this table.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


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
