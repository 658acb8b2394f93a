"""Where an official file is found, the manifest's shape, and what a missing file says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ekommune.standards import (
    StandardFile,
    StandardMissingError,
    manifest,
    missing,
    standard_path,
    standards_root_for,
)
from ekommune.standards.fetch import sha256_of

KEY = "noark5/arkivstruktur.xsd"


def put(root: Path, key: str = KEY) -> Path:
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<schema/>")
    return path


def test_the_manifest_names_each_file_once_with_a_url_a_version_and_a_checksum() -> None:
    files = manifest()
    assert all(isinstance(file, StandardFile) for file in files)
    assert len({file.key for file in files}) == len(files)
    for file in files:
        assert re.fullmatch(r"[0-9a-f]{64}", file.sha256), file.key
        assert file.url.startswith("https://")
        assert file.url.endswith(file.key.rsplit("/", 1)[-1])
        assert file.version
        assert file.group
    with pytest.raises(AttributeError):
        files[0].key = "x"  # type: ignore[misc]


def test_a_missing_file_names_itself_and_the_command_that_fetches_it(standards_absent: Path) -> None:
    assert missing("noark5") == [file.key for file in manifest() if file.group == "noark5"]
    assert standards_root_for(KEY) is None
    with pytest.raises(StandardMissingError) as error:
        standard_path(KEY)
    assert error.value.key == KEY
    assert KEY in str(error.value)
    assert "ekommune standards fetch" in str(error.value)
    assert str(standards_absent) in str(error.value)


def test_a_key_outside_the_manifest_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        standard_path("noark5/ukjent.xsd")


def test_the_configured_folder_comes_first_then_the_data_folder_then_shared(
    standards_absent: Path, settings: Any, tmp_path: Path
) -> None:
    shared = settings.PROJECT_ROOT.parent / "shared" / "standards"
    put(shared)
    assert standard_path(KEY) == shared / KEY
    put(standards_absent)
    assert standard_path(KEY) == standards_absent / KEY
    assert standards_root_for(KEY) == standards_absent
    configured = tmp_path / "configured"
    settings.EKOMMUNE_STANDARDS_DIR = str(configured)
    assert standard_path(KEY) == standards_absent / KEY  # the configured folder does not hold it
    put(configured)
    assert standard_path(KEY) == configured / KEY
    assert KEY not in missing("noark5")


def test_the_environment_names_the_folders_when_the_settings_do_not(
    standards_absent: Path, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    del settings.EKOMMUNE_STANDARDS_DIR
    del settings.EKOMMUNE_DATA_DIR
    monkeypatch.setenv("EKOMMUNE_DATA_DIR", str(tmp_path / "env-data"))
    put(tmp_path / "env-data" / "standards")
    assert standards_root_for(KEY) == tmp_path / "env-data" / "standards"
    monkeypatch.setenv("EKOMMUNE_STANDARDS_DIR", str(tmp_path / "env-standards"))
    put(tmp_path / "env-standards")
    assert standards_root_for(KEY) == tmp_path / "env-standards"


@pytest.mark.needs_standards
def test_the_files_found_here_are_the_ones_the_manifest_names() -> None:
    for file in manifest():
        assert sha256_of(standard_path(file.key)) == file.sha256, file.key
