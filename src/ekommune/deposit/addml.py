"""``arkivuttrekk.xml``: the package's ADDML 8.3 description (after Riksarkivarens Noark 5 template).

It names the record creators, the system, the fonds and the period (``reference``); and, as
``dataObjects``, each XML file with its SHA-256, its schemas with theirs, the number of
occurrences of each object type, and every document file with its checksum and size. The
checks (``ekommune.deposit.checks``) read the same layout back with ``read_arkivuttrekk``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ekommune.core.models import Municipality
from ekommune.core.validators import is_ascii_digits
from ekommune.deposit import package as pkg

A = f"{{{pkg.NS_ADDML}}}"

# Object types counted per XML file (the element names the checks count in the files).
ARKIVSTRUKTUR_COUNTED = (
    "arkiv",
    "arkivskaper",
    "arkivdel",
    "klassifikasjonssystem",
    "klasse",
    "mappe",
    "registrering",
    "korrespondansepart",
    "part",
    "dokumentbeskrivelse",
    "dokumentobjekt",
    "merknad",
    "kryssreferanse",
    "avskrivning",
    "skjerming",
)
COUNTED: dict[str, tuple[str, ...]] = {
    pkg.ARKIVSTRUKTUR: ARKIVSTRUKTUR_COUNTED,
    pkg.ENDRINGSLOGG: ("endring",),
    pkg.LOEPENDE_JOURNAL: ("journalregistrering",),
    pkg.OFFENTLIG_JOURNAL: ("journalregistrering",),
}
STRUCTURE_FILES = (pkg.ARKIVSTRUKTUR, pkg.ENDRINGSLOGG, pkg.LOEPENDE_JOURNAL, pkg.OFFENTLIG_JOURNAL)


def _element(tag: str, name: str | None = None, value: object = None) -> Any:
    element = etree.Element(A + tag, {"name": name} if name is not None else {}, nsmap={None: pkg.NS_ADDML})
    if value is not None:
        etree.SubElement(element, A + "value").text = str(value)
    return element


def _property(parent: Any, name: str, value: object = None) -> Any:
    """``<property name=…><value>…</value></property>``, appended to ``parent``'s properties."""
    properties = parent.find(A + "properties")
    if properties is None:
        properties = etree.SubElement(parent, A + "properties")
    prop = etree.SubElement(properties, A + "property", {"name": name})
    if value is not None:
        etree.SubElement(prop, A + "value").text = str(value)
    return prop


def _additional(parent: Any, name: str, value: object = None) -> Any:
    elements = parent.find(A + "additionalElements")
    if elements is None:
        elements = etree.SubElement(parent, A + "additionalElements")
    element = etree.SubElement(elements, A + "additionalElement", {"name": name})
    if value is not None:
        etree.SubElement(element, A + "value").text = str(value)
    return element


def _file_property(
    parent: Any, kind: str, name: str, file_type: str, checksum: str, size: int | None
) -> None:
    prop = _property(parent, kind)
    _property(prop, "name", name)
    _property(prop, "type", file_type)
    if file_type == "XML":
        _property(prop, "version", "1.0")
    checksum_prop = _property(prop, "checksum")
    _property(checksum_prop, "algorithm", "SHA256")
    _property(checksum_prop, "value", checksum)
    if size is not None:
        _property(prop, "size", size)


