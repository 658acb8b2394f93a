"""Creating and changing municipalities: validation, operator-only creation, database invariants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st
from stdnum.no import orgnr

from ekommune.core.demo import shield_png
from ekommune.core.errors import ConflictError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Municipality, MunicipalityDomain, Role, User
from ekommune.core.services import municipality_create, municipality_logo_set, municipality_update_branding
from ekommune.core.tests.factories import staff
from ekommune.core.validators import validate_organisation_number

pytestmark = pytest.mark.django_db

VALID: dict[str, Any] = {
    "name": "Nordøy kommune",
    "slug": "nordoy",
    "number": "1899",
    "organisation_number": "912345688",
}


def test_operator_creates_a_municipality_with_domains_and_audit(operator: User) -> None:
    municipality = municipality_create(actor=operator, host_names=["nordoy.test", "WWW.Nordoy.Test"], **VALID)
    assert list(municipality.domains.order_by("host_name").values_list("host_name", "is_primary")) == [
        ("nordoy.test", True),
        ("www.nordoy.test", False),
    ]
    actions = list(
        AuditEvent.objects.filter(municipality=municipality)
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["municipality.domain_add", "municipality.domain_add", "municipality.create"]


def test_only_operators_create_municipalities(admin_a: User) -> None:
    with pytest.raises(PermissionDeniedError) as error:
        municipality_create(actor=admin_a, **VALID)
    assert error.value.code == "operator_required"
    assert not Municipality.objects.filter(slug="nordoy").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organisation_number", "912345687"),  # wrong check digit
        ("organisation_number", "12345"),
        ("number", "189"),
        ("number", "18a9"),
        ("slug", "Nordøy kommune"),
    ],
)
def test_invalid_values_are_refused_with_the_field_named(operator: User, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as error:
        municipality_create(actor=operator, **{**VALID, field: value})
    assert error.value.field == field
    assert not Municipality.objects.filter(name="Nordøy kommune").exists()


def test_a_taken_host_name_is_a_conflict_and_nothing_is_stored(
    operator: User, municipality_a: Municipality
) -> None:
    with pytest.raises(ConflictError) as error:
        municipality_create(actor=operator, host_names=["aust.test"], **VALID)
    assert error.value.field == "host_name"
    assert not Municipality.objects.filter(slug="nordoy").exists()


def test_invalid_host_name_is_refused(operator: User) -> None:
    with pytest.raises(ValidationError) as error:
        municipality_create(actor=operator, host_names=["bad host!"], **VALID)
    assert error.value.field == "host_name"


@given(st.from_regex(r"9[0-9]{7}", fullmatch=True))
def test_organisation_number_validation_agrees_with_the_check_digit(base: str) -> None:
    for digit in "0123456789":
        candidate = base + digit
        if orgnr.is_valid(candidate):
            validate_organisation_number(candidate)
        else:
            with pytest.raises(Exception, match="Organisasjonsnummeret"):
                validate_organisation_number(candidate)


class TestDatabaseInvariants:
    """The database holds the rules even when the service is bypassed."""

    @pytest.mark.parametrize(
        "changes",
        [
            {"number": "12"},
            {"organisation_number": "abc"},
            {"primary_colour": "red"},
            {"slug": "Store Bokstaver"},
        ],
    )
    def test_check_constraints(self, municipality_a: Municipality, changes: dict[str, str]) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            Municipality.objects.filter(pk=municipality_a.pk).update(**changes)

    def test_one_primary_domain_per_municipality(self, municipality_a: Municipality) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            MunicipalityDomain.objects.create(
                municipality=municipality_a, host_name="second.test", is_primary=True
            )

    def test_host_names_are_lower_case(self, municipality_a: Municipality) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            MunicipalityDomain.objects.create(municipality=municipality_a, host_name="Upper.test")


class TestBranding:
    def test_administrator_changes_colours_and_it_is_audited(
        self, municipality_a: Municipality, admin_a: User
    ) -> None:
        updated = municipality_update_branding(
            actor=admin_a, municipality=municipality_a, primary_colour="#003366"
        )
        assert updated.primary_colour == "#003366"
        event = AuditEvent.objects.filter(municipality=municipality_a, action="municipality.update").get()
        assert event.detail["after"] == {"primary_colour": "#003366"}

    def test_bad_colour_is_refused_and_nothing_changes(
        self, municipality_a: Municipality, admin_a: User
    ) -> None:
        with pytest.raises(ValidationError) as error:
            municipality_update_branding(actor=admin_a, municipality=municipality_a, primary_colour="blue")
        assert error.value.field == "primary_colour"
        municipality_a.refresh_from_db()
        assert municipality_a.primary_colour == "#1f4e79"

    def test_unknown_field_is_refused(self, municipality_a: Municipality, admin_a: User) -> None:
        with pytest.raises(ValidationError):
            municipality_update_branding(actor=admin_a, municipality=municipality_a, number="0301")

    @pytest.mark.parametrize(
        "role", [Role.CASE_WORKER, Role.RECORDS_MANAGER, Role.MANAGEMENT, Role.POLITICAL_SECRETARIAT]
    )
    def test_other_roles_may_not_change_branding(self, municipality_a: Municipality, role: Role) -> None:
        with pytest.raises(PermissionDeniedError):
            municipality_update_branding(
                actor=staff(municipality_a, role), municipality=municipality_a, name="Nytt navn"
            )

    def test_administrator_of_another_municipality_may_not(
        self, municipality_a: Municipality, admin_b: User
    ) -> None:
        with pytest.raises(PermissionDeniedError):
            municipality_update_branding(actor=admin_b, municipality=municipality_a, name="Kapret")


class TestLogo:
    def test_png_logo_is_stored(
        self, municipality_a: Municipality, admin_a: User, settings: Any, tmp_path: Path
    ) -> None:
        settings.MEDIA_ROOT = tmp_path
        updated = municipality_logo_set(
            actor=admin_a, municipality=municipality_a, content=shield_png("#1f4e79")
        )
        assert str(updated.logo.name).endswith(".png")
        assert (tmp_path / str(updated.logo.name)).read_bytes().startswith(b"\x89PNG")

    @pytest.mark.parametrize(
        ("content", "code"),
        [
            (
                b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                "unsupported_file_type",
            ),
            (b"\x89PNG\r\n\x1a\n" + b"0" * 600_000, "file_too_large"),
        ],
    )
    def test_bad_logo_is_refused(
        self, municipality_a: Municipality, admin_a: User, content: bytes, code: str
    ) -> None:
        with pytest.raises(ValidationError) as error:
            municipality_logo_set(actor=admin_a, municipality=municipality_a, content=content)
        assert error.value.code == code
        municipality_a.refresh_from_db()
        assert not municipality_a.logo
