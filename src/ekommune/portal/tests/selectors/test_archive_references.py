"""The portal holds archive objects by systemID and reads them only through the archive (decision 0036).

A systemID the archive no longer knows (a row removed by hand in the database) is reported as not
found, never a server error; a service whose series is gone takes no submissions.
"""

from __future__ import annotations

import uuid

import pytest

from ekommune.core.errors import ApplicationError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.tests.factories import host_client
from ekommune.identity.testing import log_in_citizen
from ekommune.portal import selectors, services
from ekommune.portal.models import Draft, Service, Submission
from ekommune.portal.tests.factories import PDF_BYTES, Portal, submit, valid_post

pytestmark = pytest.mark.django_db


def test_a_submission_keeps_the_system_ids_of_its_case_entry_and_receipt(portal: Portal) -> None:
    submission = submit(portal)
    files = selectors.submission_files(
        actor=portal.case_worker, municipality=portal.municipality, submission=submission
    )
    assert files[0].system_id == submission.receipt_system_id
    assert (files[0].file_name, files[0].document_number, files[0].version_number) == ("skjema.pdf", 1, 1)
    service = Service.objects.get(pk=portal.service.pk)
    assert (service.archive_series_system_id, service.archive_class_system_id) == (
        portal.archive.series.system_id,
        portal.archive.classes["A20"].system_id,
    )


def test_a_receipt_the_archive_no_longer_knows_is_not_found(portal: Portal) -> None:
    client = host_client("aust.test")
    log_in_citizen(client, name="Kari Nordmann")
    submission = submit(portal, client)
    assert client.get(f"/min-side/innsendinger/{submission.system_id}/kvittering.pdf").status_code == 200
    Submission.objects.filter(pk=submission.pk).update(receipt_system_id=uuid.uuid4())
    assert client.get(f"/min-side/innsendinger/{submission.system_id}/kvittering.pdf").status_code == 404
    with pytest.raises(NotFoundError):
        selectors.document_content(municipality=portal.municipality, document_system_id=uuid.uuid4())


def test_an_entry_the_archive_no_longer_knows_has_no_files_to_show(portal: Portal) -> None:
    submission = submit(portal)
    Submission.objects.filter(pk=submission.pk).update(registry_entry_system_id=uuid.uuid4())
    submission.refresh_from_db()
    with pytest.raises(NotFoundError):
        selectors.submission_files(
            actor=portal.case_worker, municipality=portal.municipality, submission=submission
        )


def test_a_continued_case_the_archive_no_longer_knows_is_not_found_and_the_draft_stays(
    portal: Portal,
) -> None:
    first = submit(portal)
    Submission.objects.filter(pk=first.pk).update(case_file_system_id=uuid.uuid4())
    first.refresh_from_db()
    who = services.CitizenActor(citizen=first.citizen)
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    draft = services.draft_save(
        municipality=portal.municipality,
        who=who,
        draft=draft,
        values=valid_post(),
        uploads=[services.Upload(input_name="vedlegg", file_name="b.pdf", content=PDF_BYTES)],
    )
    with pytest.raises(NotFoundError) as missing:
        services.submission_submit(
            municipality=portal.municipality,
            who=who,
            service=portal.service,
            idempotency_key=draft.idempotency_key,
            continue_submission=first,
        )
    assert missing.value.field == "continue_submission"
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_a_service_whose_series_is_gone_from_the_archive_takes_no_submissions(portal: Portal) -> None:
    Service.objects.filter(pk=portal.service.pk).update(archive_series_system_id=uuid.uuid4())
    portal.service = Service.objects.get(pk=portal.service.pk)
    assert portal.service.accepts_submissions  # it names a series, but the archive has no such series
    with pytest.raises(ApplicationError) as closed:
        submit(portal)
    assert closed.value.code == "service_closed"
    assert Draft.objects.filter(service=portal.service).exists()


def test_a_service_whose_class_is_gone_from_the_archive_takes_no_submissions(portal: Portal) -> None:
    """Fail safe: a case without the class the service names could lose what the class decides
    (the public journal's sensitive classes)."""
    Service.objects.filter(pk=portal.service.pk).update(archive_class_system_id=uuid.uuid4())
    portal.service = Service.objects.get(pk=portal.service.pk)
    with pytest.raises(ApplicationError) as closed:
        submit(portal)
    assert closed.value.code == "service_closed"


def test_the_archive_target_of_a_service_is_remembered_and_found_anew_when_the_service_changes(
    portal: Portal,
) -> None:
    first = selectors.submission_archive_target(
        actor=portal.system_user, municipality=portal.municipality, service=portal.service
    )
    assert first == (portal.archive.series, portal.archive.classes["A20"])
    again = selectors.submission_archive_target(
        actor=portal.system_user, municipality=portal.municipality, service=portal.service
    )
    assert again is first
    changed = services.service_update(
        actor=portal.admin,
        municipality=portal.municipality,
        service=portal.service,
        values={"archive_class": portal.archive.classes["064"]},
    )
    assert selectors.submission_archive_target(
        actor=portal.system_user, municipality=portal.municipality, service=changed
    ) == (portal.archive.series, portal.archive.classes["064"])
    with pytest.raises(PermissionDeniedError):
        selectors.submission_archive_target(actor=None, municipality=portal.municipality, service=changed)


def test_a_series_or_class_must_be_the_archives_object_not_a_bare_value(portal: Portal) -> None:
    with pytest.raises(ValidationError) as bare:
        services.service_update(
            actor=portal.admin,
            municipality=portal.municipality,
            service=portal.service,
            values={"archive_series": str(portal.archive.series.system_id)},
        )
    assert (bare.value.code, bare.value.field) == ("invalid", "archive_series")
    changed = services.service_update(
        actor=portal.admin,
        municipality=portal.municipality,
        service=portal.service,
        values={"archive_class": portal.archive.classes["064"]},
    )
    assert changed.archive_class_system_id == portal.archive.classes["064"].system_id
    assert changed.archive_series_system_id == portal.archive.series.system_id
