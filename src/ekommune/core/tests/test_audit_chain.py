"""The audit log is append-only and hash-chained; tampering is detected at the first broken link."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from ekommune.core.audit import GENESIS_HASH
from ekommune.core.models import AuditEvent, Municipality, User
from ekommune.core.selectors import audit_chain_verify
from ekommune.core.services import audit_event_record

pytestmark = pytest.mark.django_db


def record_events(municipality: Municipality, actor: User, count: int) -> list[AuditEvent]:
    return [
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action=f"test.event_{i}",
            object_type="thing",
            object_id=i,
            detail={"n": i, "tekst": "æøå"},
        )
        for i in range(count)
    ]


def tamper(sql: str, params: list[str | int]) -> None:
    """Change a row behind the application's back, as a database superuser could."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # superuser: triggers off
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


class TestChain:
    def test_events_link_to_the_previous_one(self, municipality_a: Municipality, admin_a: User) -> None:
        before = AuditEvent.objects.filter(chain_key=municipality_a.pk).count()
        events = record_events(municipality_a, admin_a, 3)
        assert [e.sequence for e in events] == [before + 1, before + 2, before + 3]
        assert events[1].previous_hash == events[0].hash
        assert events[2].previous_hash == events[1].hash
        first = AuditEvent.objects.get(chain_key=municipality_a.pk, sequence=1)
        assert first.previous_hash == GENESIS_HASH

    def test_each_municipality_has_its_own_chain(
        self, municipality_a: Municipality, municipality_b: Municipality, admin_a: User
    ) -> None:
        a = audit_event_record(actor=admin_a, municipality=municipality_a, action="a")
        b = audit_event_record(actor=None, municipality=municipality_b, action="b")
        installation = audit_event_record(actor=None, municipality=None, action="installation")
        assert (a.chain_key, b.chain_key, installation.chain_key) == (municipality_a.pk, municipality_b.pk, 0)
        assert b.sequence == 1
        assert b.actor_label == "system"

    def test_an_intact_chain_verifies(self, municipality_a: Municipality, admin_a: User) -> None:
        record_events(municipality_a, admin_a, 5)
        report = audit_chain_verify(chain_key=municipality_a.pk)
        assert report.ok
        assert report.events == 5
        assert (
            report.head_hash == AuditEvent.objects.filter(chain_key=municipality_a.pk).latest("sequence").hash
        )


class TestAppendOnly:
    def test_update_is_refused_by_the_database(self, municipality_a: Municipality, admin_a: User) -> None:
        event = record_events(municipality_a, admin_a, 1)[0]
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(action="forged")

    def test_delete_is_refused_by_the_database(self, municipality_a: Municipality, admin_a: User) -> None:
        event = record_events(municipality_a, admin_a, 1)[0]
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
        assert AuditEvent.objects.filter(pk=event.pk).exists()


class TestTampering:
    def test_changed_content_is_detected_at_that_event(
        self, municipality_a: Municipality, admin_a: User
    ) -> None:
        events = record_events(municipality_a, admin_a, 5)
        tamper("UPDATE core_auditevent SET detail = %s WHERE id = %s", ['{"n": 99}', events[2].pk])
        report = audit_chain_verify(chain_key=municipality_a.pk)
        assert report.first_break is not None
        assert report.first_break.sequence == events[2].sequence
        assert "endret" in report.first_break.reason

    def test_changed_actor_is_detected(self, municipality_a: Municipality, admin_a: User) -> None:
        events = record_events(municipality_a, admin_a, 3)
        tamper("UPDATE core_auditevent SET actor_label = 'someone-else' WHERE id = %s", [events[0].pk])
        assert audit_chain_verify(chain_key=municipality_a.pk).first_break.sequence == events[0].sequence  # type: ignore[union-attr]

    def test_rehashed_event_breaks_the_next_link(self, municipality_a: Municipality, admin_a: User) -> None:
        events = record_events(municipality_a, admin_a, 4)
        tamper("UPDATE core_auditevent SET hash = %s WHERE id = %s", ["f" * 64, events[1].pk])
        report = audit_chain_verify(chain_key=municipality_a.pk)
        assert report.first_break is not None
        assert report.first_break.sequence == events[1].sequence

    def test_removed_event_is_detected(self, municipality_a: Municipality, admin_a: User) -> None:
        events = record_events(municipality_a, admin_a, 4)
        tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
        report = audit_chain_verify(chain_key=municipality_a.pk)
        assert report.first_break is not None
        assert report.first_break.sequence == events[2].sequence
        assert "mangler" in report.first_break.reason

    def test_command_reports_the_first_broken_link(
        self,
        municipality_a: Municipality,
        municipality_b: Municipality,
        admin_a: User,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        events = record_events(municipality_a, admin_a, 3)
        audit_event_record(actor=None, municipality=municipality_b, action="intact")
        call_command("audit", "verify")
        assert "All 2 audit chain(s) intact" in capsys.readouterr().out
        tamper("UPDATE core_auditevent SET object_id = 'x' WHERE id = %s", [events[1].pk])
        with pytest.raises(CommandError, match="1 audit chain"):
            call_command("audit", "verify")
        out = capsys.readouterr().out
        assert (
            f"BROKEN  chain municipality {municipality_a.pk}: first broken link at sequence {events[1].sequence}"
            in out
        )
        assert f"OK      chain municipality {municipality_b.pk}" in out

    def test_command_for_one_municipality(
        self, municipality_a: Municipality, admin_a: User, capsys: pytest.CaptureFixture[str]
    ) -> None:
        record_events(municipality_a, admin_a, 2)
        call_command("audit", "verify", "--municipality", "aust")
        assert "All 1 audit chain(s) intact" in capsys.readouterr().out
        with pytest.raises(CommandError, match="Unknown municipality"):
            call_command("audit", "verify", "--municipality", "finnes-ikke")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_gapless_chain(municipality_a: Municipality) -> None:
    """Eight threads append at once; the chain has no duplicate, no gap, and verifies."""
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for i in range(10):
                audit_event_record(
                    actor=None, municipality=municipality_a, action="race", object_id=f"{worker}-{i}"
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = list(
        AuditEvent.objects.filter(chain_key=municipality_a.pk)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, len(sequences) + 1))
    assert len(sequences) >= 80
    assert audit_chain_verify(chain_key=municipality_a.pk).ok


def test_background_task_reports_broken_chains(municipality_a: Municipality, admin_a: User) -> None:
    from ekommune.core.tasks import audit_chains_verify

    events = record_events(municipality_a, admin_a, 2)
    assert audit_chains_verify.enqueue().return_value == {"chains": 1, "broken": 0}
    tamper("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [events[0].pk])
    assert audit_chains_verify.enqueue().return_value == {"chains": 1, "broken": 1}
