"""Writing one package: the order of the files, the journals in two more processes when asked
(``parallel``), the schemas and arkivuttrekk.xml last."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.services import Actor
from ekommune.deposit import addml
from ekommune.deposit import package as pkg
from ekommune.deposit.export import journals
from ekommune.deposit.export.changelog import write_endringslogg
from ekommune.deposit.export.common import Context, Progress
from ekommune.deposit.export.structure import unclassified, write_arkivstruktur


def _write_journals(ctx: Context, series_pks: list[int], creators: list[Any]) -> tuple[int, int, int]:
    write_endringslogg(ctx, series_pks)
    journals.write_loepende_journal(ctx, series_pks, creators)
    journals.write_offentlig_journal(ctx, series_pks, creators)
    return ctx.result.changes, ctx.result.journal_entries, ctx.result.public_entries


def _running_part(ctx: Context, series_pks: list[int], creators: list[Any]) -> tuple[int, int, int]:
    write_endringslogg(ctx, series_pks)
    journals.write_loepende_journal(ctx, series_pks, creators)
    return ctx.result.changes, ctx.result.journal_entries, 0


def _public_part(ctx: Context, series_pks: list[int], creators: list[Any]) -> tuple[int, int, int]:
    journals.write_offentlig_journal(ctx, series_pks, creators)
    return 0, 0, ctx.result.public_entries


def _fork_journals(
    ctx: Context, series_pks: list[int], creators: list[Any]
) -> Callable[[], tuple[int, int, int]]:
    """Start two child processes, one writing the change log and the running journal, one the
    public journal; the returned function waits for both and gives their counts (or raises)."""
    connections.close_all()  # the children must not share this process's database connection
    context = multiprocessing.get_context("fork")
    started = []
    for part in (_running_part, _public_part):
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(
            target=_journals_child, args=(part, ctx, series_pks, creators, writer), daemon=True
        )
        child.start()
        writer.close()
        started.append((reader, child))

    def wait() -> tuple[int, int, int]:
        totals = [0, 0, 0]
        failures = []
        for reader, child in started:
            try:
                outcome = reader.recv()
            except EOFError:
                outcome = ("error", "the journal process ended without an answer")
            child.join()
            if outcome[0] != "ok":
                failures.append(str(outcome[1]))
                continue
            totals = [total + count for total, count in zip(totals, outcome[1], strict=True)]
        if failures:
            raise RuntimeError(f"Writing the journals failed: {'; '.join(failures)}")
        return totals[0], totals[1], totals[2]

    return wait


_INHERITED: list[Any] = []


def _journals_child(
    part: Callable[[Context, list[int], list[Any]], tuple[int, int, int]],
    ctx: Context,
    series_pks: list[int],
    creators: list[Any],
    writer: Any,
) -> None:
    ctx.progress = None
    for alias in connections:  # whatever this process inherited belongs to the parent: never use it
        wrapper = connections[alias]
        if getattr(wrapper, "connection", None) is not None:
            _INHERITED.append(wrapper.connection)  # kept, not closed: closing would end the parent's session
            wrapper.connection = None
    try:
        writer.send(("ok", part(ctx, series_pks, creators)))
    except Exception as error:  # reported to the parent, which raises it
        writer.send(("error", repr(error)))
    finally:
        connections.close_all()
        writer.close()


class UnclassifiedCasesError(ValidationError):
    """Case files without a class in a classified series: the package has no place for them.
    ``offenders`` lists every one (case number and title), for ``deposit export --report``."""

    code = "case_file_unclassified"

    def __init__(self, offenders: list[str]) -> None:
        numbers = ", ".join(offender.split(" ", 1)[0] for offender in offenders)
        super().__init__(
            f"{len(offenders)} saker uten primærklasse i en klassifisert arkivdel: {numbers}.",
            field="series",
        )
        self.offenders = offenders


def _refuse_what_cannot_be_deposited(ctx: Context, series_list: Sequence[Any]) -> None:
    offenders = unclassified(ctx, series_list)
    if offenders:
        raise UnclassifiedCasesError(offenders)
    if len({series.fonds_id for series in series_list}) != 1:
        raise ValidationError("Arkivdelene må høre til samme arkiv.", code="several_fonds", field="series")


def export_package(
    *,
    actor: Actor,
    municipality: Municipality,
    series_ids: Sequence[uuid.UUID],
    out_dir: Path,
    schemas: dict[str, Path],
    progress: Progress | None = None,
    extracted_at: dt.datetime | None = None,
    parallel: bool = False,
) -> pkg.ExportResult:
    """Write the package into ``out_dir`` (created; must be empty). The caller checks the permission
    through ``extraction_series`` (ARCHIVE_MANAGE), records the audit event, and writes into a
    temporary folder it renames on success (``services.package_export``).

    With ``parallel`` the change log and the two journals are written by two more processes
    (forked, each with its own database connection) while this one writes arkivstruktur.xml. It
    needs committed data (not inside an open transaction that holds the archive).
    """
    series_list = archive_selectors.extraction_series(
        actor=actor, municipality=municipality, system_ids=series_ids
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / pkg.DOCUMENT_FOLDER).mkdir(exist_ok=True)
    result = pkg.ExportResult(out_dir=out_dir, extracted_at=extracted_at or timezone.now())
    list_path = out_dir / ".dokumentfiler.tsv"
    with list_path.open("w", encoding="utf-8") as file_list:
        ctx = Context(
            municipality=municipality,
            out_dir=out_dir,
            extracted_at=result.extracted_at,
            result=result,
            file_list=file_list,
            progress=progress,
            actor=actor,
        )
        _refuse_what_cannot_be_deposited(ctx, series_list)
        series_pks = [series.pk for series in series_list]
        creators = archive_selectors.extraction_fonds_creators(
            municipality=municipality, fonds_id=series_list[0].fonds_id
        )
        if parallel:
            helper = _fork_journals(ctx, series_pks, creators)
            write_arkivstruktur(ctx, series_list)
            result.changes, result.journal_entries, result.public_entries = helper()
        else:
            write_arkivstruktur(ctx, series_list)
            _write_journals(ctx, series_pks, creators)
    # A journal with nothing to hold would break its schema (one entry or more): it is left out,
    # and arkivuttrekk.xml does not name it. endringslogg.xml is always there, empty or not
    # (decision 0142).
    for file_name, count in (
        (pkg.LOEPENDE_JOURNAL, result.journal_entries),
        (pkg.OFFENTLIG_JOURNAL, result.public_entries),
    ):
        if count == 0:
            (out_dir / file_name).unlink()
    for schema_name, official in schemas.items():
        shutil.copyfile(official, out_dir / schema_name)
    addml.write_arkivuttrekk(
        out_dir=out_dir,
        municipality=municipality,
        series_list=series_list,
        creators=creators,
        result=result,
        file_list=list_path,
    )
    list_path.unlink()
    return result
