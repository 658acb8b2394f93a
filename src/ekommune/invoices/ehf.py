"""EHF Billing 3.0 (PEPPOL BIS Billing 3.0, UBL 2.1) documents: what the platform reads from one,
and a builder of valid ones (for the stand-in access point, the demo, the tests and the bench).

Reading uses lxml with no DTD, no entities and no network; a document with a DOCTYPE is refused
before anything else reads it. Amounts are ``Decimal``.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lxml import etree

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}
ORGANISATION_SCHEME = "0192"  # Norwegian organisation number (Enhetsregisteret) in PEPPOL
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CENT = Decimal("0.01")


class NotAnInvoiceError(ValueError):
    """The bytes are not a well-formed UBL Invoice or CreditNote the platform will read."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False
    )


def parse(content: bytes) -> etree._Element:
    """The root element of a well-formed document without DOCTYPE; ``NotAnInvoiceError`` otherwise."""
    try:
        tree = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise NotAnInvoiceError(f"Dokumentet er ikke gyldig XML: {error}") from error
    if tree.getroottree().docinfo.doctype:
        raise NotAnInvoiceError("Dokumentet har en DOCTYPE-deklarasjon, som ikke er tillatt i EHF.")
    return tree


@dataclass(frozen=True)
class Attachment:
    """An attachment embedded in the invoice (cac:AdditionalDocumentReference/cac:Attachment)."""

    file_name: str
    mime_code: str
    content: bytes


