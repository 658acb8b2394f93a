"""An archive case through Administrasjonsutvalget → Formannskapet → Kommunestyret."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ekommune.archive.tests.factories import case_for, letter
from ekommune.core.models import AuditEvent
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.politics import selectors, services
from ekommune.politics.models import Meeting
from ekommune.politics.tests.factories import body_for, item_for, meeting_for, member, politics_for
from ekommune.politics.types import MeetingRuleError

pytestmark = pytest.mark.django_db


def test_it_strategy_goes_through_three_bodies_with_votes_and_provisional_then_final_decisions():
    politics = politics_for(MunicipalityFactory.create())
    secretary, municipality = politics.secretary, politics.municipality
    adm = body_for(politics, "Administrasjonsutvalget", "ADM")
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    kst = body_for(politics, "Kommunestyret", "KST", "kommunestyre")
    ordfører = member(politics, kst, "Ola Ordfører", "Ap", "leder")
    member(politics, fsk, "Ola Ordfører", "Ap", "leder")
    kari = member(politics, fsk, "Kari Høyre", "H")
    per = member(politics, fsk, "Per Senter", "Sp")
    member(politics, adm, "Anne Tillitsvalgt", "Fagforbundet", "leder")
    case_file = case_for(politics.archive, "IT-strategi 2013-2016")
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))

    # 1. Administrasjonsutvalget: recommendation, a unanimous decision, minutes approved.
    m1 = meeting_for(politics, adm, start)
    i1 = item_for(
        politics,
        m1,
        case_file,
        recommendation="Administrasjonsutvalget slutter seg til IT-strategien.",
        documents=[letter("Saksframlegg IT-strategi"), letter("IT-strategi 2013-2016 (utkast)")],
    )
    assert i1.number == "1/26"
    services.meeting_summon(actor=secretary, municipality=municipality, meeting=m1)
    services.decision_record(
        actor=secretary,
        municipality=municipality,
        item=i1,
        text="Administrasjonsutvalget slutter seg til IT-strategien.",
        unanimous=True,
    )
    services.meeting_hold(actor=secretary, municipality=municipality, meeting=m1)
    minutes = services.minutes_approve(actor=secretary, municipality=municipality, meeting=m1)

    # 2. Formannskapet: an amendment, votes per member, one member disqualified; minutes not yet approved.
    m2 = meeting_for(politics, fsk, start + dt.timedelta(days=14))
    item_for(politics, m2, case_for(politics.archive, "Budsjett 2027"), title="Budsjett 2027")
    i2 = item_for(politics, m2, case_file, recommendation="Formannskapet innstiller på at strategien vedtas.")
    assert i2.number == "2/26"
    services.meeting_summon(actor=secretary, municipality=municipality, meeting=m2)
    services.decision_record(
        actor=secretary,
        municipality=municipality,
        item=i2,
        text="Formannskapet innstiller overfor kommunestyret på at IT-strategien vedtas med endringen.",
        votes=[
            services.VoteInput(choice="for", person=ordfører),
            services.VoteInput(choice="mot", person=kari),
        ],
        amendments=[
            services.AmendmentInput(
                proposed_by="Kari Høyre (H)",
                text="Satsingen på e-faktura framskyndes.",
                adopted=True,
                votes_for=2,
                votes_against=0,
            )
        ],
        absences=[services.AbsenceInput(person=per, reason="inhabil")],
    )

    # 3. Kommunestyret: votes per party.
    m3 = meeting_for(politics, kst, start + dt.timedelta(days=35))
    i3 = item_for(politics, m3, case_file)
    services.meeting_summon(actor=secretary, municipality=municipality, meeting=m3)
    services.decision_record(
        actor=secretary,
        municipality=municipality,
        item=i3,
        text="Kommunestyret vedtar IT-strategi 2013-2016.",
        votes=[
            services.VoteInput(choice="for", party="Ap", count=12),
            services.VoteInput(choice="for", party="Sp", count=5),
            services.VoteInput(choice="mot", party="H", count=8),
        ],
    )

    history = selectors.case_history(municipality=municipality, case_number=case_file.file_id)
    assert [(step.body_abbreviation, step.number) for step in history] == [
        ("ADM", "1/26"),
        ("FSK", "2/26"),
        ("KST", "1/26"),
    ]
    assert [step.decision.provisional for step in history] == [False, True, True]
    assert all(
        step.title == "IT-strategi 2013-2016" and step.case_number == case_file.file_id for step in history
    )
    assert history[0].decision.unanimous
    assert history[0].decision.votes == ()
    assert history[0].recommendation == "Administrasjonsutvalget slutter seg til IT-strategien."
    assert [d.title for d in history[0].documents] == [
        "Saksframlegg IT-strategi",
        "IT-strategi 2013-2016 (utkast)",
    ]
    fsk_decision = history[1].decision
    assert [(v.label, v.choice) for v in fsk_decision.votes] == [
        ("Ola Ordfører (Ap)", "for"),
        ("Kari Høyre (H)", "mot"),
    ]
    assert [(a.name, a.reason) for a in fsk_decision.absences] == [("Per Senter", "Inhabil")]
    assert fsk_decision.amendments[0].adopted
    assert fsk_decision.amendments[0].text == "Satsingen på e-faktura framskyndes."
    assert history[2].decision.tally() == {"for": 17, "mot": 8, "avstod": 0}

    # The minutes are archived in the body's minutes case and the meeting is closed for changes.
    m1.refresh_from_db()
    assert m1.status == Meeting.Status.MINUTES_APPROVED
    minutes_file = selectors.minutes_file(municipality=municipality, meeting=m1)
    content = minutes_file.content.read().decode()
    assert "Administrasjonsutvalget slutter seg til IT-strategien." in content
    assert "Enstemmig vedtatt." in content
    assert minutes.entry_system_id
    with pytest.raises(MeetingRuleError) as error:
        services.decision_record(
            actor=secretary, municipality=municipality, item=i1, text="Endret", unanimous=True
        )
    assert error.value.code == "meeting_not_open_for_decisions"

    # Approving Formannskapet's minutes makes its decision final.
    services.meeting_hold(actor=secretary, municipality=municipality, meeting=m2)
    with pytest.raises(MeetingRuleError) as error:
        services.minutes_approve(actor=secretary, municipality=municipality, meeting=m2)
    assert error.value.code == "items_without_decision"
    first = m2.items.get(sequence=1)
    services.decision_record(
        actor=secretary, municipality=municipality, item=first, text="Tatt til orientering.", unanimous=True
    )
    services.minutes_approve(actor=secretary, municipality=municipality, meeting=m2)
    history = selectors.case_history(municipality=municipality, case_number=case_file.file_id)
    assert [step.decision.provisional for step in history] == [False, False, True]
    actions = set(AuditEvent.objects.filter(municipality=municipality).values_list("action", flat=True))
    assert {"politics.decision.record", "politics.minutes.approve", "politics.meeting.summon"} <= actions
