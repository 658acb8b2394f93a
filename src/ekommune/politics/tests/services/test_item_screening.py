"""What a restriction screens of a case presentation is the service's rule (``item_screening``):
the title and the documents' titles always, the documents withheld; an unknown or unmappable
restriction refuses the write (fail safe), and nothing is registered."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import case_for, letter
from ekommune.core.errors import ValidationError
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.politics import selectors, services
from ekommune.politics.models import AgendaItem
from ekommune.politics.tests.factories import body_for, item_for, meeting_for, politics_for
from ekommune.publicjournal.screening import MARKER

SECRET = "Tilskudd til Hemmelig Hansen"
BASIS = "Offl. § 13 jf. fvl. § 13"


@pytest.fixture
def meeting(db):
    politics = politics_for(MunicipalityFactory.create())
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    return politics, meeting_for(politics, fsk)


def _screening_of(politics, item: AgendaItem):
    [facts] = archive_selectors.entries_for_publication(
        municipality=politics.municipality, system_ids=[item.presentation_system_id]
    )
    return facts.screening


def test_a_restricted_item_with_no_fields_given_is_screened_title_and_documents(meeting) -> None:
    politics, planned = meeting
    item = item_for(
        politics,
        planned,
        case_for(politics.archive, "Tilskudd"),
        title=SECRET,
        documents=[letter("Legeerklæring for Hemmelig Hansen")],
        screening=archive_services.ScreeningInput(access_restriction="13", legal_basis=BASIS),
    )
    screening = _screening_of(politics, item)
    assert screening.screened_metadata == {"TRO", "TD"}
    assert screening.screened_document == "H"
    public = selectors.public_item(municipality=politics.municipality, pk=item.pk)
    assert public.title == MARKER
    assert [document.title for document in public.documents] == [MARKER]
    assert [document.file_object_id for document in public.documents] == [None]
    assert not public.is_open
    assert (item.public_title, item.presentation_screened) == (MARKER, True)  # the search snapshot


def test_the_public_title_shows_the_words_left_and_a_caller_may_screen_more_never_less(meeting) -> None:
    politics, planned = meeting
    item = item_for(
        politics,
        planned,
        case_for(politics.archive, "Tilskudd"),
        title=SECRET,
        public_title="Tilskudd til *****",
        screening=archive_services.ScreeningInput(
            access_restriction=" 25 ", legal_basis=BASIS, screened_metadata=["NA"], screened_document="D"
        ),
    )
    screening = _screening_of(politics, item)
    assert screening.screened_metadata == {"TRO", "TD", "NA"}
    assert (screening.access_restriction, screening.screened_document) == ("25", "D")
    assert selectors.public_item(municipality=politics.municipality, pk=item.pk).title == "Tilskudd til *****"


@pytest.mark.parametrize(
    ("restriction", "basis", "document", "code", "field"),
    [
        ("99", BASIS, "", "unknown_access_restriction", "access_restriction"),
        ("XX", BASIS, "", "unknown_access_restriction", "access_restriction"),  # archive code, not mapped
        ("B", BASIS, "", "unknown_access_restriction", "access_restriction"),
        ("", BASIS, "", "unknown_access_restriction", "access_restriction"),  # a basis, but for what?
        ("13", "  ", "", "legal_basis_required", "legal_basis"),
        ("13", BASIS, "X", "unknown_screened_document", "screened_document"),
    ],
)
def test_an_unknown_or_incomplete_screening_refuses_the_write(
    meeting, restriction, basis, document, code, field
) -> None:
    politics, planned = meeting
    case_file = case_for(politics.archive, "Tilskudd")
    with pytest.raises(ValidationError) as error:
        item_for(
            politics,
            planned,
            case_file,
            title=SECRET,
            screening=archive_services.ScreeningInput(
                access_restriction=restriction, legal_basis=basis, screened_document=document
            ),
        )
    assert (error.value.code, error.value.field) == (code, field)
    assert not AgendaItem.objects.exists()
    assert not archive_selectors.registry_entries_of_case(
        actor=politics.secretary, municipality=politics.municipality, case_file=case_file
    ).exists()


def test_no_restriction_and_nothing_screened_is_no_screening() -> None:
    assert services.item_screening(None) is None
    assert (
        services.item_screening(archive_services.ScreeningInput(access_restriction="", legal_basis=""))
        is None
    )


@given(st.text(max_size=4).filter(lambda code: code.strip() not in services.ITEM_ACCESS_RESTRICTIONS))
def test_any_restriction_the_rule_does_not_know_is_refused(code) -> None:
    with pytest.raises(ValidationError) as error:
        services.item_screening(archive_services.ScreeningInput(access_restriction=code, legal_basis=BASIS))
    assert error.value.code == "unknown_access_restriction"


@given(
    st.sampled_from(sorted(services.ITEM_ACCESS_RESTRICTIONS)), st.lists(st.sampled_from(["NA", "NM", "TD"]))
)
def test_every_known_restriction_screens_at_least_the_title_and_the_document_titles(code, extra) -> None:
    screening = services.item_screening(
        archive_services.ScreeningInput(access_restriction=code, legal_basis=BASIS, screened_metadata=extra)
    )
    assert screening is not None
    assert {"TRO", "TD"} <= set(screening.screened_metadata)
    assert set(extra) <= set(screening.screened_metadata)
    assert screening.screened_document == "H"


def test_the_secretariats_choice_is_given_as_restriction_and_basis_and_the_service_decides(meeting) -> None:
    politics, planned = meeting
    item = item_for(
        politics,
        planned,
        case_for(politics.archive, "Tilskudd"),
        title=SECRET,
        access_restriction="13",
        legal_basis=BASIS,
    )
    assert _screening_of(politics, item).screened_metadata == {"TRO", "TD"}
    with pytest.raises(ValidationError) as twice:
        item_for(
            politics,
            planned,
            case_for(politics.archive, "Tilskudd 2"),
            title=SECRET,
            access_restriction="13",
            legal_basis=BASIS,
            screening=archive_services.ScreeningInput(access_restriction="14", legal_basis=BASIS),
        )
    assert twice.value.code == "screening_given_twice"


def test_a_screened_field_the_archive_cannot_map_refuses_the_item(meeting) -> None:
    with pytest.raises(archive_services.ScreeningValueError):
        services.item_screening(
            archive_services.ScreeningInput(
                access_restriction="13", legal_basis=BASIS, screened_metadata=["hemmelig"]
            )
        )
    screening = services.item_screening(
        archive_services.ScreeningInput(
            access_restriction="13", legal_basis=BASIS, screened_metadata=["korrespondansepart"]
        )
    )
    assert screening is not None
    assert set(screening.screened_metadata) == {"TRO", "TD", "NA", "NM"}
