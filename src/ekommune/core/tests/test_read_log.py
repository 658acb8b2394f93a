"""Read logging (decision 0226): reads are noted, appended to the audit chain in one batch at the end
of the unit of work, refused when they cannot be logged, and a changed read line breaks the chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ekommune.core import readlog, selectors, services
from ekommune.core import views as core_views
from ekommune.core.errors import PermissionDeniedError
from ekommune.core.models import AuditEvent, Municipality, Role, User
from ekommune.core.tests.factories import staff
from ekommune.core.tests.test_audit_chain import tamper

pytestmark = pytest.mark.django_db


def note(actor: Any, municipality: Municipality, number: int, kind: str = readlog.DOCUMENT_FILE) -> None:
    readlog.read_note(
        actor=actor,
        municipality=municipality,
        kind=kind,
        object_id=f"obj-{number}",
        case_file=f"case-{number % 3}",
        purpose=f"2026/{number % 3 + 1}",
        unit="Oppvekst",
        handlers=("Kari Nilsen", ""),
    )


def reads(municipality: Municipality) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(chain_key=municipality.pk, action__startswith="read.").order_by("sequence")
    )


def test_reads_in_a_unit_of_work_are_appended_once_at_its_end_in_one_statement(
    municipality_a: Municipality, admin_a: User
) -> None:
    with CaptureQueriesContext(connection) as queries, readlog.reads_batched(via=readlog.VIA_PAGE) as batch:
        for number in range(5):
            note(admin_a, municipality_a, number)
        assert reads(municipality_a) == []  # nothing written while the request runs
        assert len(batch.notes) == 5
    inserts = [q for q in queries.captured_queries if "INSERT INTO core_auditevent" in q["sql"]]
    assert len(inserts) == 1
    logged = reads(municipality_a)
    assert [event.object_id for event in logged] == [f"obj-{n}" for n in range(5)]
    first = logged[0]
    assert first.action == "read.document_file"
    assert first.actor_id == admin_a.pk
    assert first.detail == {
        "via": "page",
        "purpose": "2026/1",
        "case_file": "case-0",
        "unit": "Oppvekst",
        "handlers": ["Kari Nilsen"],
    }
    assert selectors.audit_chain_verify(chain_key=municipality_a.pk).ok


def test_many_reads_go_in_with_copy_in_chunks_and_the_chain_holds(
    municipality_a: Municipality, admin_a: User
) -> None:
    with readlog.reads_batched(via=readlog.VIA_EXPORT):
        for number in range(readlog.BULK_THRESHOLD * 2 + 3):
            note(admin_a, municipality_a, number)
    assert len(reads(municipality_a)) == readlog.BULK_THRESHOLD * 2 + 3
    assert selectors.audit_chain_verify(chain_key=municipality_a.pk).ok


def test_a_read_outside_a_unit_of_work_is_appended_at_once(
    municipality_a: Municipality, admin_a: User
) -> None:
    note(admin_a, municipality_a, 1, kind=readlog.SUBMISSION)
    assert [(e.action, e.detail["via"]) for e in reads(municipality_a)] == [("read.submission", "direct")]


def test_the_public_reads_nothing_that_is_logged_and_an_unknown_kind_is_refused(
    municipality_a: Municipality,
) -> None:
    note(None, municipality_a, 1)
    assert reads(municipality_a) == []
    with pytest.raises(ValueError, match="unknown read kind"):
        note(None, municipality_a, 1, kind="letter")


def test_a_failed_block_drops_its_reads_and_nested_blocks_join_the_outer(
    municipality_a: Municipality, admin_a: User
) -> None:
    def export_that_breaks() -> None:
        with readlog.reads_batched(via=readlog.VIA_EXPORT):
            note(admin_a, municipality_a, 1)
            raise RuntimeError("the export broke: nothing was handed out")

    with pytest.raises(RuntimeError):
        export_that_breaks()
    assert reads(municipality_a) == []
    with readlog.reads_batched(via=readlog.VIA_API) as outer:
        with readlog.reads_batched(via=readlog.VIA_EXPORT) as inner:
            note(admin_a, municipality_a, 1)
        assert inner is outer
        assert reads(municipality_a) == []
    assert [e.detail["via"] for e in reads(municipality_a)] == ["api"]


def test_a_read_that_cannot_be_logged_is_refused_with_503(
    municipality_a: Municipality, admin_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ekommune.core.tests.factories import host_client

    client = host_client("aust.test", admin_a)

    def broken(**kwargs: Any) -> int:
        raise DatabaseError("the audit log is unavailable")

    monkeypatch.setattr(services, "audit_events_batch_append", broken)
    original = readlog.read_note

    def page_that_reads() -> None:
        original(actor=admin_a, municipality=municipality_a, kind=readlog.SUBMISSION, object_id="x",
                 case_file="c", purpose="2026/1")  # fmt: skip

    # a page that reads: the staff home page, with a read noted while it renders
    roles = selectors.staff_roles
    monkeypatch.setattr(core_views.selectors, "staff_roles", _reading(roles, page_that_reads))
    response = client.get("/ansatt/")
    assert response.status_code == 503
    assert "kunne ikke logges" in response.content.decode()
    # a page that reads nothing never touches the log
    monkeypatch.setattr(core_views.selectors, "staff_roles", _reading(roles, lambda: None))
    assert client.get("/ansatt/").status_code == 200


def _reading(function: Any, side: Any) -> Any:
    def wrapped(**kwargs: Any) -> Any:
        side()
        return function(**kwargs)

    return wrapped


def test_a_changed_or_removed_read_line_breaks_the_chain(municipality_a: Municipality, admin_a: User) -> None:
    with readlog.reads_batched(via=readlog.VIA_API):
        for number in range(4):
            note(admin_a, municipality_a, number)
    logged = reads(municipality_a)
    assert selectors.audit_chain_verify(chain_key=municipality_a.pk).ok
    # someone hides that they read a case: the purpose is rewritten behind the application's back
    tamper(
        "UPDATE core_auditevent SET detail = jsonb_set(detail, '{purpose}', '\"2026/99\"') WHERE id = %s",
        [logged[1].pk],
    )
    report = selectors.audit_chain_verify(chain_key=municipality_a.pk)
    assert not report.ok
    assert report.first_break is not None
    assert report.first_break.sequence == logged[1].sequence


def test_a_deleted_read_line_breaks_the_chain(municipality_a: Municipality, admin_a: User) -> None:
    with readlog.reads_batched(via=readlog.VIA_API):
        for number in range(3):
            note(admin_a, municipality_a, number)
    logged = reads(municipality_a)
    tamper("DELETE FROM core_auditevent WHERE id = %s", [logged[1].pk])
    report = selectors.audit_chain_verify(chain_key=municipality_a.pk)
    assert not report.ok
    assert report.first_break is not None
    assert report.first_break.sequence == logged[2].sequence  # the gap is found where it is


def test_the_read_log_is_for_the_security_officer_sampled_the_same_way_each_time(
    municipality_a: Municipality, admin_a: User
) -> None:
    with readlog.reads_batched(via=readlog.VIA_API):
        for number in range(12):
            note(admin_a, municipality_a, number)
    since = timezone.now() - dt.timedelta(days=7)
    until = timezone.now() + dt.timedelta(minutes=1)
    sample = selectors.read_events_sample(
        actor=admin_a, municipality=municipality_a, since=since, until=until, size=5
    )
    again = selectors.read_events_sample(
        actor=admin_a, municipality=municipality_a, since=since, until=until, size=5
    )
    assert len(sample) == 5
    assert sample == again
    about = selectors.read_events(actor=admin_a, municipality=municipality_a, case_files=["case-1"])
    assert {event.object_id for event in about} == {"obj-1", "obj-4", "obj-7", "obj-10"}
    assert selectors.read_events(actor=admin_a, municipality=municipality_a, until=since).count() == 0
    with pytest.raises(PermissionDeniedError):
        selectors.read_events(actor=staff(municipality_a, Role.CASE_WORKER), municipality=municipality_a)
