"""Documents and styles refuse bad geometry where they are written (not in the writer)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from ekommune.pdfa import Document, Heading, InvalidDocumentError, KeyValueTable, Paragraph, Spacer, Style
from ekommune.pdfa.tests.documents import CREATED


@pytest.mark.parametrize(
    "fields",
    [
        {"size": 0},
        {"size": float("nan")},
        {"line_height": -1},
        {"space_before": -2},
        {"colour": (51, 51, 51)},
        {"colour": (0, 0)},
        {"family": "mono"},
    ],
)
def test_style_refuses_values_out_of_range(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidDocumentError):
        Style(**fields)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Heading(text="x", level=7),
        lambda: Paragraph(text=None),  # type: ignore[arg-type]
        lambda: KeyValueTable(rows=[("only label", "value")]),  # type: ignore[list-item]
        lambda: KeyValueTable(rows=[("a", "b", 0)], label_fraction=1.5),
        lambda: Spacer(height=-1),
        lambda: Document(created_at=CREATED, margins=(10, 300, 10, 300)),
        lambda: Document(created_at=CREATED, page_size=(0, 100)),
        lambda: Document(created_at=CREATED, blocks=["not a block"]),  # type: ignore[list-item]
        lambda: Document(created_at=datetime(2026, 1, 1)),
    ],
)
def test_blocks_and_documents_refuse_bad_values(make: Any) -> None:
    with pytest.raises(InvalidDocumentError):
        make()


def test_errors_are_value_errors_with_a_code() -> None:
    with pytest.raises(ValueError, match="heading level") as error:
        Heading(text="x", level=0)
    assert error.value.code == "pdfa_invalid_document"  # type: ignore[attr-defined]
