"""The archive's entries as the public sees them, through the publication policy of the municipality."""

from __future__ import annotations

import pytest

from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import SENDER, archive_for, case_for, letter
from ekommune.core.errors import PermissionDeniedError, ValidationError
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.publicjournal import selectors, services
from ekommune.publicjournal.screening import MARKER

pytestmark = pytest.mark.django_db


def test_screened_fields_never_reach_the_public_form_and_the_policy_decides_the_rest() -> None:
    archive = archive_for(MunicipalityFactory.create())
    case_file = case_for(archive)
    screened = archive_services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="I",
        title="Søknad om plass for Ola Nordmann 15038510190",
        parties=[SENDER],
        documents=[letter("Søknad")],
        screening=archive_services.ScreeningInput(
            access_restriction="13", legal_basis="Offl. § 13 jf. fvl. § 13", screened_metadata=["NA"]
        ),
    )
    note = archive_services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="N",
        title="Notat om opptak",
    )
    public = selectors.screened_entry(municipality=archive.municipality, system_id=screened.system_id)
    assert public is not None
    assert "Ola" not in public.title
    assert "15038510190" not in public.title
    assert public.parties[0].name == MARKER
    assert public.legal_bases == ("Offl. § 13 jf. fvl. § 13",)
    assert selectors.screened_entry(municipality=archive.municipality, system_id=note.system_id) is None

    services.publication_policy_set(
        actor=archive.records_manager,
        municipality=archive.municipality,
        publish_internal_notes=True,
        sensitive_class_prefixes=[" A ", ""],
        delay_hours=2,
    )
    titles = [entry.title for entry in selectors.screened_entries(municipality=archive.municipality)]
    assert titles == [public.title, "Notat om opptak"]
    policy = selectors.publication_policy(municipality=archive.municipality)
    assert policy.sensitive_class_prefixes == ("A",)
    assert policy.publish_internal_notes
    missing = selectors.screened_entry(municipality=archive.municipality, system_id=case_file.system_id)
    assert missing is None


def test_only_the_records_manager_sets_the_policy_and_within_bounds() -> None:
    archive = archive_for(MunicipalityFactory.create())
    with pytest.raises(PermissionDeniedError):
        services.publication_policy_set(
            actor=archive.case_worker, municipality=archive.municipality, delay_hours=1
        )
    with pytest.raises(ValidationError) as error:
        services.publication_policy_set(
            actor=archive.records_manager, municipality=archive.municipality, delay_hours=10_000
        )
    assert error.value.field == "delay_hours"
    assert selectors.publication_policy(municipality=archive.municipality).sensitive_class_prefixes == (
        "F",
        "G",
        "H",
        "4",
    )
