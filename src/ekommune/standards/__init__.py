"""The official standards files (XSDs, Schematron ...) the project reads: a manifest and a lookup.

Official artefacts are never copied into the code base. ``manifest.toml`` beside this module
lists each file the project needs (key, publisher URL, version, SHA-256, group);
``ekommune standards fetch`` downloads them into the data folder, checked. A file is looked for,
in this order, in ``EKOMMUNE_STANDARDS_DIR`` (setting, else environment variable), in the data
folder (``<EKOMMUNE_DATA_DIR or PROJECT_ROOT/var>/standards``) and in
``PROJECT_ROOT/../shared/standards``. Decision 0130.

A library like ``ekommune.pdfa``: it knows no app of the platform (an import contract says so).

    standard_path("noark5/arkivstruktur.xsd")   # Path, or StandardMissingError naming the fix
    standards_root_for("noark5/arkivstruktur.xsd")   # the folder it was found in, or None
    manifest()                                  # [StandardFile(key, url, version, sha256, group)]
    missing("noark5")                           # keys found nowhere
"""

from ekommune.standards.lookup import (
    StandardFile,
    StandardMissingError,
    manifest,
    missing,
    standard_path,
    standards_root_for,
)

__all__ = [
    "StandardFile",
    "StandardMissingError",
    "manifest",
    "missing",
    "standard_path",
    "standards_root_for",
]
