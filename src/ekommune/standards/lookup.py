"""The manifest of official files and where each one is found on this machine."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MANIFEST = Path(__file__).with_name("manifest.toml")
FETCH_COMMAND = "ekommune standards fetch"
SETTING = "EKOMMUNE_STANDARDS_DIR"
DATA_SETTING = "EKOMMUNE_DATA_DIR"


@dataclass(frozen=True)
class StandardFile:
    """One official file (standardfil): its key (path under a standards root), the publisher's URL,
    the version and the SHA-256 it must have, and the group it is fetched with."""

    key: str
    url: str
    version: str
    sha256: str
    group: str


class StandardMissingError(LookupError):
    """An official file the project needs is in none of the standards folders."""

    def __init__(self, key: str) -> None:
        self.key = key
        looked_in = ", ".join(str(root) for root in search_roots())
        super().__init__(
            f"The official standards file {key} is missing (looked in: {looked_in}). "
            f"Run `{FETCH_COMMAND}` to download it into {data_root()}."
        )


@cache
def _manifest() -> tuple[StandardFile, ...]:
    with MANIFEST.open("rb") as stream:
        data = tomllib.load(stream)
    files = tuple(
        StandardFile(
            key=entry["key"],
            url=entry["url"],
            version=entry["version"],
            sha256=entry["sha256"].lower(),
            group=entry["group"],
        )
        for entry in data.get("file", [])
    )
    keys = [file.key for file in files]
    if len(keys) != len(set(keys)):
        raise ValueError(f"{MANIFEST}: a key is listed twice")
    return files


def manifest() -> list[StandardFile]:
    """Every official file the project needs, in the manifest's order."""
    return list(_manifest())


def _entry(key: str) -> StandardFile:
    for file in _manifest():
        if file.key == key:
            return file
    raise KeyError(f"{key} is not in the standards manifest ({MANIFEST})")


def _setting(name: str) -> str:
    """A Django setting when Django is configured, else the environment variable of the same name."""
    from django.conf import settings

    if settings.configured and getattr(settings, name, None):
        return str(getattr(settings, name))
    return os.environ.get(name, "")


def _project_root() -> Path:
    from django.conf import settings

    if settings.configured and getattr(settings, "PROJECT_ROOT", None):
        return Path(settings.PROJECT_ROOT)
    return Path(__file__).resolve().parents[3]


def data_root() -> Path:
    """Where ``ekommune standards fetch`` writes: ``<EKOMMUNE_DATA_DIR or PROJECT_ROOT/var>/standards``."""
    data = _setting(DATA_SETTING)
    return (Path(data) if data else _project_root() / "var") / "standards"


def search_roots() -> list[Path]:
    """The standards folders, in the order a file is looked for: ``EKOMMUNE_STANDARDS_DIR`` (setting,
    else environment), the data folder, ``PROJECT_ROOT/../shared/standards``."""
    configured = _setting(SETTING)
    roots = [Path(configured)] if configured else []
    roots += [data_root(), (_project_root().parent / "shared" / "standards")]
    return roots


def standards_root_for(key: str) -> Path | None:
    """The first standards folder holding ``key`` (a key of the manifest), or None."""
    _entry(key)
    for root in search_roots():
        if (root / key).is_file():
            return root
    return None


def standard_path(key: str) -> Path:
    """The official file ``key`` (e.g. ``noark5/arkivstruktur.xsd``); ``StandardMissingError`` when
    it is in no standards folder."""
    root = standards_root_for(key)
    if root is None:
        raise StandardMissingError(key)
    return root / key


def missing(group: str | None = None) -> list[str]:
    """The keys (of ``group``, or of all groups) found in no standards folder."""
    return [
        file.key
        for file in _manifest()
        if (group is None or file.group == group) and standards_root_for(file.key) is None
    ]
