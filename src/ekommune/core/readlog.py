"""Read logging (innsynslogg): who read which document file, screened registry entry or citizen's
submission, when, and for which case (the purpose). Decision 0226.

A read is *noted* where it happens (``read_note``: the archive's file and entry selectors, the
portal's inbox) and *appended* to the municipality's hash-chained audit log (decision 0004) when
the unit of work it belongs to ends: a request (``core.middleware.ReadLogMiddleware``) or an
export (``reads_batched``). The notes of one unit of work are written in one statement
(``core.services.audit_events_with``), or with COPY when there are many (an export), so a read
costs a list append, and a request one statement.

Fail safe: nothing read leaves the server before its notes are in the chain. The middleware appends
before it returns the response (a file is streamed only after that); when the append fails the
response is dropped and the request answered 503. A process that dies before the append has sent
nothing. A read noted outside any unit of work (a shell, a task) is appended at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from ekommune.core.models import Municipality

READ_ACTION_PREFIX = "read."

# What was read (the ``object_type`` of the event; its ``action`` is ``read.<kind>``).
DOCUMENT_FILE = "document_file"
REGISTRY_ENTRY = "registry_entry"
SUBMISSION = "submission"
KINDS = (DOCUMENT_FILE, REGISTRY_ENTRY, SUBMISSION)

# Through which path (``detail.via``).
VIA_API = "api"
VIA_PAGE = "page"
VIA_EXPORT = "export"
VIA_JOURNAL = "journal"
VIA_DIRECT = "direct"

# Above this many notes in one unit of work they are written with COPY in chunks of this size.
BULK_THRESHOLD = 50


@dataclass(frozen=True)
class ReadNote:
    """One read: ``purpose`` is the case number worked on (``2026/12``), ``case_file`` its
    systemID; ``unit`` and ``handler`` are the case's administrative unit and responsible person
    (saksansvarlig/saksbehandler) at the time, so that the review can flag reads outside one's own."""

    actor: Any
    municipality: Municipality
    kind: str
    object_id: str
    case_file: str
    purpose: str
    unit: str = ""
    handlers: tuple[str, ...] = ()

    def detail(self, via: str) -> dict[str, Any]:
        return {
            "via": via,
            "purpose": self.purpose,
            "case_file": self.case_file,
            "unit": self.unit,
            "handlers": list(self.handlers),
        }


@dataclass
class ReadBatch:
    """The notes of one unit of work (a request, an export), appended when it ends."""

    via: str
    notes: list[ReadNote] = field(default_factory=list)


_current: ContextVar[ReadBatch | None] = ContextVar("ekommune_read_batch", default=None)


def read_note(
    *,
    actor: Any,
    municipality: Municipality,
    kind: str,
    object_id: object,
    case_file: object,
    purpose: str,
    unit: str = "",
    handlers: tuple[str, ...] = (),
) -> None:
    """Note one read by a staff user. Anonymous reads (the public pages) are not personal reads by
    staff and are not noted; an unknown kind is refused (a programming error, not input)."""
    if kind not in KINDS:
        raise ValueError(f"unknown read kind {kind!r}")
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    note = ReadNote(
        actor=actor,
        municipality=municipality,
        kind=kind,
        object_id=str(object_id),
        case_file=str(case_file or ""),
        purpose=purpose,
        unit=unit,
        handlers=tuple(dict.fromkeys(name for name in handlers if name)),
    )
    batch = _current.get()
    if batch is None:
        read_notes_append(notes=[note], via=VIA_DIRECT)
    else:
        batch.notes.append(note)


@contextmanager
def reads_batched(*, via: str) -> Iterator[ReadBatch]:
    """Collect the reads noted inside the block and append them when it ends without error.

    The caller hands out what was read only after the block (an export renames its folder after);
    when the block fails the notes are dropped with what was read. Nested blocks join the outer."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    batch = ReadBatch(via=via)
    token = _current.set(batch)
    try:
        yield batch
    finally:
        _current.reset(token)
    read_notes_append(notes=batch.notes, via=batch.via)


def read_notes_append(*, notes: list[ReadNote], via: str) -> int:
    """Append notes to their municipalities' audit chains: one statement per actor and
    municipality, or COPY in chunks for many; the number appended."""
    from ekommune.core import services  # the kernel's writes; imported late (services imports models)

    groups: dict[tuple[int, int | None], list[ReadNote]] = {}
    for note in notes:
        groups.setdefault((note.municipality.pk, getattr(note.actor, "pk", None)), []).append(note)
    written = 0
    for group in groups.values():
        first = group[0]
        events = [
            services.AuditEventInput(
                action=READ_ACTION_PREFIX + note.kind,
                object_type=note.kind,
                object_id=note.object_id,
                detail=note.detail(via),
            )
            for note in group
        ]
        written += services.audit_events_batch_append(
            actor=first.actor,
            municipality=first.municipality,
            events=events,
            bulk_size=BULK_THRESHOLD,
            synchronous=settings.EKOMMUNE_READ_LOG_SYNCHRONOUS_COMMIT,
        )
    return written
