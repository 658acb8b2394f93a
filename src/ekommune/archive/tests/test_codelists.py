"""Every code list names an element and M-number of the official metadatakatalog.xsd."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from ekommune.archive import codelists
from ekommune.standards import standard_path

# The official schema is never copied into the code base: the standards manifest finds it.
pytestmark = pytest.mark.needs_standards("noark5")
XSD_KEY = "noark5/metadatakatalog.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"


def schema_types() -> dict[str, str]:
    """simpleType name → M-number from the schema's documentation annotation."""
    root = ElementTree.parse(standard_path(XSD_KEY)).getroot()  # noqa: S314 (the official schema, not untrusted input)
    types = {}
    for simple_type in root.iter(f"{XS}simpleType"):
        doc = simple_type.find(f"{XS}annotation/{XS}documentation")
        types[simple_type.get("name", "")] = (doc.text or "").strip() if doc is not None else ""
    return types


def test_the_standard_schema_is_found() -> None:
    assert standard_path(XSD_KEY).is_file()


@pytest.mark.parametrize("code_list", codelists.ALL_CODE_LISTS, ids=lambda c: c.element)
def test_code_list_matches_the_schema(code_list: codelists.CodeList) -> None:
    types = schema_types()
    assert code_list.element in types, f"{code_list.element} is not a type in metadatakatalog.xsd"
    assert types[code_list.element] == code_list.metadata_number
    codes = code_list.codes()
    assert len(codes) == len(set(codes))
    assert all(0 < len(code) <= 4 for code in codes)


@pytest.mark.parametrize(
    "code_list",
    [c for c in codelists.CATALOGUE_CODE_LISTS.values() if c.metadata_number],
    ids=lambda c: c.element,
)
def test_catalogue_code_list_matches_the_schema(code_list: codelists.CodeList) -> None:
    types = schema_types()
    assert types.get(code_list.element) == code_list.metadata_number
    codes = code_list.codes()
    assert len(codes) == len(set(codes))
