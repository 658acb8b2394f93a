"""``ekommune invoices validate FILE`` prints the findings and exits non-zero on fatal ones;
``receive-folder`` is the watched folder: every file goes through reception and is kept."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ekommune.core.models import Municipality
from ekommune.invoices.models import Invoice
from ekommune.invoices.tests.factories import broken, ehf_bytes

pytestmark = pytest.mark.needs_standards("peppol", "schxslt")
BUYER = Municipality(name="Fjordvik kommune", organisation_number="964338531")


def test_validate_prints_the_rule_and_exits_non_zero_on_a_fatal_error(tmp_path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(broken(BUYER, "NO-R-001"))
    done = subprocess.run(
        [sys.executable, "-m", "ekommune", "invoices", "validate", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "FATAL    NO-R-001" in done.stdout
    assert "1 fatal, 0 warnings (UBL 2.1 XSD not installed: not checked)" in done.stderr


def test_validate_a_valid_file_and_a_missing_one(tmp_path) -> None:
    good = tmp_path / "good.xml"
    good.write_bytes(ehf_bytes(BUYER))
    out = io.StringIO()
    call_command("invoices", "validate", str(good), stdout=out)
    assert "good.xml: 0 fatal, 0 warnings" in out.getvalue()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("invoices", "validate", str(tmp_path / "none.xml"))


@pytest.mark.django_db
def test_the_watched_folder_receives_and_keeps_every_file(invoicing, tmp_path) -> None:
    (tmp_path / "a.xml").write_bytes(ehf_bytes(invoicing.municipality, number="A-1"))
    (tmp_path / "b.xml").write_bytes(broken(invoicing.municipality, "BR-CO-16"))
    (tmp_path / "c.xml").write_bytes(b"<Order/>")
    out = io.StringIO()
    call_command("invoices", "receive-folder", str(tmp_path), stdout=out)
    assert "1 done, 1 rejected, 1 refused" in out.getvalue()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.xml")) == [
        "done/a.xml",
        "refused/c.xml",
        "rejected/b.xml",
    ]
    assert Invoice.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("invoices", "receive-folder", str(tmp_path / "nowhere"))


def test_compile_fills_the_cache(settings, tmp_path) -> None:
    settings.EKOMMUNE_DATA_DIR = str(tmp_path)
    out = io.StringIO()
    call_command("invoices", "compile", stdout=out)
    assert str(tmp_path / "invoices" / "xslt") in out.getvalue()
