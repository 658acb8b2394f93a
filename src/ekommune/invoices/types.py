"""The invoices app's plain data: what callers hand to its services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CodingLineInput:
    """One coding line (kontering) for ``invoice_code``."""

    account: str
    cost_centre_code: str
    vat_code: str
    amount: Decimal
    project: str = ""
