"""Factories for the shared kernel. Municipalities get valid, unique numbers and org numbers."""

from __future__ import annotations

from typing import Any

import factory
from django.test import Client
from stdnum.no import orgnr

from ekommune.core.models import Municipality, MunicipalityDomain, Role, StaffMembership, User

PASSWORD = "et-langt-testpassord-42"


def valid_orgnr(n: int) -> str:
    """The n-th valid organisation number from 900000000 upwards (check digit computed)."""
    base = 90000000 + n * 13
    while True:
        for digit in "0123456789":
            if orgnr.is_valid(f"{base:08d}{digit}"):
                return f"{base:08d}{digit}"
        base += 1


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testkommune {n}")
    slug = factory.Sequence(lambda n: f"testkommune-{n}")
    number = factory.Sequence(lambda n: f"{5000 + n:04d}")
    organisation_number = factory.Sequence(valid_orgnr)
    email = factory.LazyAttribute(lambda m: f"postmottak@{m.slug}.kommune.no")

    @factory.post_generation
    def host(obj: Municipality, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if create:
            MunicipalityDomain.objects.create(
                municipality=obj, host_name=extracted or f"{obj.slug}.test", is_primary=True
            )


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"ansatt{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Ansatt{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def staff(municipality: Municipality, role: Role = Role.CASE_WORKER, **kwargs: Any) -> User:
    """A user with ``role`` in ``municipality``."""
    user = UserFactory.create(**kwargs)
    StaffMembership.objects.create(municipality=municipality, user=user, role=role)
    return user


def host_client(host: str, user: User | None = None) -> Client:
    """A test client that speaks to the site at ``host`` (as a browser on that domain would)."""
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client
