"""A body's minutes case is filed under a class of the series' classification scheme: the one
named, else the parent body's; a classified series gets no case without a class (a deposit
package has no place for one)."""

from __future__ import annotations

import pytest

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core.errors import NotFoundError, ValidationError
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.politics import selectors, services
from ekommune.politics.models import Body
from ekommune.politics.tests.factories import BODIES_CLASS, body_for, politics_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return politics_for(MunicipalityFactory.create())


def _create(politics, name: str, abbreviation: str, **kwargs) -> Body:
    return services.body_create(
        actor=politics.secretary,
        municipality=politics.municipality,
        name=name,
        abbreviation=abbreviation,
        kind="utvalg",
        series=kwargs.pop("series", politics.archive.series),
        **kwargs,
    )


def _cases(politics) -> int:
    """The case files of the archive's test series (in any class or none)."""
    return sum(
        len(
            archive_selectors.extraction_case_files(
                municipality=politics.municipality, series_id=politics.archive.series.pk, class_id=class_pk
            )
        )
        for class_pk in [None, *(c.pk for c in politics.archive.classes.values())]
    )


def _minutes_class_id(politics, body: Body) -> int | None:
    case_file = archive_selectors.case_file_by_number(
        actor=politics.secretary, municipality=politics.municipality, case_number=body.minutes_case_number
    )
    return case_file.primary_class_id


def test_the_minutes_case_is_filed_under_the_class_named_or_the_parents(politics) -> None:
    council = body_for(politics, "Kommunestyret", "KST", "kommunestyre")
    bodies_class = politics.archive.classes[BODIES_CLASS]
    assert council.case_class_system_id == bodies_class.system_id
    assert _minutes_class_id(politics, council) == bodies_class.pk
    committee = _create(politics, "Eldrerådet", "ER", parent=council)
    assert committee.case_class_system_id == bodies_class.system_id
    assert _minutes_class_id(politics, committee) == bodies_class.pk
    own = _create(politics, "IT-utvalget", "ITU", parent=council, case_class="064")
    assert _minutes_class_id(politics, own) == politics.archive.classes["064"].pk
    assert [
        c.class_id
        for c in selectors.series_classes(municipality=politics.municipality, series=politics.archive.series)
    ] == [
        "033",
        "064",
        "614",
        "A20",
    ]


@pytest.mark.parametrize(
    ("case_class", "with_parent", "code"), [("999", True, "unknown_class"), ("", False, "class_required")]
)
def test_a_body_without_a_known_class_is_refused_and_no_case_is_opened(
    politics, case_class, with_parent, code
) -> None:
    parent = body_for(politics, "Kommunestyret", "KST", "kommunestyre") if with_parent else None
    cases = _cases(politics)
    with pytest.raises(ValidationError) as error:
        _create(politics, "Eldrerådet", "ER", case_class=case_class, parent=parent)
    assert (error.value.code, error.value.field) == (code, "case_class")
    assert not Body.objects.filter(abbreviation="ER").exists()
    assert _cases(politics) == cases


def test_a_series_without_a_scheme_has_no_class_to_give(politics) -> None:
    unclassified = archive_services.series_create(
        actor=politics.archive.records_manager,
        municipality=politics.municipality,
        fonds=politics.archive.fonds,
        title="Møtebøker uten arkivnøkkel",
    )
    body = _create(politics, "Eldrerådet", "ER", series=unclassified)
    assert body.case_class_system_id is None
    assert _minutes_class_id(politics, body) is None
    with pytest.raises(ValidationError) as error:
        _create(politics, "Ungdomsrådet", "UR", series=unclassified, case_class=BODIES_CLASS)
    assert error.value.code == "unknown_class"


def test_a_series_of_another_municipality_is_not_found(politics) -> None:
    other = politics_for(MunicipalityFactory.create())
    with pytest.raises(NotFoundError) as error:
        _create(politics, "Eldrerådet", "ER", series=other.archive.series, case_class=BODIES_CLASS)
    assert (error.value.code, error.value.field) == ("not_found", "series")
