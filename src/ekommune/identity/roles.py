"""Acting for a business (representasjon): where the organisations a citizen may act for come from.

A ``RoleSource`` answers "which organisations may this person act for here?" at login. The
national role register (Altinn) is out of reach, so two sources exist, chosen per provider
(``IdentityProvider.role_source``):

- ``StaticRoleSource``: the municipality's own table (``BusinessRepresentation``), e.g. for the demo;
- ``ClaimsRoleSource``: what the provider says in the ID token, Ansattporten-style
  ``authorization_details`` with ``reportees`` (``"ID": "0192:<orgnr>"``).

Organisation numbers are checked with python-stdnum (``no.orgnr``); invalid ones are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from stdnum.no import orgnr

from ekommune.core.models import Municipality
from ekommune.core.validators import is_ascii_digits
from ekommune.identity.models import BusinessRepresentation, RoleSourceKind


@dataclass(frozen=True)
class Organisation:
    number: str
    name: str


class RoleSource(Protocol):
    def organisations(
        self, *, municipality: Municipality, national_identity_number: str, claims: Mapping[str, Any]
    ) -> list[Organisation]: ...


def organisation_number_valid(number: str) -> bool:
    return len(number) == 9 and is_ascii_digits(number) and bool(orgnr.is_valid(number))


class NoRoleSource:
    def organisations(
        self, *, municipality: Municipality, national_identity_number: str, claims: Mapping[str, Any]
    ) -> list[Organisation]:
        return []


class StaticRoleSource:
    def organisations(
        self, *, municipality: Municipality, national_identity_number: str, claims: Mapping[str, Any]
    ) -> list[Organisation]:
        rows = BusinessRepresentation.objects.for_municipality(municipality).filter(
            national_identity_number=national_identity_number
        )
        return [
            Organisation(number=row.organisation_number, name=row.organisation_name)
            for row in rows.order_by("organisation_name")
            if organisation_number_valid(row.organisation_number)
        ]


class ClaimsRoleSource:
    PREFIX = "0192:"  # ISO 6523 ICD for Enhetsregisteret

    def organisations(
        self, *, municipality: Municipality, national_identity_number: str, claims: Mapping[str, Any]
    ) -> list[Organisation]:
        found: dict[str, Organisation] = {}
        details = claims.get("authorization_details")
        for detail in details if isinstance(details, list) else []:
            reportees = detail.get("reportees") if isinstance(detail, dict) else None
            for reportee in reportees if isinstance(reportees, list) else []:
                if not isinstance(reportee, dict):
                    continue
                identifier = str(reportee.get("ID", ""))
                number = identifier.removeprefix(self.PREFIX)
                if identifier.startswith(self.PREFIX) and organisation_number_valid(number):
                    found.setdefault(number, Organisation(number=number, name=str(reportee.get("Name", ""))))
        return sorted(found.values(), key=lambda organisation: organisation.name)


ROLE_SOURCES: dict[str, RoleSource] = {
    RoleSourceKind.NONE: NoRoleSource(),
    RoleSourceKind.STATIC: StaticRoleSource(),
    RoleSourceKind.CLAIMS: ClaimsRoleSource(),
}


def role_source_for(kind: str) -> RoleSource:
    return ROLE_SOURCES.get(kind, NoRoleSource())
