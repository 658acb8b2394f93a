"""What every writer of the package shares: the context of one export, the incremental writer,
and the small helpers that build elements (no empty elements, Arkade N5.63; codes as kodenavn)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ekommune.archive.types import codelists as cl
from ekommune.core.models import Municipality
from ekommune.deposit import package as pkg

CASE_PAGE = 500
ENTRY_BATCH = 2000
PUBLIC_BATCH = 2000
UNFINISHED_BY = "arkivuttrekk"  # avsluttetAv/arkivertAv of what was still open when extracted

Progress = Callable[[int], None]


_NAMES: dict[str, dict[str, str]] = {}


def code_name(code_list: cl.CodeList, code: str) -> str:
    """The kodenavn of a code (an unknown code is written as it is)."""
    names = _NAMES.get(code_list.element)
    if names is None:
        names = _NAMES[code_list.element] = dict(code_list.values)
    return names.get(code, code)


def or_none(items: Sequence[Any]) -> list[Any]:
    """The items, or a single None standing for the placeholder the schema needs."""
    return list(items) or [None]


AS = f"{{{pkg.NS_ARKIVSTRUKTUR}}}"


def add_child(parent: Any, name: str) -> Any:
    """A child element; a bare name is taken in the arkivstruktur namespace."""
    return etree.SubElement(parent, name if name[0] == "{" else AS + name)


def sub(parent: Any, name: str, value: object, _sub_element: Any = etree.SubElement) -> None:
    """Append ``<name>value</name>`` unless the value is empty (no empty elements)."""
    if value is None or value == "":
        return
    _sub_element(parent, name if name[0] == "{" else AS + name).text = (
        value if type(value) is str else str(value)
    )


@dataclass
class Context:
    municipality: Municipality
    out_dir: Path
    extracted_at: dt.datetime
    result: pkg.ExportResult
    file_list: Any  # the open text file listing document files (path, checksum, size)
    progress: Progress | None
    actor: Any = None  # who exports: the document files' reads are logged in this name
    entries_done: int = 0
    written_files: set[str] = field(default_factory=set)


class Writer:
    """An lxml incremental writer in the default namespace of one package file."""

    def __init__(self, xf: Any, namespace: str) -> None:
        self.xf = xf
        self.ns = namespace

    def element(self, name: str, attrib: dict[str, str] | None = None) -> AbstractContextManager[Any]:
        return self.xf.element(f"{{{self.ns}}}{name}", attrib or {})

    def leaf(self, name: str, value: object) -> None:
        if value is None or value == "":
            return
        with self.element(name):
            self.xf.write(value if isinstance(value, str) else str(value))

    def tree(self, element: Any) -> None:
        """Write an element tree (built with qualified names, ``add_child``/``sub``)."""
        self.xf.write(element)


def group(rows: list[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row[key] is not None:
            grouped[row[key]].append(row)
    return grouped


def batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