def _reference(
    municipality: Municipality, series_list: Sequence[Any], creators: list[Any], result: pkg.ExportResult
) -> Any:
    reference = _element("reference")
    context = etree.SubElement(reference, A + "context")
    record_creators = _additional(context, "recordCreators")
    for creator in creators or [None]:
        item = _additional(record_creators, "recordCreator")
        _additional(item, "name", creator.name if creator is not None else municipality.name)
    _additional(context, "systemName", pkg.SYSTEM_NAME)
    _additional(context, "systemType", "Noark5")
    _additional(context, "archive", series_list[0].fonds.title)
    content = etree.SubElement(reference, A + "content")
    period = _additional(content, "archivalPeriod")
    starts = [s.period_start for s in series_list if s.period_start] or [result.extracted_at.date()]
    ends = [s.period_end for s in series_list if s.period_end] or [result.extracted_at.date()]
    _property(period, "startDate", pkg.date_text(min(starts)))
    _property(period, "endDate", pkg.date_text(max(ends)))
    info = _additional(content, "additionalInfo")
    periode = _property(info, "periode")
    _property(periode, "inngaaendeSkille", "skarp")
    _property(periode, "utgaaendeSkille", "skarp")
    _property(info, "inneholderSkjermetInformasjon", str(result.counts["skjerming"] > 0).lower())
    _property(info, "omfatterDokumenterSomErKassert", "false")
    _property(info, "inneholderDokumenterSomSkalKasseres", "false")
    _property(info, "inneholderVirksomhetsspesifikkeMetadata", "false")
    _property(info, "antallDokumentfiler", result.document_files)
    return reference


def _structure_object(out_dir: Path, file_name: str, counts: dict[str, int]) -> Any:
    data_object = _element("dataObject", file_name.removesuffix(".xml"))
    checksum, size = pkg.sha256_file(out_dir / file_name)
    _file_property(data_object, "file", file_name, "XML", checksum, size)
    for schema in pkg.XML_FILES[file_name][1]:
        schema_checksum, schema_size = pkg.sha256_file(out_dir / schema)
        _file_property(data_object, "schema", schema, "XSD", schema_checksum, schema_size)
    children = etree.SubElement(data_object, A + "dataObjects")
    for element_name in COUNTED[file_name]:
        counted = etree.SubElement(children, A + "dataObject", {"name": element_name})
        _property(counted, "numberOfOccurrences", counts.get(element_name, 0))
    return data_object


def _document_lines(file_list: Path) -> Iterator[tuple[str, str, int]]:
    with file_list.open(encoding="utf-8") as lines:
        for line in lines:
            path, checksum, size = line.rstrip("\n").split("\t")
            yield path, checksum, int(size)


def write_arkivuttrekk(
    *,
    out_dir: Path,
    municipality: Municipality,
    series_list: Sequence[Any],
    creators: list[Any],
    result: pkg.ExportResult,
    file_list: Path,
) -> None:
    counts: dict[str, dict[str, int]] = {
        pkg.ARKIVSTRUKTUR: dict(result.counts),
        pkg.ENDRINGSLOGG: {"endring": result.changes},
        pkg.LOEPENDE_JOURNAL: {"journalregistrering": result.journal_entries},
        pkg.OFFENTLIG_JOURNAL: {"journalregistrering": result.public_entries},
    }
    with etree.xmlfile(str(out_dir / pkg.ARKIVUTTREKK), encoding="utf-8") as xf:
        xf.write_declaration()
        with (
            xf.element(A + "addml", {"name": "Noark 5 arkivuttrekk"}, nsmap={None: pkg.NS_ADDML}),
            xf.element(A + "dataset"),
        ):
            xf.write(_reference(municipality, series_list, creators, result))
            with (
                xf.element(A + "dataObjects"),
                xf.element(A + "dataObject", {"name": "Noark 5 arkivuttrekk"}),
            ):
                xf.write(_package_properties(out_dir))
                with xf.element(A + "dataObjects"):
                    for file_name in STRUCTURE_FILES:
                        if (out_dir / file_name).exists():
                            xf.write(_structure_object(out_dir, file_name, counts[file_name]))
                    lines = _document_lines(file_list)
                    first = next(lines, None)
                    with xf.element(A + "dataObject", {"name": pkg.DOCUMENT_FOLDER}):
                        if first is not None:  # properties hold one property or more
                            with xf.element(A + "properties"):
                                for path, checksum, size in itertools.chain([first], lines):
                                    xf.write(_document_property(path, checksum, size))


