"""Fixity: stored files are re-hashed; a missing or altered file is recorded and reported."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ekommune.core.models import Municipality
from ekommune.deposit import services, tasks
from ekommune.deposit.models import FixityFinding, FixityRun
from ekommune.deposit.tests.factories import RichArchive

pytestmark = pytest.mark.django_db


def stored(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def test_a_corrupted_and_a_deleted_file_are_reported(rich: RichArchive, media: Path) -> None:
    files = stored(media)
    files[0].write_bytes(b"%PDF-1.7 bit rot\n")
    files[1].unlink()
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 fil"):
        call_command("archive", "verify", "--municipality", rich.archive.municipality.slug, stdout=out)
    printed = out.getvalue()
    assert f"{len(files)} filer kontrollert, 1 mangler, 1 endret" in printed
    assert "ALTERED" in printed
    assert "MISSING" in printed
    run = FixityRun.objects.get()
    assert run.status == FixityRun.Status.DONE
    assert {f.problem for f in FixityFinding.objects.filter(run=run)} == {"missing", "altered"}


def test_an_intact_archive_passes(rich: RichArchive) -> None:
    out = io.StringIO()
    call_command("archive", "verify", stdout=out)
    assert "Alle kontrollerte filer er uendret." in out.getvalue()


def test_samples_roll_through_the_archive_and_a_run_can_be_resumed(rich: RichArchive, media: Path) -> None:
    municipality = rich.archive.municipality
    total = len(stored(media))
    first = services.fixity_verify(municipalities=[municipality], sample=4)[0]
    second = services.fixity_verify(municipalities=[municipality], sample=4)[0]
    assert first.checked == second.checked == 4
    assert second.start_after == first.last_file_id
    third = services.fixity_verify(municipalities=[municipality], sample=total)[0]
    assert third.checked == total  # wrapped round to the start
    interrupted = FixityRun.objects.create(
        municipality=municipality, started_at=third.started_at, last_file_id=first.last_file_id
    )
    resumed = services.fixity_verify(municipalities=[municipality], resume=True)[0]
    assert resumed.pk == interrupted.pk
    assert resumed.checked == total - 4


def test_the_scheduled_task_checks_every_municipality(
    rich: RichArchive, municipality_b: Municipality, media: Path
) -> None:
    stored(media)[0].write_bytes(b"changed")
    result = tasks.fixity_verify.enqueue(sample=None)
    assert result.return_value == {"checked": len(stored(media)), "missing": 0, "altered": 1}


def test_a_sample_must_be_positive(rich: RichArchive) -> None:
    with pytest.raises(CommandError, match="invalid"):
        call_command("archive", "verify", "--sample", "0", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Unknown municipality"):
        call_command("archive", "verify", "--municipality", "nowhere", stdout=io.StringIO())
