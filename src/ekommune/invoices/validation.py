"""Validation of EHF Billing 3.0 with the official rules: the UBL 2.1 XSD where it is installed,
CEN's EN 16931 Schematron (BR-*, BR-CO-*, UBL-CR-*) and OpenPEPPOL's (PEPPOL-EN16931-*,
PEPPOL-COMMON-*, NO-R-*).

The Schematron files and SchXslt's XSLT 2.0 pipeline are official files of the standards manifest
(groups ``peppol`` and ``schxslt``, decision 0240). Each ``.sch`` is compiled to XSLT once with
SaxonC-HE and the result kept in the data folder under the SHA-256 of its sources, so a process
compiles nothing when the cache is there; each process then loads the two XSLTs once. An invoice
is parsed once by lxml (well-formedness, no DTD) and once by Saxon, transformed to SVRL by each
rule set, and every ``svrl:failed-assert`` (and ``successful-report``) becomes a ``Finding``.

The UBL 2.1 XSD is not in the manifest (no copy of it on the development machines): the report
says ``xsd_checked=False`` and the Schematron, with its UBL-CR rules, still runs (decision 0241).
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from ekommune.invoices import ehf
from ekommune.standards import manifest, standard_path
from ekommune.standards.lookup import data_root

FATAL = "fatal"
WARNING = "warning"
PIPELINE = "schxslt-2.0/pipeline-for-svrl.xsl"
RULE_SETS = (
    ("cen", "peppol-bis-billing-3/sch/CEN-EN16931-UBL.sch"),
    ("peppol", "peppol-bis-billing-3/sch/PEPPOL-EN16931-UBL.sch"),
)
# The UBL 2.1 schemas, by root: used when the manifest lists them and they are installed.
UBL_XSD = {
    "Invoice": "ubl-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd",
    "CreditNote": "ubl-2.1/xsd/maindoc/UBL-CreditNote-2.1.xsd",
}
SVRL = "http://purl.oclc.org/dsdl/svrl"


@dataclass(frozen=True)
class Finding:
    """One broken rule: its id (BR-CO-15, PEPPOL-EN16931-R003, NO-R-001 ...), fatal or warning,
    the rule's own message, the XPath location, and the rule set it came from."""

    rule_id: str
    flag: str
    message: str
    location: str
    source: str  # xml, xsd, cen, peppol

    @property
    def fatal(self) -> bool:
        return self.flag == FATAL


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    xsd_checked: bool

    @property
    def fatal(self) -> bool:
        return any(finding.fatal for finding in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.fatal]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.fatal]


def cache_folder() -> Path:
    """``<data folder>/invoices/xslt``: the compiled Schematron, one file per source checksum."""
    return data_root().parent / "invoices" / "xslt"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pipeline_identity() -> str:
    """The SchXslt files as the manifest pins them: a change of pipeline is a change of key."""
    return "".join(sorted(file.sha256 for file in manifest() if file.group == "schxslt"))


