"""The records manager's deposit page: start an export job and follow it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import host_client, staff
from ekommune.deposit import package as pkg
from ekommune.deposit.models import DepositJob
from ekommune.deposit.tests.factories import RichArchive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def deposit_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EKOMMUNE_DEPOSIT_DIR = str(tmp_path / "deponering")
    return tmp_path / "deponering"


@pytest.mark.needs_standards("noark5")
def test_the_records_manager_starts_an_export_and_sees_it_done(rich: RichArchive) -> None:
    client = host_client("aust.test", rich.archive.records_manager)
    page = client.get("/ansatt/arkiv/deponering/")
    assert page.status_code == 200
    assert "Sakarkiv 2020-2025" in page.text
    response = client.post(
        "/ansatt/arkiv/deponering/",
        {"series": [str(system_id) for system_id in rich.series_ids]},
        follow=True,
    )
    assert response.status_code == 200
    job = DepositJob.objects.get()
    assert (job.status, job.done, job.total) == ("done", 9, 9)
    assert (Path(job.out_dir) / pkg.ARKIVUTTREKK).exists()
    assert "9/9" in response.text
    status = client.get(f"/ansatt/arkiv/deponering/jobb/{job.pk}/").json()
    assert status == {"id": job.pk, "status": "done", "done": 9, "total": 9, "message": job.message}


def test_no_series_chosen_is_refused_with_a_message(rich: RichArchive) -> None:
    client = host_client("aust.test", rich.archive.records_manager)
    response = client.post("/ansatt/arkiv/deponering/", {})
    assert response.status_code == 400
    assert "Velg minst én arkivdel." in response.text
    assert client.post("/ansatt/arkiv/deponering/", {"series": ["x"]}).status_code == 400
    assert not DepositJob.objects.exists()


def test_a_case_worker_may_not_open_the_page(rich: RichArchive) -> None:
    client = host_client("aust.test", rich.archive.case_worker)
    assert client.get("/ansatt/arkiv/deponering/").status_code == 403


def test_another_municipality_sees_neither_the_jobs_nor_the_series(
    rich: RichArchive, municipality_b: Municipality
) -> None:
    host_client("aust.test", rich.archive.records_manager).post(
        "/ansatt/arkiv/deponering/", {"series": [str(rich.open_series.system_id)]}
    )
    job = DepositJob.objects.get()
    other = host_client("vest.test", staff(municipality_b, Role.RECORDS_MANAGER))
    assert other.get(f"/ansatt/arkiv/deponering/jobb/{job.pk}/").status_code == 404
    page = other.get("/ansatt/arkiv/deponering/")
    assert "Sakarkiv" not in page.text
    response = other.post("/ansatt/arkiv/deponering/", {"series": [str(rich.open_series.system_id)]})
    assert response.status_code == 400
    assert DepositJob.objects.count() == 1


@pytest.mark.needs_standards("noark5")
@pytest.mark.browser
def test_the_page_is_accessible_and_starts_an_export(rich: RichArchive, live_server: Any, page: Any) -> None:
    from ekommune.core.tests.factories import PASSWORD
    from ekommune.testing import assert_accessible

    site = f"{live_server.url}/k/aust"
    page.goto(site + "/innlogging/")
    page.fill("#id_username", rich.archive.records_manager.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(site + "/ansatt/arkiv/deponering/")
    assert page.locator("h1").inner_text() == "Deponering og arkivuttrekk"
    assert_accessible(page)
    page.click("main button[type=submit]")  # nothing chosen
    assert page.locator("#series-error").is_visible()
    assert_accessible(page)
    page.check("text=Sakarkiv 2020-2025")
    page.click("main button[type=submit]")
    assert (
        "Ferdig" in page.locator("#jobs ~ table, table").first.inner_text()
        or DepositJob.objects.get().status == "done"
    )
    assert_accessible(page)


@pytest.mark.needs_standards("noark5")  # the schemas are looked up before the archive is read
def test_a_job_that_cannot_export_is_marked_failed_with_the_reason(rich: RichArchive) -> None:
    from ekommune.archive import services as archive_services
    from ekommune.archive.models import CaseFile

    case = archive_services.case_file_create(
        actor=rich.archive.case_worker,
        municipality=rich.archive.municipality,
        series=rich.open_series,
        title="Sak uten klasse",
        administrative_unit="Oppvekst",
        case_responsible="Kari",
        primary_class=rich.archive.classes["064"],
    )
    CaseFile.objects.filter(pk=case.pk).update(primary_class=None)  # as data from before decision 0143
    client = host_client("aust.test", rich.archive.records_manager)
    client.post("/ansatt/arkiv/deponering/", {"series": [str(rich.open_series.system_id)]})
    job = DepositJob.objects.get()
    assert job.status == "failed"
    assert "uten primærklasse" in job.message
    assert job.finished_at is not None
