"""A small ADDML 8.3 writer of our own for tests, built from the ADDML schema's elements (addml →
dataset → reference, dataObjects → dataObject → properties → property → value/properties), not
from the exporter: it describes whatever package folder it is given, in either form the schema
allows for a file and its schema (``schema → name`` or ``schema → file → name``)."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from lxml import etree

NS = "http://www.arkivverket.no/standarder/addml"
Form = Literal["flat", "nested"]

SCHEMAS = {
    "arkivstruktur.xml": ("arkivstruktur.xsd", "metadatakatalog.xsd"),
    "endringslogg.xml": ("endringslogg.xsd", "metadatakatalog.xsd"),
    "loependeJournal.xml": ("loependeJournal.xsd", "metadatakatalog.xsd"),
    "offentligJournal.xml": ("offentligJournal.xsd", "metadatakatalog.xsd"),
}
COUNTED = {
    "arkivstruktur.xml": (
        "arkiv",
        "arkivdel",
        "mappe",
        "registrering",
        "dokumentbeskrivelse",
        "dokumentobjekt",
    ),
    "endringslogg.xml": ("endring",),
    "loependeJournal.xml": ("journalregistrering",),
    "offentligJournal.xml": ("journalregistrering",),
}


def _el(parent: Any, tag: str, **attrib: str) -> Any:
    return etree.SubElement(parent, f"{{{NS}}}{tag}", attrib)


def _prop(parent: Any, name: str, value: object = None) -> Any:
    """A property under ``parent`` (a dataObject, property or additionalElement)."""
    properties = parent.find(f"{{{NS}}}properties")
    if properties is None:
        properties = _el(parent, "properties")
    prop = _el(properties, "property", name=name)
    if value is not None:
        _el(prop, "value").text = str(value)
    return prop


def _sha256(path: Path) -> tuple[str, int]:
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def _describe(parent: Any, path: Path, file_type: str) -> None:
    """name, type, checksum (algorithm, value) and size of a file, under ``parent``."""
    checksum, size = _sha256(path)
    _prop(parent, "name", path.name if file_type != "DOC" else path.parent.name + "/" + path.name)
    _prop(parent, "type", file_type)
    digest = _prop(parent, "checksum")
    _prop(digest, "algorithm", "SHA256")
    _prop(digest, "value", checksum)
    _prop(parent, "size", size)


def _schema(parent: Any, path: Path, form: Form) -> None:
    schema = _prop(parent, "schema")
    if form == "nested":
        _describe(_prop(schema, "file"), path, "XSD")
        _prop(schema, "typeVersion", "5.0")
    else:
        _describe(schema, path, "XSD")


def _count(path: Path, names: tuple[str, ...]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _, element in etree.iterparse(str(path), events=("start",)):
        local = etree.QName(element).localname
        if local in names:
            counts[local] += 1
    return counts


def generate(package: Path, *, form: Form, list_documents: bool = True) -> bytes:
    """arkivuttrekk.xml describing ``package`` (its XML files, schemas and document files)."""
    root = etree.Element(f"{{{NS}}}addml", {"name": "generert"}, nsmap={None: NS})
    dataset = _el(root, "dataset")
    content = _el(_el(dataset, "reference"), "content")
    info = _el(_el(content, "additionalElements"), "additionalElement", name="additionalInfo")
    documents = sorted(p for p in (package / "dokumenter").rglob("*") if p.is_file())
    _prop(info, "antallDokumentfiler", len(documents))
    top = _el(_el(dataset, "dataObjects"), "dataObject", name="Noark 5 arkivuttrekk")
    _schema(top, package / "addml.xsd", form)
    children = _el(top, "dataObjects")
    for file_name, schemas in SCHEMAS.items():
        path = package / file_name
        if not path.is_file():
            continue
        data_object = _el(children, "dataObject", name=file_name.removesuffix(".xml"))
        _describe(_prop(data_object, "file"), path, "XML")
        for schema in schemas:
            _schema(data_object, package / schema, form)
        counted = _el(data_object, "dataObjects")
        found = _count(path, COUNTED[file_name])
        for name in COUNTED[file_name]:
            _prop(_el(counted, "dataObject", name=name), "numberOfOccurrences", found[name])
    if list_documents:
        folder = _el(children, "dataObject", name="dokumenter")
        for document in documents:
            _describe(_prop(folder, "file"), document, "DOC")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
