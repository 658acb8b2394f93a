"""Migration 0004: the portal's foreign keys into the archive become systemIDs, values kept both ways."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ekommune.portal import services
from ekommune.portal.models import MailboxMessage, Service, Submission
from ekommune.portal.tests.factories import Portal, submit

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("portal", "0003_draft_continues")]
AFTER = [("portal", "0004_archive_references_by_system_id")]


@pytest.fixture
def submitted(portal: Portal) -> Submission:
    return submit(portal)


@pytest.fixture
def letter(portal: Portal, submitted: Submission) -> MailboxMessage:
    return services.submission_reply(
        actor=portal.case_worker,
        municipality=portal.municipality,
        submission=submitted,
        subject="Vedtak",
        body="Du har fått plass.",
    )


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _row(table: str, pk: int, *columns: str) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def _system_id(table: str, pk: int) -> Any:
    return _row(table, pk, "system_id")[0]


def test_the_archive_references_survive_the_way_back_and_forth(
    portal: Portal, submitted: Submission, letter: MailboxMessage
) -> None:
    service = Service.objects.get(pk=portal.service.pk)
    expected = {
        "service": (service.archive_series_system_id, service.archive_class_system_id),
        "submission": (
            submitted.case_file_system_id,
            submitted.registry_entry_system_id,
            submitted.receipt_system_id,
        ),
        "letter": (letter.registry_entry_system_id, letter.document_system_id),
    }
    assert None not in expected["service"]

    _migrate(BEFORE)  # back: the foreign keys are filled from the systemIDs
    series_id, class_id = _row("portal_service", service.pk, "archive_series_id", "archive_class_id")
    assert (_system_id("archive_series", series_id), _system_id("archive_class", class_id)) == expected["service"]
    case_id, entry_id, receipt_id = _row(
        "portal_submission", submitted.pk, "case_file_id", "registry_entry_id", "receipt_id"
    )
    assert (
        _system_id("archive_casefile", case_id),
        _system_id("archive_registryentry", entry_id),
        _system_id("archive_documentobject", receipt_id),
    ) == expected["submission"]
    letter_entry_id, document_id = _row("portal_mailboxmessage", letter.pk, "registry_entry_id", "document_id")
    assert (
        _system_id("archive_registryentry", letter_entry_id),
        _system_id("archive_documentobject", document_id),
    ) == expected["letter"]

    _migrate(AFTER)  # forward again: the systemIDs are copied from the archive's rows
    service.refresh_from_db()
    submitted.refresh_from_db()
    letter.refresh_from_db()
    assert (service.archive_series_system_id, service.archive_class_system_id) == expected["service"]
    assert (
        submitted.case_file_system_id,
        submitted.registry_entry_system_id,
        submitted.receipt_system_id,
    ) == expected["submission"]
    assert (letter.registry_entry_system_id, letter.document_system_id) == expected["letter"]