def _package_properties(out_dir: Path) -> Any:
    """The package's type and version, and the ADDML schema with its checksum."""
    holder = _element("dataObject", "Noark 5 arkivuttrekk")
    info = _property(holder, "info")
    _property(info, "type", "Noark 5")
    _property(info, "version", pkg.NOARK_VERSION)
    checksum, size = pkg.sha256_file(out_dir / "addml.xsd")
    _file_property(holder, "schema", "addml.xsd", "XSD", checksum, size)
    properties = holder.find(A + "properties")
    detached = etree.Element(A + "properties", nsmap={None: pkg.NS_ADDML})
    detached.extend(list(properties))
    return detached


def _document_property(path: str, checksum: str, size: int) -> Any:
    prop = etree.Element(A + "property", {"name": "file"}, nsmap={None: pkg.NS_ADDML})
    _property(prop, "name", path)
    checksum_prop = _property(prop, "checksum")
    _property(checksum_prop, "algorithm", "SHA256")
    _property(checksum_prop, "value", checksum)
    _property(prop, "size", size)
    return prop


# ------------------------------------------------------------------ reading it back


@dataclass
class AddmlFile:
    name: str
    checksum: str
    algorithm: str
    size: int | None = None


@dataclass
class Arkivuttrekk:
    structure_files: dict[str, AddmlFile] = field(default_factory=dict)
    schemas: dict[str, AddmlFile] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    document_files: dict[str, AddmlFile] = field(default_factory=dict)
    number_of_document_files: int | None = None


def _props(element: Any) -> dict[str, Any]:
    """The direct properties of an element (or property) by name: their element."""
    properties = element.find(A + "properties")
    if properties is None:
        return {}
    return {prop.get("name"): prop for prop in properties.findall(A + "property")}


def _value(prop: Any) -> str:
    if prop is None:
        return ""
    return (prop.findtext(A + "value") or "").strip()


def _file_of(prop: Any) -> AddmlFile:
    """A file property, in either form ADDML 8.3 allows: ``name``/``checksum`` directly under the
    property (schema → name, as we write it), or under a nested ``file`` property (schema → file →
    name, as Arkivverket's template nests a schema)."""
    props = _props(prop)
    if "name" not in props and "file" in props:
        props = {**props, **_props(props["file"])}
    checksum = _props(props["checksum"]) if "checksum" in props else {}
    size = _value(props.get("size"))
    return AddmlFile(
        name=_value(props.get("name")),
        checksum=_value(checksum.get("value")).lower(),
        algorithm=_value(checksum.get("algorithm")),
        size=int(size) if is_ascii_digits(size) else None,
    )


def read_arkivuttrekk(path: Path) -> Arkivuttrekk:
    """What arkivuttrekk.xml says: files, checksums, counts (streamed over the document list)."""
    found = Arkivuttrekk()
    for _, element in etree.iterparse(
        str(path), events=("end",), tag=(A + "dataObject", A + "additionalElement", A + "property")
    ):
        if element.tag == A + "property":
            parent = element.getparent()
            holder = parent.getparent() if parent is not None else None
            if (
                element.get("name") == "file"
                and holder is not None
                and holder.tag == A + "dataObject"
                and holder.get("name") == pkg.DOCUMENT_FOLDER
            ):
                described = _file_of(element)
                found.document_files[described.name] = described
                parent.remove(element)  # a long list: kept as values, not as elements
            continue
        if element.tag == A + "additionalElement" and element.get("name") == "additionalInfo":
            count = _value(_props(element).get("antallDokumentfiler"))
            found.number_of_document_files = int(count) if is_ascii_digits(count) else None
            continue
        if element.tag != A + "dataObject":
            continue
        name = element.get("name")
        props = _props(element)
        if name == pkg.DOCUMENT_FOLDER:
            continue
        if "file" in props:
            described = _file_of(props["file"])
            found.structure_files[described.name] = described
            children = element.find(A + "dataObjects")
            found.counts[described.name] = {
                child.get("name"): int(_value(_props(child).get("numberOfOccurrences")) or 0)
                for child in (children if children is not None else [])
            }
        for schema_prop in (
            prop
            for prop in (element.find(A + "properties") if element.find(A + "properties") is not None else [])
            if prop.get("name") == "schema"
        ):
            described = _file_of(schema_prop)
            found.schemas[described.name] = described
    return found