@dataclass(frozen=True)
class InvoiceFacts:
    """What the platform reads from an EHF document (the rules themselves are the Schematron's)."""

    document_type: str  # "invoice" or "credit_note"
    number: str
    issue_date: dt.date | None
    due_date: dt.date | None
    currency: str
    buyer_endpoint_scheme: str
    buyer_endpoint: str
    supplier_organisation_number: str
    supplier_name: str
    buyer_reference: str
    order_reference: str
    billing_reference: str  # the invoice a credit note corrects
    tax_exclusive_amount: Decimal | None
    payable_amount: Decimal | None
    line_count: int
    attachments: tuple[Attachment, ...] = field(default=())


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _amount(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except ArithmeticError:
        return None


def _organisation_number(party: etree._Element | None) -> str:
    """The supplier's organisation number: the 0192 endpoint, else the legal entity's CompanyID
    (nine digits, an ``NO…MVA`` VAT number stripped)."""
    if party is None:
        return ""
    endpoint = party.find("cbc:EndpointID", NS)
    if endpoint is not None and endpoint.get("schemeID") == ORGANISATION_SCHEME:
        return (endpoint.text or "").strip()
    legal = _text(party, "cac:PartyLegalEntity/cbc:CompanyID")
    if legal:
        return legal.removeprefix("NO").removesuffix("MVA")
    return ""


def facts(root: etree._Element) -> InvoiceFacts:
    """The facts of a parsed Invoice or CreditNote; ``NotAnInvoiceError`` for any other root."""
    namespace = etree.QName(root).namespace
    if namespace == INVOICE_NS and etree.QName(root).localname == "Invoice":
        kind, line_tag, due = "invoice", "cac:InvoiceLine", _text(root, "cbc:DueDate")
    elif namespace == CREDIT_NOTE_NS and etree.QName(root).localname == "CreditNote":
        kind, line_tag = "credit_note", "cac:CreditNoteLine"
        due = _text(root, "cac:PaymentMeans/cbc:PaymentDueDate")
    else:
        raise NotAnInvoiceError(
            f"Dokumentet er ikke en UBL 2.1 Invoice eller CreditNote (rotelement {root.tag})."
        )
    supplier = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    buyer_endpoint = root.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS)
    attachments = []
    for reference in root.iterfind("cac:AdditionalDocumentReference", NS):
        binary = reference.find("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
        if binary is None or not binary.text:
            continue
        try:
            content = base64.b64decode(binary.text, validate=False)
        except ValueError:
            continue
        name = binary.get("filename") or f"{_text(reference, 'cbc:ID') or 'vedlegg'}"
        attachments.append(Attachment(file_name=name, mime_code=binary.get("mimeCode", ""), content=content))
    supplier_name = ""
    if supplier is not None:
        supplier_name = _text(supplier, "cac:PartyName/cbc:Name") or _text(
            supplier, "cac:PartyLegalEntity/cbc:RegistrationName"
        )
    return InvoiceFacts(
        document_type=kind,
        number=_text(root, "cbc:ID"),
        issue_date=_date(_text(root, "cbc:IssueDate")),
        due_date=_date(due),
        currency=_text(root, "cbc:DocumentCurrencyCode"),
        buyer_endpoint_scheme=buyer_endpoint.get("schemeID", "") if buyer_endpoint is not None else "",
        buyer_endpoint=(buyer_endpoint.text or "").strip() if buyer_endpoint is not None else "",
        supplier_organisation_number=_organisation_number(supplier),
        supplier_name=supplier_name,
        buyer_reference=_text(root, "cbc:BuyerReference"),
        order_reference=_text(root, "cac:OrderReference/cbc:ID"),
        billing_reference=_text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        tax_exclusive_amount=_amount(_text(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")),
        payable_amount=_amount(_text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")),
        line_count=sum(1 for _ in root.iterfind(line_tag, NS)),
        attachments=tuple(attachments),
    )


# ------------------------------------------------------------------ building valid EHF


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class EhfDocument:
    """The parameters of an EHF invoice or credit note from a Norwegian VAT-registered supplier,
    all lines at 25 % VAT (category S)."""

    number: str
    supplier_organisation_number: str
    supplier_name: str
    buyer_organisation_number: str
    buyer_name: str
    lines: Sequence[Line]
    issue_date: dt.date = dt.date(2026, 11, 2)
    due_date: dt.date = dt.date(2026, 12, 2)
    buyer_reference: str = ""
    order_reference: str = ""
    credit_note: bool = False
    billing_reference: str = ""  # for a credit note: the invoice it corrects
    attachment: Attachment | None = None
    vat_rate: Decimal = Decimal("25")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _money(parent: etree._Element, tag: str, value: Decimal) -> None:
    _sub(parent, tag, f"{value:.2f}", currencyID="NOK")


def _party(parent: etree._Element, *, organisation_number: str, name: str, supplier: bool) -> None:
    party = _sub(
        _sub(parent, "cac:AccountingSupplierParty" if supplier else "cac:AccountingCustomerParty"),
        "cac:Party",
    )
    _sub(party, "cbc:EndpointID", organisation_number, schemeID=ORGANISATION_SCHEME)
    _sub(_sub(party, "cac:PartyName"), "cbc:Name", name)
    address = _sub(party, "cac:PostalAddress")
    _sub(address, "cbc:StreetName", "Storgata 1")
    _sub(address, "cbc:CityName", "Fjordvik")
    _sub(address, "cbc:PostalZone", "6800")
    _sub(_sub(address, "cac:Country"), "cbc:IdentificationCode", "NO")
    if supplier:
        vat = _sub(party, "cac:PartyTaxScheme")
        _sub(vat, "cbc:CompanyID", f"NO{organisation_number}MVA")
        _sub(_sub(vat, "cac:TaxScheme"), "cbc:ID", "VAT")
        register = _sub(party, "cac:PartyTaxScheme")
        _sub(register, "cbc:CompanyID", "Foretaksregisteret")
        _sub(_sub(register, "cac:TaxScheme"), "cbc:ID", "TAX")
    legal = _sub(party, "cac:PartyLegalEntity")
    _sub(legal, "cbc:RegistrationName", name)
    _sub(legal, "cbc:CompanyID", organisation_number, schemeID=ORGANISATION_SCHEME)


def build(document: EhfDocument) -> bytes:
    """A valid EHF Billing 3.0 invoice (or credit note) as UTF-8 bytes."""
    root_ns, root_name = (CREDIT_NOTE_NS, "CreditNote") if document.credit_note else (INVOICE_NS, "Invoice")
    root = etree.Element(f"{{{root_ns}}}{root_name}", nsmap={None: root_ns, "cac": CAC, "cbc": CBC})
    _sub(root, "cbc:CustomizationID", CUSTOMIZATION)
    _sub(root, "cbc:ProfileID", PROFILE)
    _sub(root, "cbc:ID", document.number)
    _sub(root, "cbc:IssueDate", document.issue_date.isoformat())
    if not document.credit_note:
        _sub(root, "cbc:DueDate", document.due_date.isoformat())
    _sub(
        root,
        "cbc:CreditNoteTypeCode" if document.credit_note else "cbc:InvoiceTypeCode",
        "381" if document.credit_note else "380",
    )
    _sub(root, "cbc:DocumentCurrencyCode", "NOK")
    if document.buyer_reference:
        _sub(root, "cbc:BuyerReference", document.buyer_reference)
    if document.order_reference:
        _sub(_sub(root, "cac:OrderReference"), "cbc:ID", document.order_reference)
    if document.billing_reference:
        _sub(
            _sub(_sub(root, "cac:BillingReference"), "cac:InvoiceDocumentReference"),
            "cbc:ID",
            document.billing_reference,
        )
    if document.attachment is not None:
        reference = _sub(root, "cac:AdditionalDocumentReference")
        _sub(reference, "cbc:ID", "1")
        _sub(
            _sub(reference, "cac:Attachment"),
            "cbc:EmbeddedDocumentBinaryObject",
            base64.b64encode(document.attachment.content).decode(),
            mimeCode=document.attachment.mime_code,
            filename=document.attachment.file_name,
        )
    _party(
        root,
        organisation_number=document.supplier_organisation_number,
        name=document.supplier_name,
        supplier=True,
    )
    _party(
        root, organisation_number=document.buyer_organisation_number, name=document.buyer_name, supplier=False
    )
    means = _sub(root, "cac:PaymentMeans")
    _sub(means, "cbc:PaymentMeansCode", "30")
    if document.credit_note:
        _sub(means, "cbc:PaymentDueDate", document.due_date.isoformat())
    _sub(means, "cbc:PaymentID", document.number)
    _sub(_sub(means, "cac:PayeeFinancialAccount"), "cbc:ID", "15030012345")
    net = sum((line.amount for line in document.lines), Decimal("0.00"))
    vat = (net * document.vat_rate / 100).quantize(CENT, ROUND_HALF_UP)
    total = _sub(root, "cac:TaxTotal")
    _money(total, "cbc:TaxAmount", vat)
    subtotal = _sub(total, "cac:TaxSubtotal")
    _money(subtotal, "cbc:TaxableAmount", net)
    _money(subtotal, "cbc:TaxAmount", vat)
    _category(subtotal, "cac:TaxCategory", document.vat_rate)
    monetary = _sub(root, "cac:LegalMonetaryTotal")
    _money(monetary, "cbc:LineExtensionAmount", net)
    _money(monetary, "cbc:TaxExclusiveAmount", net)
    _money(monetary, "cbc:TaxInclusiveAmount", net + vat)
    _money(monetary, "cbc:PayableAmount", net + vat)
    line_tag = "cac:CreditNoteLine" if document.credit_note else "cac:InvoiceLine"
    quantity_tag = "cbc:CreditedQuantity" if document.credit_note else "cbc:InvoicedQuantity"
    for index, line in enumerate(document.lines, start=1):
        element = _sub(root, line_tag)
        _sub(element, "cbc:ID", str(index))
        _sub(element, quantity_tag, f"{line.quantity}", unitCode="EA")
        _money(element, "cbc:LineExtensionAmount", line.amount)
        item = _sub(element, "cac:Item")
        _sub(item, "cbc:Name", line.description)
        _category(item, "cac:ClassifiedTaxCategory", document.vat_rate)
        _money(_sub(element, "cac:Price"), "cbc:PriceAmount", line.unit_price)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _category(parent: etree._Element, tag: str, rate: Decimal) -> None:
    category = _sub(parent, tag)
    _sub(category, "cbc:ID", "S")
    _sub(category, "cbc:Percent", f"{rate}")
    _sub(_sub(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def lines_of(count: int, *, unit_price: Decimal = Decimal("125.50")) -> list[Line]:
    """``count`` simple lines (the bench's 20-line and 5,000-line invoices, the demo's)."""
    return [Line(f"Vare {index}", Decimal(1 + index % 3), unit_price) for index in range(1, count + 1)]


def mutate(content: bytes, path: str, value: str | None, **attributes: Any) -> bytes:
    """The document with the first element at ``path`` (relative to the root, with cac:/cbc:
    prefixes) given a new text, or removed when ``value`` is None: one rule broken, for tests."""
    root = parse(content)
    element = root.find(path, NS)
    if element is None:
        raise KeyError(path)
    if value is None:
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)
    else:
        element.text = value
        for name, attribute in attributes.items():
            element.set(name, attribute)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
