"""Demo login: each demo municipality logs citizens in through the local stand-in for ID-porten.

``make run`` starts the stand-in provider (``ekommune.identity.standin_op``) beside the web server
and sets ``EKOMMUNE_STANDIN_OP_URL``; without it the address is ``http://127.0.0.1:8090``. Kari
Nordmann may act for a bakery in Fjordvik, Ola Nordmann for a forestry company in Bjørkedal
(the static role source). Called by ``ekommune demo load``; idempotent.
"""

from __future__ import annotations

import os

from ekommune.core.models import Municipality, User
from ekommune.identity import selectors, services
from ekommune.identity.models import IdentityProvider, ProviderKind, RoleSourceKind

DEFAULT_STANDIN_OP_URL = "http://127.0.0.1:8090"
DEMO_CLIENT_ID = "ekommune-demo"
DEMO_CLIENT_SECRET = "demo-secret"  # noqa: S105 (the stand-in provider's demo client)
DEMO_REPRESENTATIONS = {
    "fjordvik": ("01018510002", "910753614", "Fjordvik Bakeri AS"),
    "bjorkedal": ("15038510190", "910753622", "Bjørkedal Skogsdrift AS"),
}


def standin_op_url() -> str:
    return os.environ.get("EKOMMUNE_STANDIN_OP_URL", DEFAULT_STANDIN_OP_URL)


def demo_load(municipalities: list[Municipality]) -> list[str]:
    created: list[str] = []
    operator = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if operator is None:
        return created
    issuer = standin_op_url()
    for municipality in municipalities:
        provider = IdentityProvider.objects.filter(
            municipality=municipality, kind=ProviderKind.IDPORTEN
        ).first()
        if provider is None:
            services.identity_provider_create(
                actor=operator,
                municipality=municipality,
                kind=ProviderKind.IDPORTEN,
                name="ID-porten (lokal test)",
                issuer=issuer,
                client_id=DEMO_CLIENT_ID,
                client_secret=DEMO_CLIENT_SECRET,
                role_source=RoleSourceKind.STATIC,
            )
            created.append(f"identity provider ID-porten for {municipality.name}")
        elif provider.issuer != issuer and provider.client_id == DEMO_CLIENT_ID:
            services.identity_provider_update(actor=operator, provider=provider, issuer=issuer)
            created.append(f"identity provider of {municipality.name} moved to {issuer}")
        if municipality.slug in DEMO_REPRESENTATIONS:
            nin, number, name = DEMO_REPRESENTATIONS[municipality.slug]
            before = selectors.business_representation_count(municipality=municipality)
            services.business_representation_add(
                actor=operator,
                municipality=municipality,
                national_identity_number=nin,
                organisation_number=number,
                organisation_name=name,
            )
            if selectors.business_representation_count(municipality=municipality) > before:
                created.append(f"representation {name} in {municipality.name}")
    return created
