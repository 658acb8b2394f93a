"""Demo politics per municipality: a council term, three bodies with members, a year of meetings
(half held with decisions and approved minutes, half planned) and "IT-strategi 2013-2016" going
through Administrasjonsutvalget → Formannskapet → Kommunestyret.

Found and called by ``ekommune demo load`` (``core.demo.app_demo_loaders``) after the archive's
demo; idempotent: a municipality that already has political bodies is left as it is.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import selectors as core_selectors
from ekommune.core.models import Municipality, User
from ekommune.politics import selectors, services
from ekommune.politics.models import Body, Meeting, Person
from ekommune.publicjournal import services as publicjournal_services

SECRETARIAT_USERNAME = "{slug}.politikk"
RECORDS_MANAGER_USERNAME = "{slug}.arkivar"

# name, party, bodies with role (KST kommunestyre, FSK formannskap, ADM administrasjonsutvalget)
MEMBERS = (
    ("Ola Ordfører", "Ap", {"KST": "leder", "FSK": "leder", "ADM": "leder"}),
    ("Kari Varaordfører", "Sp", {"KST": "nestleder", "FSK": "nestleder"}),
    ("Per Høyre", "H", {"KST": "medlem", "FSK": "medlem", "ADM": "medlem"}),
    ("Liv Lunde", "SV", {"KST": "medlem", "FSK": "medlem"}),
    ("Nils Fremskritt", "FrP", {"KST": "medlem", "FSK": "medlem"}),
    ("Guro Grønn", "MDG", {"KST": "medlem"}),
    ("Ivar Kristen", "KrF", {"KST": "medlem", "ADM": "nestleder"}),
    ("Marit Venstre", "V", {"KST": "medlem"}),
    ("Eva Rødt", "R", {"KST": "varamedlem"}),
    ("Anne Tillitsvalgt", "Fagforbundet", {"ADM": "medlem"}),
    ("Jon Verneombud", "Delta", {"ADM": "medlem"}),
)
ROUTINE_CASES = (
    "Budsjett og økonomiplan",
    "Årsmelding og årsregnskap",
    "Reglement for delegering",
    "Kommunale avgifter",
    "Tilstandsrapport for grunnskolen",
    "Plan for vedlikehold av kommunale veger",
)


def _document(title: str, municipality: Municipality, text: str) -> archive_services.DocumentInput:
    content = f"{title}\n\n{text}\n\n{municipality.name}\n".encode()
    return archive_services.DocumentInput(title=title, file_name=f"{title}.txt", content=io.BytesIO(content))


def _monthly(start: dt.date, months: int, hour: int) -> list[dt.datetime]:
    days = []
    for offset in range(months):
        month0 = start.month - 1 + offset
        day = dt.date(start.year + month0 // 12, month0 % 12 + 1, 10)
        if day.month != 7:  # no meetings in the summer holiday
            days.append(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))))
    return days


def _complete(secretary: User, municipality: Municipality, meeting: Meeting, texts: dict[int, str]) -> None:
    """Summon, decide every item (unanimously unless a vote is given) and approve the minutes."""
    services.meeting_summon(actor=secretary, municipality=municipality, meeting=meeting)
    seats = selectors.members_of_body(
        municipality=municipality, body=meeting.body, on=timezone.localdate(meeting.starts_at)
    )
    members = [seat.person for seat in seats if seat.role != "varamedlem"]
    # everyone met, except one member a month who had forfall
    away = members[meeting.starts_at.month % len(members)] if len(members) > 2 else None
    services.meeting_attendance_record(
        actor=secretary,
        municipality=municipality,
        meeting=meeting,
        attendance=[
            services.AttendanceInput(person=person, status="forfall" if person == away else "tilstede")
            for person in members
        ],
    )
    for item in meeting.items.order_by("sequence"):
        services.decision_record(
            actor=secretary,
            municipality=municipality,
            item=item,
            text=texts.get(item.pk, "Innstillingen vedtas."),
            unanimous=True,
        )
    services.meeting_hold(actor=secretary, municipality=municipality, meeting=meeting)
    services.minutes_approve(actor=secretary, municipality=municipality, meeting=meeting)


def load_demo(municipality: Municipality) -> list[str]:
    """The politics demo for one municipality (nothing if it has bodies, or lacks the demo staff)."""
    if Body.objects.filter(municipality=municipality).exists():
        return []
    secretary = core_selectors.user_active_by_username(
        username=SECRETARIAT_USERNAME.format(slug=municipality.slug)
    )
    records_manager = core_selectors.user_active_by_username(
        username=RECORDS_MANAGER_USERNAME.format(slug=municipality.slug)
    )
    series = (
        archive_selectors.series_current(actor=secretary, municipality=municipality)
        if secretary is not None
        else None
    )
    if secretary is None or records_manager is None or series is None:
        return []
    with transaction.atomic():
        publicjournal_services.publication_policy_set(
            actor=records_manager, municipality=municipality, full_text_enabled=True
        )
        term = services.term_create(
            actor=secretary,
            municipality=municipality,
            name="2023–2027",
            starts_on=dt.date(2023, 10, 1),
            ends_on=dt.date(2027, 9, 30),
        )
        kst = services.body_create(
            actor=secretary,
            municipality=municipality,
            name="Kommunestyret",
            abbreviation="KST",
            kind="kommunestyre",
            series=series,
            video_channel=f"https://video.example/{municipality.slug}/kommunestyret",
        )
        bodies = {
            "KST": kst,
            "FSK": services.body_create(
                actor=secretary,
                municipality=municipality,
                name="Formannskapet",
                abbreviation="FSK",
                kind="formannskap",
                series=series,
                parent=kst,
            ),
            "ADM": services.body_create(
                actor=secretary,
                municipality=municipality,
                name="Administrasjonsutvalget",
                abbreviation="ADM",
                kind="utvalg",
                series=series,
                parent=kst,
            ),
        }
        people: dict[str, Person] = {}
        for name, party, seats in MEMBERS:
            address = name.lower().replace(" ", ".").replace("ø", "o").replace("å", "a").replace("æ", "ae")
            person = services.person_create(
                actor=secretary,
                municipality=municipality,
                name=name,
                party=party,
                email=f"{address}@{municipality.slug}.kommune.no",
            )
            people[name] = person
            for abbreviation, role in seats.items():
                services.membership_add(
                    actor=secretary,
                    municipality=municipality,
                    body=bodies[abbreviation],
                    person=person,
                    term=term,
                    role=role,
                )

        today = timezone.localdate()
        start = (today.replace(day=1) - dt.timedelta(days=170)).replace(day=1)
        calendar = {
            "KST": _monthly(start, 12, 18),
            "FSK": [when - dt.timedelta(days=7) + dt.timedelta(hours=-8) for when in _monthly(start, 12, 18)],
            "ADM": [when + dt.timedelta(days=3, hours=-9) for when in _monthly(start, 12, 18)[::2]],
        }
        meetings: dict[str, list[Meeting]] = {}
        for abbreviation, times in calendar.items():
            body = bodies[abbreviation]
            meetings[abbreviation] = [
                services.meeting_schedule(
                    actor=secretary,
                    municipality=municipality,
                    body=body,
                    starts_at=when,
                    ends_at=when + dt.timedelta(hours=3),
                    place="Kommunestyresalen, rådhuset"
                    if abbreviation == "KST"
                    else "Møterom Fjorden, rådhuset",
                    video_url=f"https://video.example/{municipality.slug}/{abbreviation.lower()}-{when:%Y-%m-%d}.mp4"
                    if abbreviation == "KST" and when.date() < today
                    else "",
                )
                for when in times
            ]

        # Routine cases on every meeting; the past meetings are held, decided and their minutes approved.
        for abbreviation, body_meetings in meetings.items():
            for index, meeting in enumerate(body_meetings):
                title = f"{ROUTINE_CASES[index % len(ROUTINE_CASES)]} – {bodies[abbreviation].name}"
                case_file = archive_services.case_file_create(
                    actor=secretary,
                    municipality=municipality,
                    series=series,
                    title=title,
                    administrative_unit="Rådmannens stab",
                    case_responsible="Per Johansen",
                )
                services.agenda_item_add(
                    actor=secretary,
                    municipality=municipality,
                    meeting=meeting,
                    case_file=case_file,
                    title=title,
                    recommendation="Rådmannen tilrår at saken tas til orientering.",
                    documents=[_document("Saksframlegg", municipality, title)],
                )

        # IT-strategi 2013-2016 through ADM → FSK → KST in the three past meetings nearest today.
        def past(abbreviation: str) -> list[Meeting]:
            return [m for m in meetings[abbreviation] if m.starts_at.date() < today]

        kst_meeting = past("KST")[-1]
        fsk_meeting = [m for m in past("FSK") if m.starts_at < kst_meeting.starts_at][-1]
        adm_meeting = [m for m in past("ADM") if m.starts_at < fsk_meeting.starts_at][-1]
        strategy = archive_services.case_file_create(
            actor=secretary,
            municipality=municipality,
            series=series,
            title="IT-strategi 2013-2016",
            administrative_unit="IKT-avdelingen",
            case_responsible="Per Johansen",
        )
        items = {}
        for abbreviation, meeting, recommendation in (
            ("ADM", adm_meeting, "Administrasjonsutvalget slutter seg til forslaget til IT-strategi."),
            (
                "FSK",
                fsk_meeting,
                "Formannskapet innstiller overfor kommunestyret på at IT-strategien vedtas.",
            ),
            ("KST", kst_meeting, "Kommunestyret vedtar IT-strategi 2013-2016."),
        ):
            items[abbreviation] = services.agenda_item_add(
                actor=secretary,
                municipality=municipality,
                meeting=meeting,
                case_file=strategy,
                title="IT-strategi 2013-2016",
                recommendation=recommendation,
                documents=[
                    _document("Saksframlegg IT-strategi 2013-2016", municipality, recommendation),
                    _document(
                        "IT-strategi 2013-2016",
                        municipality,
                        "Informasjon om politiske saker og vedtak publiseres fortløpende på internett.",
                    ),
                ],
            )
        for body_meetings in meetings.values():
            for meeting in body_meetings:
                if meeting.starts_at.date() >= today:
                    continue
                if meeting == kst_meeting:
                    break
                _complete(secretary, municipality, meeting, {})
        # Kommunestyret has met and decided, by vote; its minutes are not approved yet (provisional).
        services.meeting_summon(actor=secretary, municipality=municipality, meeting=kst_meeting)
        for item in kst_meeting.items.order_by("sequence"):
            if item.pk == items["KST"].pk:
                services.decision_record(
                    actor=secretary,
                    municipality=municipality,
                    item=item,
                    text="Kommunestyret vedtar IT-strategi 2013-2016.",
                    votes=[
                        services.VoteInput(choice="for", party="Ap", count=9),
                        services.VoteInput(choice="for", party="Sp", count=5),
                        services.VoteInput(choice="for", party="SV", count=2),
                        services.VoteInput(choice="mot", party="FrP", count=4),
                        services.VoteInput(choice="avstod", person=people["Guro Grønn"]),
                    ],
                    amendments=[
                        services.AmendmentInput(
                            proposed_by="Nils Fremskritt (FrP)",
                            text="Strategien sendes tilbake for en ny kostnadsvurdering.",
                            adopted=False,
                            votes_for=4,
                            votes_against=21,
                        )
                    ],
                )
            else:
                services.decision_record(
                    actor=secretary,
                    municipality=municipality,
                    item=item,
                    text="Innstillingen vedtas.",
                    unanimous=True,
                )
        services.agenda_item_video_set(
            actor=secretary, municipality=municipality, item=items["KST"], offset_seconds=1830
        )
    count = sum(len(m) for m in meetings.values())
    return [f"politics of {municipality.name} (3 bodies, {len(people)} members, {count} meetings)"]


def demo_load(municipalities: list[Municipality]) -> list[str]:
    """The hook ``ekommune demo load`` calls with the demo municipalities."""
    created: list[str] = []
    for municipality in municipalities:
        created += load_demo(municipality)
    return created
