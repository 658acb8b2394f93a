"""Every code list names an element and M-number of the official metadatakatalog.xsd."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ekommune.archive import codelists
from ekommune.conf.embedded_db import PROJECT_ROOT

# The official standards live beside the project (../shared/standards), never copied into it.
STANDARDS = Path(os.environ.get("EKOMMUNE_STANDARDS_DIR", PROJECT_ROOT.parent / "shared" / "standards"))
XSD = STANDARDS / "noark5" / "metadatakatalog.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"


def schema_types() -> dict[str, str]:
    """simpleType name → M-number from the schema's documentation annotation."""
    root = ElementTree.parse(XSD).getroot()  # noqa: S314 (the official schema, not untrusted input)
    types = {}
    for simple_type in root.iter(f"{XS}simpleType"):
        doc = simple_type.find(f"{XS}annotation/{XS}documentation")
        types[simple_type.get("name", "")] = (doc.text or "").strip() if doc is not None else ""
    return types


def test_the_standard_schemas_are_beside_the_project() -> None:
    assert XSD.is_file(), f"expected the official schema at {XSD} (set EKOMMUNE_STANDARDS_DIR to its folder)"


@pytest.mark.parametrize("code_list", codelists.ALL_CODE_LISTS, ids=lambda c: c.element)
def test_code_list_matches_the_schema(code_list: codelists.CodeList) -> None:
    types = schema_types()
    assert code_list.element in types, f"{code_list.element} is not a type in metadatakatalog.xsd"
    assert types[code_list.element] == code_list.metadata_number
    codes = code_list.codes()
    assert len(codes) == len(set(codes))
    assert all(0 < len(code) <= 4 for code in codes)
