"""``ekommune standards fetch``: from the publisher or a mirror (a local HTTP server process), each
file checked by its SHA-256 before it takes its place; a wrong file is refused and leaves nothing."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ekommune.standards import StandardFile, lookup, manifest, standard_path
from ekommune.standards.fetch import fetch

CONTENT = {"test/a.xsd": b"<schema a='1'/>", "test/sub/b.xsd": b"<schema b='2'/>"}


def standard_file(key: str, url: str) -> StandardFile:
    return StandardFile(
        key=key, url=url, version="1", sha256=hashlib.sha256(CONTENT[key]).hexdigest(), group="test"
    )


@pytest.fixture
def test_manifest(monkeypatch: pytest.MonkeyPatch, served: tuple[str, Path]) -> list[StandardFile]:
    """Two made-up files whose publisher is the local server (under publisher/)."""
    base, _folder = served
    files = [standard_file(key, f"{base}/publisher/v1/{key.rsplit('/', 1)[-1]}") for key in CONTENT]
    monkeypatch.setattr(lookup, "_manifest", lambda: tuple(files))
    return files


def publish(folder: Path, relative: str, content: bytes) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def mirror(folder: Path, prefix: str) -> None:
    """Every file of CONTENT under ``folder/prefix/<key>``, as a mirror lays them out."""
    for key, content in CONTENT.items():
        publish(folder, f"{prefix}{key}", content)


def leftovers(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_files_are_fetched_from_the_publisher_and_then_found(
    test_manifest: list[StandardFile], served: tuple[str, Path], standards_absent: Path
) -> None:
    _base, folder = served
    for key, content in CONTENT.items():
        publish(folder, f"publisher/v1/{key.rsplit('/', 1)[-1]}", content)
    report = fetch(target=standards_absent)
    assert report.ok
    assert report.fetched == list(CONTENT)
    assert standard_path("test/sub/b.xsd").read_bytes() == CONTENT["test/sub/b.xsd"]
    again = fetch(target=standards_absent)
    assert again.present == list(CONTENT)
    assert not again.fetched


def test_a_mirror_replaces_the_publisher(
    test_manifest: list[StandardFile], served: tuple[str, Path], tmp_path: Path
) -> None:
    base, folder = served
    mirror(folder, "speil/")
    report = fetch(target=tmp_path / "out", mirror=f"{base}/speil/")
    assert report.ok, report.failed
    assert leftovers(tmp_path / "out") == ["test/a.xsd", "test/sub/b.xsd"]


def test_a_wrong_checksum_is_refused_and_nothing_is_left_half_written(
    test_manifest: list[StandardFile], served: tuple[str, Path], tmp_path: Path
) -> None:
    base, folder = served
    publish(folder, "speil/test/a.xsd", CONTENT["test/a.xsd"] + b"<!-- endret -->")
    publish(folder, "speil/test/sub/b.xsd", CONTENT["test/sub/b.xsd"])
    target = tmp_path / "out"
    report = fetch(target=target, mirror=f"{base}/speil")
    assert not report.ok
    assert "checksum" in report.failed["test/a.xsd"]
    assert "refused" in report.failed["test/a.xsd"]
    assert leftovers(target) == ["test/sub/b.xsd"]  # the good one only; no temporary file


def test_a_file_the_server_does_not_have_is_reported(
    test_manifest: list[StandardFile], served: tuple[str, Path], tmp_path: Path
) -> None:
    base, _folder = served
    report = fetch(target=tmp_path / "out", mirror=base)
    assert set(report.failed) == set(CONTENT)
    assert "404" in report.failed["test/a.xsd"]
    assert leftovers(tmp_path / "out") == []


def test_the_command_fetches_one_group_and_says_what_it_did(
    test_manifest: list[StandardFile], served: tuple[str, Path], tmp_path: Path
) -> None:
    base, folder = served
    mirror(folder, "")
    out = io.StringIO()
    call_command(
        "standards", "fetch", "--group", "test", "--mirror", base, "--dir", str(tmp_path), stdout=out
    )
    assert "test/a.xsd: fetched" in out.getvalue()
    assert "2 fetched, 0 already there" in out.getvalue()
    with pytest.raises(CommandError, match="no group"):
        call_command(
            "standards", "fetch", "--group", "no-such-group", "--dir", str(tmp_path), stdout=io.StringIO()
        )


def test_the_command_refuses_a_wrong_file_with_exit_code_1(served: tuple[str, Path], tmp_path: Path) -> None:
    """The real manifest, a mirror that serves something else: refused, exit code 1, nothing written."""
    base, folder = served
    for file in manifest():
        if file.group == "dias":
            publish(folder, file.key, b"<!-- not the official schema -->")
    target = tmp_path / "standards"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EKOMMUNE_STANDARDS")}
    result = subprocess.run(
        [sys.executable, "-m", "ekommune", "standards", "fetch", "--group", "dias", "--mirror", base],
        env={
            **environment,
            "EKOMMUNE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "ekommune.conf.test",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "noark5/mets/DIAS_METS.xsd: REFUSED" in result.stdout
    assert "the manifest says" in result.stdout
    assert "3 file(s) refused" in result.stderr
    assert not target.exists() or leftovers(target) == []


def test_status_lists_each_file_and_where_it_is(
    test_manifest: list[StandardFile], standards_absent: Path
) -> None:
    publish(standards_absent, "test/a.xsd", CONTENT["test/a.xsd"])
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 file\(s\) missing: run `ekommune standards fetch`"):
        call_command("standards", "status", stdout=out)
    assert f"test/a.xsd (test 1): {standards_absent / 'test/a.xsd'}" in out.getvalue()
    assert "test/sub/b.xsd (test 1): MISSING" in out.getvalue()
    publish(standards_absent, "test/sub/b.xsd", b"changed")
    out = io.StringIO()
    call_command("standards", "status", stdout=out)
    assert "CHECKSUM DIFFERS" in out.getvalue()
