"""Staff users and roles: permissions are enforced in the services, per municipality."""

from __future__ import annotations

import pytest

from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Municipality, Role, StaffMembership, User
from ekommune.core.permissions import ROLE_PERMISSIONS, Permission
from ekommune.core.services import permission_has, staff_role_grant, staff_role_revoke, staff_user_create
from ekommune.core.tests.factories import UserFactory, host_client, staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_permission_follows_the_role_table(
    municipality_a: Municipality, municipality_b: Municipality, role: Role, permission: Permission
) -> None:
    user = staff(municipality_a, role)
    assert permission_has(actor=user, municipality=municipality_a, permission=permission) is (
        permission in ROLE_PERMISSIONS[role]
    )
    assert permission_has(actor=user, municipality=municipality_b, permission=permission) is False


def test_inactive_users_have_no_permissions(municipality_a: Municipality) -> None:
    user = staff(municipality_a, Role.ADMINISTRATOR, is_active=False)
    assert not permission_has(actor=user, municipality=municipality_a, permission=Permission.MANAGE_STAFF)


def test_only_administrators_hold_staff_management() -> None:
    holders = {
        role for role, permissions in ROLE_PERMISSIONS.items() if Permission.MANAGE_STAFF in permissions
    }
    assert holders == {Role.ADMINISTRATOR}


class TestStaffUserCreate:
    def test_administrator_creates_a_case_worker(self, municipality_a: Municipality, admin_a: User) -> None:
        user = staff_user_create(
            actor=admin_a,
            municipality=municipality_a,
            username="ny.sb",
            first_name="Nora",
            last_name="Ny",
            email="nora@aust.test",
            password="et-langt-og-godt-passord",
            roles=[Role.CASE_WORKER],
        )
        assert user.check_password("et-langt-og-godt-passord")
        assert list(StaffMembership.objects.filter(user=user).values_list("role", flat=True)) == [
            "case_worker"
        ]
        assert AuditEvent.objects.filter(
            municipality=municipality_a, action="staff.role_grant", object_id=str(user.pk)
        ).exists()

    @pytest.mark.parametrize(
        ("password", "roles", "code"),
        [
            ("kort", ["case_worker"], "weak_password"),
            ("et-langt-og-godt-passord", [], "role_required"),
            ("et-langt-og-godt-passord", ["king"], "unknown_role"),
        ],
    )
    def test_bad_input_is_refused_and_no_user_is_stored(
        self, municipality_a: Municipality, admin_a: User, password: str, roles: list[str], code: str
    ) -> None:
        with pytest.raises(ValidationError) as error:
            staff_user_create(
                actor=admin_a,
                municipality=municipality_a,
                username="ny.sb",
                first_name="N",
                last_name="N",
                email="n@aust.test",
                password=password,
                roles=roles,
            )
        assert error.value.code == code
        assert not User.objects.filter(username="ny.sb").exists()

    def test_duplicate_username_is_a_conflict(self, municipality_a: Municipality, admin_a: User) -> None:
        with pytest.raises(ConflictError):
            staff_user_create(
                actor=admin_a,
                municipality=municipality_a,
                username="aust.admin",
                first_name="N",
                last_name="N",
                email="other@aust.test",
                password="et-langt-og-godt-passord",
                roles=["case_worker"],
            )

    def test_case_worker_may_not_create_staff(self, municipality_a: Municipality) -> None:
        with pytest.raises(PermissionDeniedError):
            staff_user_create(
                actor=staff(municipality_a, Role.CASE_WORKER),
                municipality=municipality_a,
                username="x",
                first_name="x",
                last_name="x",
                email="x@aust.test",
                password="et-langt-og-godt-passord",
                roles=["administrator"],
            )
        assert not User.objects.filter(username="x").exists()


