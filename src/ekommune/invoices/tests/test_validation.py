"""Validation with the official rules: the shared valid examples pass, the generated EHF passes,
and one mutation per rule family fires exactly its rule (BR-CO calculation, PEPPOL, NO-R)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ekommune.core.models import Municipality
from ekommune.invoices import ehf, validation
from ekommune.invoices.tests.factories import MUTATIONS, broken, ehf_bytes
from ekommune.standards import manifest, standard_path

pytestmark = pytest.mark.needs_standards("peppol", "schxslt")
BUYER = Municipality(name="Fjordvik kommune", organisation_number="964338531")
EXAMPLES = [file.key for file in manifest() if file.key.startswith("peppol-bis-billing-3/examples/")]


@pytest.mark.parametrize("key", EXAMPLES)
def test_the_official_valid_examples_have_no_fatal_finding(key: str) -> None:
    report = validation.validate(Path(standard_path(key)).read_bytes())
    assert not report.fatal, report.errors


def test_a_generated_ehf_invoice_and_credit_note_break_no_rule() -> None:
    assert validation.validate(ehf_bytes(BUYER)).findings == ()
    assert validation.validate(ehf_bytes(BUYER, credit_note=True, billing_reference="F-1")).findings == ()


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_one_mutation_fires_its_rule_with_message_and_location(rule: str) -> None:
    report = validation.validate(broken(BUYER, rule))
    assert report.fatal
    assert [finding.rule_id for finding in report.errors] == [rule]
    finding = report.errors[0]
    assert finding.message
    assert finding.location.startswith("/")
    assert finding.source == ("peppol" if rule.startswith(("PEPPOL", "NO-R")) else "cen")


def test_a_warning_is_a_finding_but_not_fatal() -> None:
    content = ehf.mutate(
        ehf_bytes(BUYER), "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[2]/cbc:CompanyID", "Annet"
    )
    report = validation.validate(content)
    assert not report.fatal
    assert [(finding.rule_id, finding.flag) for finding in report.warnings] == [("NO-R-002", "warning")]


def test_an_element_ubl_forbids_in_en16931_fires_a_ubl_cr_rule() -> None:
    root = ehf.parse(ehf_bytes(BUYER))
    copy = etree.Element(f"{{{ehf.CBC}}}CopyIndicator")
    copy.text = "false"
    root.insert(3, copy)
    report = validation.validate(etree.tostring(root))
    assert [finding.rule_id for finding in report.findings if finding.rule_id.startswith("UBL-CR-")]


def test_without_the_ubl_xsd_the_report_says_so_and_structure_is_still_checked() -> None:
    """The UBL 2.1 XSD is not installed (decision 0241): not claimed as checked; a document that
    is no UBL Invoice or CreditNote, or not XML, or has a DOCTYPE, gets one fatal XML finding."""
    assert validation.validate(ehf_bytes(BUYER)).xsd_checked is False
    for content in (b"<Order/>", b"not xml", b'<!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>'):
        report = validation.validate(content)
        assert [finding.rule_id for finding in report.findings] == ["XML"]


def test_the_schematron_is_compiled_once_into_the_cache(settings, tmp_path, monkeypatch) -> None:
    settings.EKOMMUNE_DATA_DIR = str(tmp_path)
    first = [validation.compiled_path(key) for _, key in validation.RULE_SETS]
    assert all(path.parent == tmp_path / "invoices" / "xslt" for path in first)
    stamps = [path.stat().st_mtime_ns for path in first]
    monkeypatch.setattr(validation, "_engine", lambda: pytest.fail("compiled again"))
    assert [validation.compiled_path(key) for _, key in validation.RULE_SETS] == first
    assert [path.stat().st_mtime_ns for path in first] == stamps


def test_staff_see_a_norwegian_text_for_every_rule() -> None:
    assert validation.norwegian_text("BR-CO-15").startswith("Sum inklusive")
    assert validation.norwegian_text("BR-CO-99") == "Beregningsregel i EN 16931 er brutt."
    assert validation.norwegian_text("NO-R-099") == "Norsk regel for EHF er brutt."
    assert validation.norwegian_text("UBL-CR-001").startswith("Elementet")
    assert validation.norwegian_text("ZZ-1") == "Regelen er brutt."
