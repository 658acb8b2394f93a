"""Politics rule violations, each with a stable code (tests and API clients match on it)."""

from __future__ import annotations

from ekommune.core.errors import ConflictError


class MeetingRuleError(ConflictError):
    """The meeting's state does not allow the change (HTTP 409)."""

    code = "meeting_rule"