class TestRoles:
    def test_operator_appoints_the_first_administrator(
        self, operator: User, municipality_a: Municipality
    ) -> None:
        user = UserFactory.create()
        staff_role_grant(actor=operator, municipality=municipality_a, user=user, role=Role.ADMINISTRATOR)
        assert permission_has(actor=user, municipality=municipality_a, permission=Permission.MANAGE_STAFF)

    def test_granting_twice_keeps_one_row(self, admin_a: User, municipality_a: Municipality) -> None:
        user = UserFactory.create()
        staff_role_grant(actor=admin_a, municipality=municipality_a, user=user, role=Role.CASE_WORKER)
        staff_role_grant(actor=admin_a, municipality=municipality_a, user=user, role=Role.CASE_WORKER)
        assert StaffMembership.objects.filter(user=user).count() == 1

    def test_the_last_administrator_cannot_be_removed(
        self, admin_a: User, municipality_a: Municipality
    ) -> None:
        with pytest.raises(ConflictError) as error:
            staff_role_revoke(
                actor=admin_a, municipality=municipality_a, user=admin_a, role=Role.ADMINISTRATOR
            )
        assert error.value.code == "last_administrator"
        assert StaffMembership.objects.filter(user=admin_a, role=Role.ADMINISTRATOR).exists()

    def test_revoking_a_role_the_user_lacks_is_not_found(
        self, admin_a: User, municipality_a: Municipality
    ) -> None:
        with pytest.raises(NotFoundError):
            staff_role_revoke(
                actor=admin_a, municipality=municipality_a, user=UserFactory.create(), role=Role.CASE_WORKER
            )

    def test_records_manager_may_not_grant_roles(self, municipality_a: Municipality) -> None:
        arkivar = staff(municipality_a, Role.RECORDS_MANAGER)
        with pytest.raises(PermissionDeniedError):
            staff_role_grant(
                actor=arkivar, municipality=municipality_a, user=arkivar, role=Role.ADMINISTRATOR
            )
        assert not StaffMembership.objects.filter(user=arkivar, role=Role.ADMINISTRATOR).exists()


class TestStaffPages:
    def test_case_worker_sees_the_list_but_no_form(self, municipality_a: Municipality, admin_a: User) -> None:
        page = host_client("aust.test", staff(municipality_a, Role.CASE_WORKER)).get("/ansatt/ansatte/")
        assert page.status_code == 200
        assert "Astrid Aas" in page.text
        assert "Gi rolle" not in page.text

    def test_case_worker_may_not_read_the_audit_log(self, municipality_a: Municipality) -> None:
        assert (
            host_client("aust.test", staff(municipality_a, Role.CASE_WORKER))
            .get("/ansatt/revisjonslogg/")
            .status_code
            == 403
        )

    def test_administrator_grants_a_role_through_the_form(
        self, municipality_a: Municipality, admin_a: User
    ) -> None:
        user = UserFactory.create(username="ny")
        response = host_client("aust.test", admin_a).post(
            "/ansatt/ansatte/", {"username": "ny", "role": "records_manager"}
        )
        assert response.status_code == 302
        assert StaffMembership.objects.filter(
            user=user, municipality=municipality_a, role="records_manager"
        ).exists()

    def test_unknown_user_gets_an_error_beside_the_field(
        self, municipality_a: Municipality, admin_a: User
    ) -> None:
        response = host_client("aust.test", admin_a).post(
            "/ansatt/ansatte/", {"username": "finnes-ikke", "role": "records_manager"}
        )
        assert response.status_code == 400
        assert 'id="id_username-error"' in response.text

    def test_api_refuses_an_unknown_role_with_the_field(
        self, municipality_a: Municipality, admin_a: User
    ) -> None:
        response = host_client("aust.test", admin_a).post(
            "/api/v1/staff/roles", {"username": "aust.admin", "role": "king"}, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["field"] == "role"

    def test_anonymous_is_sent_to_login(self, municipality_a: Municipality) -> None:
        response = host_client("aust.test").get("/ansatt/")
        assert response.status_code == 302
        assert response["Location"].startswith("/innlogging/")

    def test_anonymous_api_is_refused(self, municipality_a: Municipality) -> None:
        response = host_client("aust.test").get("/api/v1/staff")
        assert response.status_code == 403
        assert response.json()["code"] == "not_authenticated"
