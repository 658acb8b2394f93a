"""The secretariat's rules at service level: rights, tenancy, meeting states, votes, numbering, constraints."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ekommune.archive.tests.factories import case_for
from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.politics import services
from ekommune.politics.models import Decision, Meeting, Vote
from ekommune.politics.tests.factories import body_for, item_for, meeting_for, member, politics_for
from ekommune.politics.types import MeetingRuleError

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return politics_for(MunicipalityFactory.create())


def test_only_the_political_secretariat_of_the_municipality_manages_politics(politics) -> None:
    with pytest.raises(PermissionDeniedError):
        services.body_create(
            actor=politics.archive.case_worker,
            municipality=politics.municipality,
            name="Formannskapet",
            abbreviation="FSK",
            kind="formannskap",
            series=politics.archive.series,
        )
    other = politics_for(MunicipalityFactory.create())
    with pytest.raises(PermissionDeniedError):
        services.person_create(
            actor=other.secretary,
            municipality=politics.municipality,
            name="Ola",
            party="Ap",
            email="ola@example.org",
        )


def test_objects_of_another_municipality_are_not_found(politics) -> None:
    other = politics_for(MunicipalityFactory.create())
    foreign_body = body_for(other, "Formannskapet", "FSK", "formannskap")
    with pytest.raises(NotFoundError):
        meeting_for(politics, foreign_body)
    own_body = body_for(politics, "Formannskapet", "FSK", "formannskap")
    foreign_person = member(other, foreign_body, "Per Utenbys", "V")
    with pytest.raises(NotFoundError):
        services.membership_add(
            actor=politics.secretary,
            municipality=politics.municipality,
            body=own_body,
            person=foreign_person,
            term=politics.term,
            role="medlem",
        )


def test_bodies_persons_and_seats_are_unique_and_valid(politics) -> None:
    body = body_for(politics, "Formannskapet", "FSK", "formannskap")
    with pytest.raises(ConflictError):
        body_for(politics, "formannskapet", "FS2")
    with pytest.raises(ValidationError) as error:
        body_for(politics, "Råd for eldre", "ELD", "senat")
    assert error.value.field == "kind"
    member(politics, body, "Ola Ordfører", "Ap", "leder")
    with pytest.raises(ConflictError):
        member(politics, body, "Kari Høyre", "H", "leder")  # one current leader per body and term
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=politics.secretary,
            municipality=politics.municipality,
            name="X",
            party="Y",
            email="ikke-epost",
        )
    assert error.value.field == "email"
    with pytest.raises(ValidationError) as error:
        services.term_create(
            actor=politics.secretary,
            municipality=politics.municipality,
            name="Feil",
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2026, 1, 1),
        )
    assert error.value.code == "invalid_period"


def test_items_are_numbered_per_body_and_year(politics) -> None:
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    kst = body_for(politics, "Kommunestyret", "KST", "kommunestyre")
    case_file = case_for(politics.archive, "IT-strategi")
    december = timezone.make_aware(dt.datetime(2026, 12, 10, 18))
    january = timezone.make_aware(dt.datetime(2027, 1, 14, 18))
    numbers = []
    for body, when in (
        (fsk, december),
        (fsk, december + dt.timedelta(days=1)),
        (kst, december),
        (fsk, january),
    ):
        meeting = Meeting.objects.filter(body=body, starts_at=when).first() or meeting_for(
            politics, body, when
        )
        numbers.append(item_for(politics, meeting, case_file).number)
        numbers.append(item_for(politics, meeting, case_file).number)
    assert numbers == ["1/26", "2/26", "3/26", "4/26", "1/26", "2/26", "1/27", "2/27"]


def test_meeting_states_guard_the_agenda_decisions_and_minutes(politics) -> None:
    body = body_for(politics, "Formannskapet", "FSK", "formannskap")
    meeting = meeting_for(politics, body)
    secretary, municipality = politics.secretary, politics.municipality
    with pytest.raises(MeetingRuleError) as error:
        services.meeting_summon(actor=secretary, municipality=municipality, meeting=meeting)
    assert error.value.code == "empty_agenda"
    with pytest.raises(ValidationError) as invalid:
        item_for(politics, meeting, case_for(politics.archive), is_public=False)
    assert invalid.value.code == "closed_basis_required"
    item = item_for(politics, meeting, case_for(politics.archive))
    with pytest.raises(MeetingRuleError) as error:
        services.decision_record(
            actor=secretary, municipality=municipality, item=item, text="Vedtatt", unanimous=True
        )
    assert error.value.code == "meeting_not_open_for_decisions"
    services.meeting_summon(actor=secretary, municipality=municipality, meeting=meeting)
    with pytest.raises(MeetingRuleError) as error:
        services.meeting_summon(actor=secretary, municipality=municipality, meeting=meeting)
    assert error.value.code == "already_summoned"
    with pytest.raises(MeetingRuleError) as error:
        services.minutes_approve(actor=secretary, municipality=municipality, meeting=meeting)
    assert error.value.code == "not_held"
    services.meeting_hold(actor=secretary, municipality=municipality, meeting=meeting)
    with pytest.raises(MeetingRuleError) as error:
        item_for(politics, meeting, case_for(politics.archive))
    assert error.value.code == "meeting_closed"
    with pytest.raises(MeetingRuleError) as error:
        services.meeting_hold(actor=secretary, municipality=municipality, meeting=meeting)
    assert error.value.code == "not_summoned"
    with pytest.raises(ValidationError) as invalid:
        meeting_for(politics, body, timezone.now(), video_url="ikke en adresse")
    assert invalid.value.field == "video_url"


def test_votes_are_either_unanimous_or_counted_and_absent_members_do_not_vote(politics) -> None:
    body = body_for(politics, "Formannskapet", "FSK", "formannskap")
    ola = member(politics, body, "Ola Ordfører", "Ap", "leder")
    meeting = meeting_for(politics, body)
    item = item_for(politics, meeting, case_for(politics.archive))
    secretary, municipality = politics.secretary, politics.municipality
    services.meeting_summon(actor=secretary, municipality=municipality, meeting=meeting)

    def record(**kwargs):
        return services.decision_record(
            actor=secretary, municipality=municipality, item=item, text="Vedtatt", **kwargs
        )

    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"unanimous": True, "votes": [services.VoteInput(choice="for", party="Ap", count=3)]},
            "unanimous_with_votes",
        ),
        ({}, "votes_required"),
        ({"votes": [services.VoteInput(choice="kanskje", party="Ap")]}, "invalid_code"),
        ({"votes": [services.VoteInput(choice="for")]}, "member_or_party"),
        ({"votes": [services.VoteInput(choice="for", person=ola, party="Ap")]}, "member_or_party"),
        ({"votes": [services.VoteInput(choice="for", party="Ap", count=0)]}, "invalid_count"),
        ({"votes": [services.VoteInput(choice="for", person=ola, count=2)]}, "invalid_count"),
        (
            {
                "votes": [services.VoteInput(choice="for", person=ola)],
                "absences": [services.AbsenceInput(person=ola, reason="inhabil")],
            },
            "absent_member_voted",
        ),
        ({"unanimous": True, "absences": [services.AbsenceInput(person=ola, reason="syk")]}, "invalid_code"),
        ({"unanimous": True, "amendments": [services.AmendmentInput(proposed_by="", text="x")]}, "required"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as error:
            record(**kwargs)
        assert error.value.code == code, kwargs
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            actor=secretary, municipality=municipality, item=item, text=" ", unanimous=True
        )
    assert error.value.field == "text"

    first = record(votes=[services.VoteInput(choice="for", party="Ap", count=3)])
    second = record(unanimous=True)  # recorded again while provisional: replaces the first
    assert list(Decision.objects.filter(item=item)) == [second]
    assert not Vote.objects.filter(decision_id=first.pk).exists()


def test_the_database_holds_the_invariants_when_the_services_are_bypassed(politics) -> None:
    body = body_for(politics, "Formannskapet", "FSK", "formannskap")
    meeting = meeting_for(politics, body)
    item = item_for(politics, meeting, case_for(politics.archive))
    decision = Decision.objects.create(
        municipality=politics.municipality,
        item=item,
        text="Vedtatt",
        recorded_at=timezone.now(),
        recorded_by="x",
    )
    attempts = [
        lambda: Meeting.objects.filter(pk=meeting.pk).update(ends_at=meeting.starts_at),
        lambda: Meeting.objects.filter(pk=meeting.pk).update(status="avlyst"),
        lambda: Meeting.objects.filter(pk=meeting.pk).update(status="innkalt"),  # no summons date
        lambda: Vote.objects.create(municipality=politics.municipality, decision=decision, choice="for"),
        lambda: Vote.objects.create(
            municipality=politics.municipality, decision=decision, choice="for", party="Ap", count=0
        ),
        lambda: Decision.objects.filter(pk=decision.pk).update(
            final_at=decision.recorded_at - dt.timedelta(days=1)
        ),
        lambda: type(item).objects.filter(pk=item.pk).update(is_public=False),  # closed without a basis
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()


def test_the_search_snapshot_follows_a_screening_added_later(politics) -> None:
    from django.core.management import CommandError, call_command

    from ekommune.archive import selectors as archive_selectors
    from ekommune.archive import services as archive_services
    from ekommune.politics.models import AgendaItem

    body = body_for(politics, "Formannskapet", "FSK", "formannskap")
    item = item_for(
        politics, meeting_for(politics, body), case_for(politics.archive), title="Søknad fra Per Persen"
    )
    assert not item.presentation_screened
    # Stand-in for a screening added in the archive afterwards: the entry is cancelled (U), so no
    # longer published at all.
    entry = archive_selectors.registry_entry_by_system_id(
        actor=politics.archive.case_worker,
        municipality=politics.municipality,
        system_id=item.presentation_system_id,
    )
    assert entry is not None
    archive_services.registry_entry_set_status(
        actor=politics.archive.case_worker, municipality=politics.municipality, entry=entry, status="U"
    )
    call_command("politics", "refresh-search", "--municipality", politics.municipality.slug)
    item = AgendaItem.objects.get(pk=item.pk)
    assert item.presentation_screened
    assert item.public_title == "*****"
    assert services.agenda_items_refresh_screening(municipality=politics.municipality) == 0
    with pytest.raises(CommandError):
        call_command("politics", "refresh-search", "--municipality", "finnes-ikke")
