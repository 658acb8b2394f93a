"""Every write of the public journal, keyword-only, typed, one transaction each.

By concept: ``publication`` (the publication policy and the publication table),
``access_requests`` (innsynskrav: the settings and the request) and ``access_answers`` (the
answer). Callers import ``ekommune.publicjournal.services``.
"""

from __future__ import annotations

from ekommune.publicjournal.services.access_answers import access_request_decide
from ekommune.publicjournal.services.access_requests import access_request_settings_set, access_request_submit
from ekommune.publicjournal.services.publication import publication_policy_set, publication_refresh
from ekommune.publicjournal.types import RefreshResult

__all__ = [
    "RefreshResult",
    "access_request_decide",
    "access_request_settings_set",
    "access_request_submit",
    "publication_policy_set",
    "publication_refresh",
]
