"""Levels of assurance (sikkerhetsnivå) as ID-porten names them in ``acr`` / ``acr_values``.

Ordered: a session at ``high`` satisfies a service that asks for ``substantial``, not the reverse.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    SUBSTANTIAL = "idporten-loa-substantial"  # nivå 3 (MinID, BankID on the web)
    HIGH = "idporten-loa-high"  # nivå 4 (BankID, Buypass, Commfides)


_ORDER = {Level.SUBSTANTIAL: 1, Level.HIGH: 2}


def level_satisfies(held: str, required: str) -> bool:
    """Whether a session at level ``held`` may use a service that requires ``required``."""
    try:
        return _ORDER[Level(held)] >= _ORDER[Level(required)]
    except ValueError:
        return False
