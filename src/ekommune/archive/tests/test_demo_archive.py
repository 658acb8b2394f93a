"""The demo gives each municipality a fonds, a subject-based scheme, a series and realistic cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from ekommune.archive.models import CaseFile, Class, Fonds, RegistryEntry, Series
from ekommune.core.models import Municipality

pytestmark = pytest.mark.django_db


def test_demo_archive_per_municipality(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    call_command("demo", "load")  # idempotent
    for municipality in Municipality.objects.all():
        assert Fonds.objects.filter(municipality=municipality).count() == 1
        series = Series.objects.get(municipality=municipality)
        assert (
            Class.objects.get(classification_system=series.classification_system, class_id="064").title
            == "Informasjonsteknologi"
        )
        cases = CaseFile.objects.filter(municipality=municipality).order_by("case_sequence_number")
        # the archive's own four demo cases come first; other apps' demos add theirs after them
        assert [c.case_sequence_number for c in cases[:4]] == [1, 2, 3, 4]
        assert cases[0].title == "IT-strategi 2026-2029"
        # the first entry of each demo case (other apps' demos may add later entries to them)
        assert all(
            RegistryEntry.objects.filter(case_file=case, entry_number=1).exists() for case in cases[:4]
        )
