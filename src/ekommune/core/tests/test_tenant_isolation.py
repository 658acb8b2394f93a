"""Data of municipality A is never visible, searchable or writable through municipality B.

Each test reaches B's site (by host name and by path prefix) as A's staff, or as B's staff
looking for A's data, through pages and API alike.
"""

from __future__ import annotations

import pytest

from ekommune.core import lookup_cache
from ekommune.core.models import Municipality, Role, StaffMembership, User
from ekommune.core.services import audit_event_record
from ekommune.core.tests.factories import host_client, staff

pytestmark = pytest.mark.django_db


class TestResolution:
    def test_host_name_selects_the_municipality(
        self, municipality_a: Municipality, municipality_b: Municipality
    ) -> None:
        page = host_client("aust.test").get("/")
        assert page.status_code == 200
        assert "Aust kommune" in page.text
        assert "Vest kommune" not in page.text

    def test_host_name_with_port_selects_the_municipality(self, municipality_a: Municipality) -> None:
        assert "Aust kommune" in host_client("aust.test:8000").get("/").text

    def test_path_prefix_selects_the_municipality(
        self, municipality_a: Municipality, municipality_b: Municipality
    ) -> None:
        page = host_client("localhost").get("/k/vest/")
        assert page.status_code == 200
        assert "Vest kommune" in page.text
        assert "Aust kommune" not in page.text
        # links on a prefixed page stay under the prefix
        assert 'href="/k/vest/innlogging/"' in page.text

    def test_path_prefix_without_slash_redirects(self, municipality_a: Municipality) -> None:
        response = host_client("localhost").get("/k/aust")
        assert response.status_code == 301
        assert response["Location"] == "/k/aust/"

    def test_unknown_slug_is_not_found(self, municipality_a: Municipality) -> None:
        assert host_client("localhost").get("/k/finnes-ikke/").status_code == 404

    def test_unknown_host_shows_the_installation(
        self, municipality_a: Municipality, municipality_b: Municipality
    ) -> None:
        page = host_client("localhost").get("/")
        assert page.status_code == 200
        assert "Aust kommune" in page.text
        assert "Vest kommune" in page.text

    def test_inactive_municipality_is_not_served(self, municipality_a: Municipality) -> None:
        Municipality.objects.filter(pk=municipality_a.pk).update(is_active=False)
        lookup_cache.clear()  # this test changes the row directly, past the services that clear the cache
        assert host_client("localhost").get("/k/aust/").status_code == 404
        assert "Aust kommune" not in host_client("aust.test").get("/").text

    def test_api_describes_only_the_current_municipality(
        self, municipality_a: Municipality, municipality_b: Municipality
    ) -> None:
        body = host_client("vest.test").get("/api/v1/municipality").json()
        assert body["name"] == "Vest kommune"
        assert body["domains"] == ["vest.test"]
        assert host_client("localhost").get("/api/v1/municipality").status_code == 404


class TestStaffOfAInB:
    """A's administrator has no rights on B's site."""

    @pytest.mark.parametrize("host_or_prefix", [("vest.test", ""), ("localhost", "/k/vest")])
    @pytest.mark.parametrize("path", ["/ansatt/ansatte/", "/ansatt/revisjonslogg/"])
    def test_pages_refuse(
        self, admin_a: User, municipality_b: Municipality, host_or_prefix: tuple[str, str], path: str
    ) -> None:
        host, prefix = host_or_prefix
        response = host_client(host, admin_a).get(prefix + path)
        assert response.status_code == 403
        assert 'data-code="permission_denied"' in response.text

    @pytest.mark.parametrize("path", ["/api/v1/staff", "/api/v1/audit-events"])
    def test_api_refuses_reads(self, admin_a: User, municipality_b: Municipality, path: str) -> None:
        response = host_client("vest.test", admin_a).get(path)
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"

    def test_api_refuses_writes(self, admin_a: User, admin_b: User, municipality_b: Municipality) -> None:
        victim = staff(municipality_b, Role.CASE_WORKER, username="vest.sb")
        client = host_client("vest.test", admin_a)
        grant = client.post(
            "/api/v1/staff/roles",
            {"username": "aust.admin", "role": "administrator"},
            content_type="application/json",
        )
        revoke = client.delete(
            "/api/v1/staff/roles",
            {"username": "vest.sb", "role": "case_worker"},
            content_type="application/json",
        )
        assert (grant.status_code, revoke.status_code) == (403, 403)
        assert not StaffMembership.objects.filter(municipality=municipality_b, user=admin_a).exists()
        assert StaffMembership.objects.filter(municipality=municipality_b, user=victim).exists()

    def test_page_form_refuses_writes(
        self, admin_a: User, municipality_b: Municipality, admin_b: User
    ) -> None:
        response = host_client("vest.test", admin_a).post(
            "/ansatt/ansatte/", {"username": "aust.admin", "role": "administrator"}
        )
        assert response.status_code == 403
        assert not StaffMembership.objects.filter(municipality=municipality_b, user=admin_a).exists()


class TestBDoesNotSeeA:
    """B's own administrator, on B's site, never sees, finds or changes A's data."""

    def test_staff_search_finds_only_own_staff(
        self, admin_a: User, admin_b: User, municipality_a: Municipality
    ) -> None:
        staff(municipality_a, Role.CASE_WORKER, username="aust.kari", first_name="Kari", last_name="Felles")
        for query in ["", "Felles", "aust", "Astrid"]:
            page = host_client("vest.test", admin_b).get("/ansatt/ansatte/", {"q": query})
            api = host_client("vest.test", admin_b).get("/api/v1/staff", {"q": query}).json()
            assert page.status_code == 200
            assert "aust." not in page.text
            assert all(not r["username"].startswith("aust.") for r in api["results"])
        assert [
            r["username"] for r in host_client("vest.test", admin_b).get("/api/v1/staff").json()["results"]
        ] == ["vest.admin"]

    def test_audit_log_shows_only_own_events(
        self, admin_a: User, admin_b: User, municipality_a: Municipality, municipality_b: Municipality
    ) -> None:
        audit_event_record(actor=admin_a, municipality=municipality_a, action="secret.aust_only")
        audit_event_record(actor=admin_b, municipality=municipality_b, action="vest.visible")
        api = host_client("vest.test", admin_b).get("/api/v1/audit-events").json()
        page = host_client("vest.test", admin_b).get("/ansatt/revisjonslogg/")
        assert [e["action"] for e in api["results"]] == ["vest.visible"]
        assert "secret.aust_only" not in page.text
        assert "vest.visible" in page.text

    def test_revoking_a_role_only_touches_own_municipality(
        self, admin_b: User, municipality_a: Municipality, municipality_b: Municipality
    ) -> None:
        shared = staff(municipality_a, Role.CASE_WORKER, username="delt")
        StaffMembership.objects.create(municipality=municipality_b, user=shared, role=Role.MANAGEMENT)
        client = host_client("vest.test", admin_b)
        missing = client.delete(
            "/api/v1/staff/roles",
            {"username": "delt", "role": "case_worker"},
            content_type="application/json",
        )
        assert missing.status_code == 404
        assert missing.json()["code"] == "not_found"
        assert StaffMembership.objects.filter(
            municipality=municipality_a, user=shared, role=Role.CASE_WORKER
        ).exists()
        done = client.delete(
            "/api/v1/staff/roles", {"username": "delt", "role": "management"}, content_type="application/json"
        )
        assert done.status_code == 204
        assert StaffMembership.objects.filter(municipality=municipality_a, user=shared).count() == 1
