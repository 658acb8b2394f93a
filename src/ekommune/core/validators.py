"""Validators for Norwegian identifiers and branding values, shared by models and services."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr

MUNICIPALITY_NUMBER_PATTERN = r"^[0-9]{4}$"
ORGANISATION_NUMBER_PATTERN = r"^[0-9]{9}$"
COLOUR_PATTERN = r"^#[0-9a-f]{6}$"
HOST_NAME_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"


def validate_municipality_number(value: str) -> None:
    """Kommunenummer: four digits, the first two the county (fylke)."""
    if not re.fullmatch(MUNICIPALITY_NUMBER_PATTERN, value or ""):
        raise ValidationError(_("Kommunenummeret må være fire sifre."), code="invalid_municipality_number")


def validate_organisation_number(value: str) -> None:
    """Organisasjonsnummer: nine digits with a modulus-11 check digit (Enhetsregisteret)."""
    if not orgnr.is_valid(value or ""):
        raise ValidationError(
            _("Organisasjonsnummeret er ikke gyldig (ni sifre med riktig kontrollsiffer)."),
            code="invalid_organisation_number",
        )


def validate_colour(value: str) -> None:
    if not re.fullmatch(COLOUR_PATTERN, value or ""):
        raise ValidationError(_("Fargen må skrives som #rrggbb med små bokstaver."), code="invalid_colour")


def validate_host_name(value: str) -> None:
    if len(value) > 253 or not re.fullmatch(HOST_NAME_PATTERN, value or ""):
        raise ValidationError(
            _("Ugyldig vertsnavn (bare små bokstaver, sifre, bindestrek og punktum)."),
            code="invalid_host_name",
        )


def is_ascii_digits(text: str) -> bool:
    """Only the digits 0–9 (at least one). ``str.isdigit`` also accepts "²" or "①", which ``int``
    refuses: input checked with it could still crash the parse that follows."""
    return text.isascii() and text.isdigit()
