"""Demo data: two fictional municipalities with staff in every role, loaded through the services.

``ekommune demo load`` is idempotent: what exists is left as it is. The municipalities, their
numbers and people are invented; organisation numbers carry valid check digits.
"""

from __future__ import annotations

import importlib
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from ekommune.core import services
from ekommune.core.models import Municipality, Role, User

DEMO_PASSWORD = "demo-passord-2026"  # noqa: S105 (printed for the demo; never used in production)
OPERATOR_USERNAME = "drift"


@dataclass(frozen=True)
class DemoMunicipality:
    name: str
    slug: str
    number: str
    organisation_number: str
    primary_colour: str
    accent_colour: str
    email: str
    phone: str
    visiting_address: str
    introduction: str
    host_names: tuple[str, ...]
    staff: tuple[tuple[str, str, str, Role], ...]  # username, first name, last name, role


DEMO_MUNICIPALITIES = (
    DemoMunicipality(
        name="Fjordvik kommune",
        slug="fjordvik",
        number="4699",
        organisation_number="912345688",
        primary_colour="#1f4e79",
        accent_colour="#f2c14e",
        email="postmottak@fjordvik.kommune.no",
        phone="56 00 10 00",
        visiting_address="Rådhusplassen 1, 5490 Fjordvik",
        introduction=(
            "Fjordvik er en kystkommune med 11 400 innbyggere. Her finner du kommunens tjenester, "
            "postjournal, politiske møter og høringer."
        ),
        host_names=("fjordvik.localhost", "www.fjordvik.kommune.no"),
        staff=(
            ("fjordvik.admin", "Ingrid", "Hansen", Role.ADMINISTRATOR),
            ("fjordvik.arkivar", "Ola", "Berg", Role.RECORDS_MANAGER),
            ("fjordvik.saksbehandler", "Kari", "Nilsen", Role.CASE_WORKER),
            ("fjordvik.politikk", "Per", "Johansen", Role.POLITICAL_SECRETARIAT),
            ("fjordvik.leder", "Anne", "Larsen", Role.MANAGEMENT),
        ),
    ),
    DemoMunicipality(
        name="Bjørkedal kommune",
        slug="bjorkedal",
        number="3499",
        organisation_number="923456783",
        primary_colour="#2d5a27",
        accent_colour="#e8a33d",
        email="post@bjorkedal.kommune.no",
        phone="62 00 20 00",
        visiting_address="Storgata 12, 2690 Bjørkedal",
        introduction=(
            "Bjørkedal er en innlandskommune med 5 200 innbyggere, skog, stølsdrift og et aktivt lag- og "
            "foreningsliv. Kommunen samarbeider om IT med nabokommunene."
        ),
        host_names=("bjorkedal.localhost", "www.bjorkedal.kommune.no"),
        staff=(
            ("bjorkedal.admin", "Silje", "Andersen", Role.ADMINISTRATOR),
            ("bjorkedal.arkivar", "Lars", "Pedersen", Role.RECORDS_MANAGER),
            ("bjorkedal.saksbehandler", "Mona", "Karlsen", Role.CASE_WORKER),
            ("bjorkedal.politikk", "Erik", "Olsen", Role.POLITICAL_SECRETARIAT),
            ("bjorkedal.leder", "Hilde", "Eriksen", Role.MANAGEMENT),
        ),
    ),
)


def shield_png(colour: str, size: int = 64) -> bytes:
    """A small shield in ``colour`` on a transparent background, as PNG bytes (no imaging library)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type: none
        for x in range(size):
            dx = abs(x - size / 2 + 0.5)
            inside = 4 <= y < size - 4 and dx < (size / 2 - 6) * (
                1.0 if y < size * 0.55 else (size - 4 - y) / (size * 0.45 - 4)
            )
            row += bytes([red, green, blue, 255]) if inside else bytes([0, 0, 0, 0])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def app_demo_loaders() -> list[Callable[[list[Municipality]], list[str]]]:
    """``demo_load(municipalities)`` of every installed app that has a ``demo`` module, in app order.

    Found by name so that the shared kernel imports no domain app.
    """
    loaders = []
    for config in apps.get_app_configs():
        if config.name.startswith("ekommune.") and config.name != "ekommune.core":
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            loaders.append(module.demo_load)
    return loaders


@transaction.atomic
def demo_load() -> list[str]:
    """Create what is missing of the demo; return a line per thing created."""
    created: list[str] = []
    operator = User.objects.filter(username=OPERATOR_USERNAME).first()
    if operator is None:
        operator = User.objects.create_superuser(
            username=OPERATOR_USERNAME,
            email="drift@ikt-samarbeid.example",
            password=DEMO_PASSWORD,
            first_name="Drift",
        )
        services.audit_event_record(
            actor=operator,
            municipality=None,
            action="installation.operator_create",
            object_type="user",
            object_id=operator.pk,
        )
        created.append(f"operator {OPERATOR_USERNAME}")
    for demo in DEMO_MUNICIPALITIES:
        municipality = Municipality.objects.filter(slug=demo.slug).first()
        if municipality is None:
            municipality = services.municipality_create(
                actor=operator,
                name=demo.name,
                slug=demo.slug,
                number=demo.number,
                organisation_number=demo.organisation_number,
                host_names=list(demo.host_names),
                primary_colour=demo.primary_colour,
                accent_colour=demo.accent_colour,
                email=demo.email,
                phone=demo.phone,
                visiting_address=demo.visiting_address,
                introduction=demo.introduction,
            )
            services.municipality_logo_set(
                actor=operator, municipality=municipality, content=shield_png(demo.primary_colour)
            )
            created.append(f"municipality {demo.name}")
        for username, first_name, last_name, role in demo.staff:
            if User.objects.filter(username=username).exists():
                continue
            services.staff_user_create(
                actor=operator,
                municipality=municipality,
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{first_name.lower()}.{last_name.lower()}@{demo.slug}.kommune.no",
                password=DEMO_PASSWORD,
                roles=[role],
            )
            created.append(f"user {username}")
    created += _demo_two_factor_admin(operator)
    municipalities = list(
        Municipality.objects.filter(slug__in=[demo.slug for demo in DEMO_MUNICIPALITIES]).order_by("name")
    )
    for loader in app_demo_loaders():
        created += loader(municipalities)
    return created


# An administrator with two-factor login for the demo (decision 0227). The key is printed here and
# in docs/security.md on purpose: type it into an authenticator app (or compute the code with
# ``oathtool --totp -b``) to log in as her. The other demo users have no second factor, so that
# the demo works where EKOMMUNE_TWO_FACTOR_REQUIRED is off (the default outside production).
DEMO_TOTP_USERNAME = "fjordvik.sikker"
DEMO_TOTP_SECRET_BASE32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (a demo secret, printed)


def _demo_two_factor_admin(operator: User) -> list[str]:
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    municipality = Municipality.objects.filter(slug="fjordvik").first()
    if municipality is None or User.objects.filter(username=DEMO_TOTP_USERNAME).exists():
        return []
    user = services.staff_user_create(
        actor=operator,
        municipality=municipality,
        username=DEMO_TOTP_USERNAME,
        first_name="Sigrid",
        last_name="Sikker",
        email="sigrid.sikker@fjordvik.kommune.no",
        password=DEMO_PASSWORD,
        roles=[Role.ADMINISTRATOR],
    )
    TOTPDevice.objects.create(
        user=user, name="demo", confirmed=True, key=b32decode(DEMO_TOTP_SECRET_BASE32).hex()
    )
    return [f"user {DEMO_TOTP_USERNAME} (two-factor key {DEMO_TOTP_SECRET_BASE32})"]
