"""Politics test data built through the services, as the secretariat builds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core.models import Municipality, Role, User
from ekommune.core.tests.factories import staff
from ekommune.politics import services
from ekommune.politics.models import AgendaItem, Body, Meeting, Person, Term


@dataclass
class Politics:
    archive: Archive
    secretary: User
    term: Term
    bodies: dict[str, Body] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def municipality(self) -> Municipality:
        return self.archive.municipality


# The class (klasse) of the political bodies' cases in the scheme of the archive's test series.
BODIES_CLASS = "033"


def politics_for(municipality: Municipality) -> Politics:
    archive = archive_for(municipality)
    assert archive.series.classification_system is not None
    archive.classes[BODIES_CLASS] = archive_services.class_create(
        actor=archive.records_manager,
        municipality=municipality,
        system=archive.series.classification_system,
        class_id=BODIES_CLASS,
        title="Utvalg, råd og nemnder",
    )
    secretary = staff(municipality, Role.POLITICAL_SECRETARIAT, first_name="Sigrid", last_name="Sekretær")
    term = services.term_create(
        actor=secretary,
        municipality=municipality,
        name="2011–2015",
        starts_on=dt.date(2011, 10, 1),
        ends_on=dt.date(2035, 9, 30),
    )
    return Politics(archive=archive, secretary=secretary, term=term)


def body_for(politics: Politics, name: str, abbreviation: str, kind: str = "utvalg") -> Body:
    body = services.body_create(
        actor=politics.secretary,
        municipality=politics.municipality,
        name=name,
        abbreviation=abbreviation,
        kind=kind,
        series=politics.archive.series,
        case_class=BODIES_CLASS,
    )
    politics.bodies[abbreviation] = body
    return body


def member(politics: Politics, body: Body, name: str, party: str, role: str = "medlem") -> Person:
    person = politics.people.get(name)
    if person is None:
        email = name.lower().replace(" ", ".").replace("ø", "o").replace("å", "a").replace("æ", "ae")
        person = services.person_create(
            actor=politics.secretary,
            municipality=politics.municipality,
            name=name,
            party=party,
            email=f"{email}@politiker.test",
        )
        politics.people[name] = person
    services.membership_add(
        actor=politics.secretary,
        municipality=politics.municipality,
        body=body,
        person=person,
        term=politics.term,
        role=role,
    )
    return person


def meeting_for(politics: Politics, body: Body, when: dt.datetime | None = None, **kwargs) -> Meeting:
    starts = when or timezone.now() + dt.timedelta(days=7)
    return services.meeting_schedule(
        actor=politics.secretary,
        municipality=politics.municipality,
        body=body,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        place="Kommunestyresalen",
        **kwargs,
    )


def item_for(
    politics: Politics, meeting: Meeting, case_file, title: str = "IT-strategi 2013-2016", **kwargs
) -> AgendaItem:
    return services.agenda_item_add(
        actor=politics.secretary,
        municipality=politics.municipality,
        meeting=meeting,
        case_file=case_file,
        title=title,
        **kwargs,
    )
