from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ekommune.core.models import Municipality
from ekommune.deposit.tests.factories import RichArchive, rich_archive


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def rich(municipality_a: Municipality) -> RichArchive:
    return rich_archive(municipality_a)
