"""The portal's public types: who a citizen-side service acts for, what it takes in and gives back.

Plain frozen dataclasses; other apps, the views and the benchmarks use these (``services`` and
``selectors`` re-export the ones their callers name there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ekommune.portal import engine
from ekommune.portal.models import Service


@dataclass(frozen=True)
class CitizenActor:
    """The logged-in citizen a citizen-side service acts for (from ``session_citizen``)."""

    citizen: Any  # identity.Citizen
    organisation_number: str = ""

    @property
    def label(self) -> str:
        return f"innbygger:{self.citizen.system_id}"


@dataclass(frozen=True)
class Upload:
    """A file the citizen attached, read into memory (its size is checked before it is read whole)."""

    input_name: str
    file_name: str
    content: bytes


@dataclass(frozen=True)
class FormVersionInfo:
    """What the form pages and the submit need of a form version: its number, its form's short
    name and the parsed definition."""

    pk: int
    number: int
    form_slug: str
    definition: engine.Definition


@dataclass(frozen=True)
class ServiceGroup:
    """Services of one life event (livshendelse) or topic (tema), for the catalogue."""

    key: str
    label: str
    services: list[Service]