def compiled_path(key: str) -> Path:
    """The compiled XSLT of the Schematron ``key``, compiled now only when the cache has none."""
    source = standard_path(key)
    digest = hashlib.sha256((_sha256(source) + _pipeline_identity()).encode()).hexdigest()
    target = cache_folder() / f"{Path(key).stem}-{digest[:32]}.xsl"
    if not target.is_file():
        engine = _engine()
        pipeline = engine.compiler.compile_stylesheet(stylesheet_file=str(standard_path(PIPELINE)))
        xslt = pipeline.transform_to_string(source_file=str(source))
        if not xslt or "XSL/Transform" not in xslt:
            raise RuntimeError(f"SchXslt produced no stylesheet from {source}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_text(xslt, encoding="utf-8")
        partial.replace(target)
    return target


class _Engine:
    """One SaxonC processor per process; transforms are serialised (SaxonC's Python objects are
    not documented as thread-safe)."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor  # type: ignore[import-not-found]  # no stubs

        self.processor = PySaxonProcessor(license=False)
        self.compiler = self.processor.new_xslt30_processor()
        self.lock = threading.Lock()
        self.executables: dict[str, Any] = {}

    def executable(self, key: str) -> Any:
        if key not in self.executables:
            self.executables[key] = self.compiler.compile_stylesheet(stylesheet_file=str(compiled_path(key)))
        return self.executables[key]


@cache
def _engine() -> _Engine:
    return _Engine()


def prepare() -> None:
    """Compile (or load) both rule sets now: the first invoice then waits for nothing."""
    engine = _engine()
    with engine.lock:
        for _, key in RULE_SETS:
            engine.executable(key)


@cache
def _schema(key: str) -> etree.XMLSchema | None:
    if key not in {file.key for file in manifest()}:
        return None
    return etree.XMLSchema(etree.parse(str(standard_path(key))))


def _xsd_findings(root: etree._Element) -> tuple[list[Finding], bool]:
    schema = _schema(UBL_XSD.get(etree.QName(root).localname, ""))
    if schema is None:
        return [], False
    schema.validate(root)
    return [
        Finding("XSD", FATAL, error.message, f"line {error.line}", "xsd") for error in schema.error_log
    ], True


def _svrl_findings(svrl: str, source: str) -> list[Finding]:
    tree = etree.fromstring(svrl.encode("utf-8"), parser=etree.XMLParser(huge_tree=True))
    findings = []
    for element in tree.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        text = element.find(f"{{{SVRL}}}text")
        message = " ".join((text.xpath("string()") if text is not None else "").split())
        flag = element.get("flag") or FATAL
        findings.append(
            Finding(
                rule_id=element.get("id") or "",
                flag=WARNING if flag == WARNING else FATAL,
                message=message,
                location=element.get("location") or "",
                source=source,
            )
        )
    return findings


def validate_root(root: etree._Element, content: bytes) -> Report:
    """Validate a document already parsed (``ehf.parse``) against the XSD and both rule sets."""
    findings, xsd_checked = _xsd_findings(root)
    engine = _engine()
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return Report(
            (*findings, Finding("XML", FATAL, "Dokumentet er ikke UTF-8.", "/", "xml")), xsd_checked
        )
    with engine.lock:
        node = engine.processor.parse_xml(xml_text=text)
        for source, key in RULE_SETS:
            findings += _svrl_findings(engine.executable(key).transform_to_string(xdm_node=node), source)
    return Report(tuple(findings), xsd_checked)


def validate(content: bytes) -> Report:
    """Every finding for ``content``; a document that is not well-formed XML, has a DOCTYPE or is
    no UBL Invoice/CreditNote gets one fatal finding and no rule set is run."""
    try:
        root = ehf.parse(content)
        ehf.facts(root)
    except ehf.NotAnInvoiceError as error:
        return Report((Finding("XML", FATAL, str(error), "/", "xml"),), False)
    return validate_root(root, content)


# ------------------------------------------------------------------ Norwegian for staff

# The rule's own message is English (CEN's and most of OpenPEPPOL's); staff see a Norwegian
# explanation beside it: one for a rule where the platform has it, else one for its family. The
# rule id is always shown.
RULE_TEXTS_NB = {
    "BR-CO-10": "Summen av linjebeløpene stemmer ikke med fakturaens sum linjebeløp.",
    "BR-CO-13": "Sum eksklusive mva stemmer ikke med linjesum, rabatter og gebyrer.",
    "BR-CO-15": "Sum inklusive mva er ikke sum eksklusive mva pluss mva-beløpet.",
    "BR-CO-16": "Beløpet til betaling er ikke sum inklusive mva minus forskudd pluss avrunding.",
    "BR-CO-17": "Mva-beløpet for kategorien er ikke grunnlaget ganget med satsen.",
    "PEPPOL-EN16931-R003": "Fakturaen mangler kjøpers referanse (BuyerReference) eller ordrereferanse.",
    "PEPPOL-EN16931-R001": "Fakturaen mangler profil (ProfileID).",
    "NO-R-001": "Norsk leverandørs mva-nummer må være NO, et gyldig organisasjonsnummer og MVA.",
    "NO-R-002": "Norsk leverandør skal som regel oppgi «Foretaksregisteret» på fakturaen.",
    "XML": "Dokumentet kunne ikke leses som en EHF-faktura.",
    "XSD": "Dokumentet følger ikke UBL 2.1-skjemaet.",
}
FAMILY_TEXTS_NB = (
    ("BR-CO-", "Beregningsregel i EN 16931 er brutt."),
    ("BR-", "Forretningsregel i EN 16931 er brutt."),
    ("UBL-CR-", "Elementet skal ikke brukes i en EN 16931-faktura (UBL-CR)."),
    ("UBL-", "UBL-regel i EN 16931 er brutt."),
    ("PEPPOL-COMMON-", "Felles PEPPOL-regel (identifikatorer og formater) er brutt."),
    ("PEPPOL-", "PEPPOL BIS Billing 3.0-regel er brutt."),
    ("NO-R-", "Norsk regel for EHF er brutt."),
)


def norwegian_text(rule_id: str) -> str:
    """The Norwegian explanation staff see beside the rule id and the rule's own message."""
    if rule_id in RULE_TEXTS_NB:
        return RULE_TEXTS_NB[rule_id]
    for prefix, text in FAMILY_TEXTS_NB:
        if rule_id.startswith(prefix):
            return text
    return "Regelen er brutt."
