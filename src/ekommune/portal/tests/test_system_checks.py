"""The portal says at start-up when the machine lacks what receipts need."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekommune.pdfa import fonts
from ekommune.portal.checks import pdf_fonts_check


def test_no_warning_where_the_dejavu_fonts_are_installed() -> None:
    assert pdf_fonts_check() == []


def test_missing_fonts_give_a_warning_that_names_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "SYSTEM_FONT_DIRS", (tmp_path,))
    monkeypatch.delenv(fonts.FONT_DIR_ENV, raising=False)
    (warning,) = pdf_fonts_check()
    assert warning.id == "portal.W001"
    assert "fonts-dejavu-core" in str(warning.hint)
