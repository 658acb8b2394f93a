"""The tagged structure: Document → H1/P/Table → TR → TH/TD, each owning its marked content."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pikepdf
import pytest

from ekommune.pdfa import render_pdf
from ekommune.pdfa.tests import documents
from ekommune.pdfa.tests.pdfcheck import open_pdf


def _marked_sequences(page: pikepdf.Page) -> tuple[list[tuple[str, int]], Counter[str]]:
    """(tag, MCID) of each BDC with an MCID, and a count of artifact sequences by kind."""
    sequences: list[tuple[str, int]] = []
    artifacts: Counter[str] = Counter()
    depth = 0
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        name = str(operator)
        if name in ("BDC", "BMC"):
            depth += 1
            assert depth == 1  # no nesting needed, none written
            tag = str(operands[0])
            if tag == "/Artifact":
                kind = str(operands[1].get("/Type")) if name == "BDC" else "rule"
                artifacts[kind] += 1
            else:
                sequences.append((tag, int(operands[1].MCID)))
        elif name == "EMC":
            depth -= 1
    assert depth == 0
    return sequences, artifacts


@pytest.fixture(scope="module")
def table_pdf() -> pikepdf.Pdf:
    return open_pdf(render_pdf(documents.long_table()))


def _mcids_of(element: Any) -> list[tuple[int, int]]:
    """(page object number, MCID) of the marked content an element refers to."""
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    found = []
    for kid in kids:
        if isinstance(kid, int):
            found.append((int(element.Pg.objgen[0]), int(kid)))
        else:
            found.append((int(kid.Pg.objgen[0]), int(kid.MCID)))
    return found


def test_each_marked_sequence_has_its_own_mcid_and_the_parent_tree_maps_it_back(
    table_pdf: pikepdf.Pdf,
) -> None:
    nums = list(table_pdf.Root.StructTreeRoot.ParentTree.Nums)
    parents = dict(zip([int(n) for n in nums[::2]], nums[1::2], strict=True))
    assert int(table_pdf.Root.StructTreeRoot.ParentTreeNextKey) == len(table_pdf.pages)
    for page in table_pdf.pages:
        sequences, _ = _marked_sequences(page)
        mcids = [mcid for _, mcid in sequences]
        assert mcids == list(range(len(mcids)))  # unique per page, in order
        owners = parents[int(page.StructParents)]
        assert len(owners) == len(mcids)
        for (tag, mcid), owner in zip(sequences, owners, strict=True):
            assert str(owner.S) == tag
            assert (int(page.objgen[0]), mcid) in _mcids_of(owner)


def test_every_reference_from_an_element_is_a_marked_sequence_on_that_page(table_pdf: pikepdf.Pdf) -> None:
    sequences = {
        (int(page.objgen[0]), mcid) for page in table_pdf.pages for _, mcid in _marked_sequences(page)[0]
    }
    referenced: list[tuple[int, int]] = []
    stack = [table_pdf.Root.StructTreeRoot.K[0]]
    while stack:
        element = stack.pop()
        if "/K" not in element:
            continue
        if (
            isinstance(element.K, pikepdf.Array)
            and element.K
            and isinstance(element.K[0], pikepdf.Dictionary)
            and "/S" in element.K[0]
        ):
            stack.extend(element.K)
        else:
            referenced += _mcids_of(element)
    assert sorted(referenced) == sorted(sequences)


def test_tree_shape_is_document_table_rows_header_and_data_cells() -> None:
    pdf = open_pdf(render_pdf(documents.receipt()))
    root = pdf.Root.StructTreeRoot
    (document,) = root.K
    assert pikepdf.Name.Document == document.S
    assert document.P.objgen == root.objgen
    assert [str(kid.S) for kid in document.K] == ["/P", "/H1", "/P", "/Table"]
    table = document.K[3]
    assert len(table.K) == len(documents.RECEIPT_ROWS)
    for row in table.K:
        assert row.S == pikepdf.Name.TR
        assert row.P.objgen == table.objgen
        header, data = row.K
        assert (header.S, data.S) == (pikepdf.Name.TH, pikepdf.Name.TD)
        assert pikepdf.Name.Table == header.A.O
        assert header.A.Scope == pikepdf.Name.Row


def test_pages_carry_struct_parents_and_structure_tab_order(table_pdf: pikepdf.Pdf) -> None:
    assert [int(page.StructParents) for page in table_pdf.pages] == list(range(len(table_pdf.pages)))
    assert all(page.Tabs == pikepdf.Name.S for page in table_pdf.pages)


def test_rules_and_page_numbers_are_artifacts(table_pdf: pikepdf.Pdf) -> None:
    rules = 0
    for page in table_pdf.pages:
        _, artifacts = _marked_sequences(page)
        assert artifacts["/Pagination"] == 1
        rules += artifacts["rule"]
        content = page.Contents.read_bytes()
        outside = re.sub(
            rb"/Artifact.*?EMC|/(P|H\d|TH|TD) <</MCID \d+>> BDC.*?EMC", b"", content, flags=re.DOTALL
        )
        assert outside.strip() == b""  # nothing drawn outside marked content or artifacts
    assert rules == 201


def test_empty_document_still_has_a_page_and_a_structure_root() -> None:
    pdf = open_pdf(render_pdf(documents.receipt(blocks=[], page_numbers=False)))
    assert len(pdf.pages) == 1
    assert pikepdf.Name.Document == pdf.Root.StructTreeRoot.K[0].S
