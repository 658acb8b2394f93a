"""Oppmøte: who met at a meeting (deputies with the member they met for) and who had forfall."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ekommune.archive.tests.factories import case_for
from ekommune.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics import services
from ekommune.politics.models import Attendance
from ekommune.politics.tests.factories import body_for, item_for, meeting_for, member, politics_for
from ekommune.politics.types import MeetingRuleError

pytestmark = pytest.mark.django_db

HOST = "oppmote.test"


@pytest.fixture
def summoned():
    politics = politics_for(MunicipalityFactory.create(slug="oppmote", host=HOST))
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    leader = member(politics, fsk, "Ola Ordfører", "Ap", "leder")
    absent = member(politics, fsk, "Kari Høyre", "H")
    deputy = member(politics, fsk, "Vera Vara", "H", "varamedlem")
    meeting = meeting_for(politics, fsk)
    item_for(politics, meeting, case_for(politics.archive, "IT-strategi 2013-2016"))
    services.meeting_summon(actor=politics.secretary, municipality=politics.municipality, meeting=meeting)
    meeting.refresh_from_db()
    return politics, meeting, leader, absent, deputy


def record(politics, meeting, rows, actor=None):
    return services.meeting_attendance_record(
        actor=actor or politics.secretary,
        municipality=politics.municipality,
        meeting=meeting,
        attendance=rows,
    )


def test_attendance_is_recorded_replaced_and_shown_on_the_public_meeting_page(summoned) -> None:
    politics, meeting, leader, absent, deputy = summoned
    A = services.AttendanceInput
    record(politics, meeting, [A(leader, "tilstede"), A(absent, "tilstede")])
    record(politics, meeting, [A(leader, "tilstede"), A(absent, "forfall"), A(deputy, "tilstede", absent)])
    assert sorted(Attendance.objects.values_list("person__name", "status")) == [
        ("Kari Høyre", "forfall"),
        ("Ola Ordfører", "tilstede"),
        ("Vera Vara", "tilstede"),
    ]
    page = host_client(HOST).get(f"/politikk/moter/{meeting.pk}/").content.decode()
    assert "Oppmøte" in page
    assert "Kari Høyre (H): Forfall" in page
    assert "møtte for Kari Høyre" in page


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        (lambda p, leader, absent, deputy, stranger: [(leader, "sovnet")], "invalid_code"),
        (lambda p, leader, absent, deputy, stranger: [(stranger, "tilstede")], "not_a_member"),
        (
            lambda p, leader, absent, deputy, stranger: [(leader, "tilstede"), (leader, "forfall")],
            "duplicate",
        ),
        (lambda p, leader, absent, deputy, stranger: [(deputy, "forfall", absent)], "invalid_substitute"),
        (lambda p, leader, absent, deputy, stranger: [(deputy, "tilstede", deputy)], "invalid_substitute"),
    ],
)
def test_bad_attendance_is_refused_with_a_message_and_nothing_changes(summoned, rows, code) -> None:
    politics, meeting, leader, absent, deputy = summoned
    other_body = body_for(politics, "Kontrollutvalget", "KU", "utvalg")
    stranger = member(politics, other_body, "Sven Fremmed", "V")
    record(politics, meeting, [services.AttendanceInput(leader, "tilstede")])
    with pytest.raises(ValidationError) as error:
        record(
            politics,
            meeting,
            [services.AttendanceInput(*row) for row in rows(politics, leader, absent, deputy, stranger)],
        )
    assert error.value.code == code
    assert error.value.message
    assert list(Attendance.objects.values_list("person__name", "status")) == [("Ola Ordfører", "tilstede")]


def test_only_the_secretariat_of_the_municipality_records_and_only_for_summoned_or_held_meetings(
    summoned,
) -> None:
    politics, meeting, leader, _absent, _deputy = summoned
    with pytest.raises(PermissionDeniedError):
        record(politics, meeting, [], actor=politics.archive.case_worker)
    other = politics_for(MunicipalityFactory.create())
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        services.meeting_attendance_record(
            actor=other.secretary, municipality=other.municipality, meeting=meeting, attendance=[]
        )
    planned = meeting_for(
        politics, politics.bodies["FSK"], meeting.starts_at.replace(year=meeting.starts_at.year + 1)
    )
    with pytest.raises(MeetingRuleError) as error:
        record(politics, planned, [services.AttendanceInput(leader, "tilstede")])
    assert error.value.code == "attendance_not_open"


def test_the_database_refuses_a_substitute_who_was_absent(summoned) -> None:
    politics, meeting, _leader, absent, deputy = summoned
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            municipality=politics.municipality,
            meeting=meeting,
            person=deputy,
            status="forfall",
            substitute_for=absent,
        )


def test_the_secretariat_records_attendance_through_the_meeting_page(summoned) -> None:
    politics, meeting, leader, absent, deputy = summoned
    client = host_client(HOST, politics.secretary)
    page = client.get(f"/politikk/sekretariat/moter/{meeting.pk}/").content.decode()
    assert f'name="oppmote-{leader.pk}"' in page
    response = client.post(
        f"/politikk/sekretariat/moter/{meeting.pk}/oppmote/",
        {
            f"oppmote-{leader.pk}": "tilstede",
            f"oppmote-{absent.pk}": "forfall",
            f"oppmote-{deputy.pk}": "tilstede",
            f"for-{deputy.pk}": str(absent.pk),
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get(person=deputy).substitute_for == absent
    bad = client.post(
        f"/politikk/sekretariat/moter/{meeting.pk}/oppmote/", {f"oppmote-{leader.pk}": "sovnet"}
    )
    assert bad.status_code == 400
    assert "Ukjent oppmøtestatus" in bad.content.decode()
    assert Attendance.objects.count() == 3
