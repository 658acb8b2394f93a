"""Archive rule violations, each with a stable code (tests and API clients match on it)."""

from __future__ import annotations

from ekommune.core.errors import ConflictError


class ArchiveRuleError(ConflictError):
    """A Noark 5 life-cycle rule refused the change (HTTP 409)."""

    code = "archive_rule"
