"""A realistic political year for page, feed, API and leak tests, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import case_for, letter
from ekommune.core.models import Municipality
from ekommune.politics import services
from ekommune.politics.models import AgendaItem, Meeting
from ekommune.politics.tests.factories import Politics, body_for, item_for, meeting_for, member, politics_for
from ekommune.publicjournal import services as publicjournal_services

SECRET_NAME = "Hemmelig Hansen"
SECRET_TITLE = f"Tilskudd til {SECRET_NAME} etter sykdom"
SECRET_ATTACHMENT_TITLE = "Legeerklæring for Hemmelig Hansen"
SECRET_CONTENT = b"%PDF-1.7\nSKJERMET-VEDLEGG-INNHOLD\n%%EOF\n"
PUBLIC_CONTENT = b"%PDF-1.7\nOFFENTLIG-SAKSFRAMLEGG\n%%EOF\n"


@dataclass
class Year:
    politics: Politics
    case_number: str
    meetings: list[Meeting]
    strategy_items: list[AgendaItem]
    secret_item: AgendaItem

    @property
    def municipality(self) -> Municipality:
        return self.politics.municipality


def political_year(municipality: Municipality) -> Year:
    """The IT strategy through ADM → FSK → KST, and a closed, screened grant case in FSK."""
    politics = politics_for(municipality)
    secretary = politics.secretary
    publicjournal_services.publication_policy_set(
        actor=politics.archive.records_manager, municipality=municipality, full_text_enabled=True
    )
    adm = body_for(politics, "Administrasjonsutvalget", "ADM")
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    kst = body_for(politics, "Kommunestyret", "KST", "kommunestyre")
    member(politics, kst, "Ola Ordfører", "Ap", "leder")
    member(politics, fsk, "Ola Ordfører", "Ap", "leder")
    kari = member(politics, fsk, "Kari Høyre", "H")
    member(politics, adm, "Anne Tillitsvalgt", "Fagforbundet", "leder")
    case_file = case_for(politics.archive, "IT-strategi 2013-2016")
    secret_case = case_for(politics.archive, "Tilskudd til enkeltperson")
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=40)

    meetings, items = [], []
    for offset, body in ((0, adm), (14, fsk), (35, kst)):
        meeting = meeting_for(
            politics,
            body,
            start + dt.timedelta(days=offset),
            video_url=f"https://video.example/{body.abbreviation.lower()}.mp4",
        )
        item = item_for(
            politics,
            meeting,
            case_file,
            recommendation="Rådmannen tilrår at IT-strategien vedtas.",
            documents=[letter("Saksframlegg IT-strategi", PUBLIC_CONTENT)],
        )
        meetings.append(meeting)
        items.append(item)
    secret_item = item_for(
        politics,
        meetings[1],
        secret_case,
        title=SECRET_TITLE,
        public_title="Tilskudd til ***** etter sykdom",
        recommendation=f"Rådmannen tilrår at {SECRET_NAME} får tilskudd.",
        documents=[
            letter("Saksframlegg tilskudd", PUBLIC_CONTENT + b"1"),
            letter(SECRET_ATTACHMENT_TITLE, SECRET_CONTENT),
        ],
        screening=archive_services.ScreeningInput(
            access_restriction="13",
            legal_basis="Offl. § 13 jf. fvl. § 13",
            screened_metadata=["TRO", "TD"],
            screened_document="H",
        ),
        is_public=False,
        closed_basis="Kommuneloven § 11-5 annet ledd",
    )
    for meeting in meetings:
        services.meeting_summon(actor=secretary, municipality=municipality, meeting=meeting)
    services.agenda_item_video_set(
        actor=secretary, municipality=municipality, item=items[0], offset_seconds=754
    )
    services.decision_record(
        actor=secretary,
        municipality=municipality,
        item=items[0],
        text="Administrasjonsutvalget slutter seg til strategien.",
        unanimous=True,
    )
    services.decision_record(
        actor=secretary,
        municipality=municipality,
        item=items[1],
        text="Formannskapet innstiller på at IT-strategien vedtas.",
        votes=[
            services.VoteInput(choice="for", party="Ap", count=4),
            services.VoteInput(choice="mot", person=kari),
        ],
    )
    services.decision_record(
        actor=secretary,
        municipality=municipality,
        item=secret_item,
        text=f"{SECRET_NAME} innvilges tilskudd på 50 000 kroner.",
        unanimous=True,
        amendments=[
            services.AmendmentInput(proposed_by="Kari Høyre (H)", text=f"{SECRET_NAME} får 60 000 kroner.")
        ],
    )
    services.decision_record(
        actor=secretary,
        municipality=municipality,
        item=items[2],
        text="Kommunestyret vedtar IT-strategi 2013-2016.",
        unanimous=True,
    )
    for meeting in meetings[:2]:
        services.meeting_hold(actor=secretary, municipality=municipality, meeting=meeting)
        services.minutes_approve(actor=secretary, municipality=municipality, meeting=meeting)
    return Year(
        politics=politics,
        case_number=case_file.file_id,
        meetings=meetings,
        strategy_items=items,
        secret_item=secret_item,
    )
