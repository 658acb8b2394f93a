"""Demo politics per municipality: a council term, three bodies with members, a year of meetings
(half held with decisions and approved minutes, half planned) and "IT-strategi 2013-2016" going
through Administrasjonsutvalget → Formannskapet → Kommunestyret.

Found and called by ``ekommune demo load`` (``core.demo.app_demo_loaders``) after the archive's
demo; idempotent: a municipality that already has political bodies is left as it is. Every case
it opens is filed under a class of the archive demo's scheme (the bodies' under ``033``), so the
series can be exported as a deposit package.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import selectors as core_selectors
from ekommune.core.models import Municipality, User
from ekommune.politics import selectors, services
from ekommune.politics.models import AgendaItem, Body, Meeting, Person, Term
from ekommune.publicjournal import services as publicjournal_services

SECRETARIAT_USERNAME = "{slug}.politikk"
RECORDS_MANAGER_USERNAME = "{slug}.arkivar"

# name, abbreviation, kind (the bodies below Kommunestyret have it as parent)
BODIES = (
    ("Kommunestyret", "KST", "kommunestyre"),
    ("Formannskapet", "FSK", "formannskap"),
    ("Administrasjonsutvalget", "ADM", "utvalg"),
)
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
# The cases on every meeting's agenda, each with its class in the archive demo's scheme
# (arkivnøkkel: 000 organisation, 210 economy, N01 roads).
ROUTINE_CASES = (
    ("Budsjett og økonomiplan", "210"),
    ("Årsmelding og årsregnskap", "210"),
    ("Reglement for delegering", "000"),
    ("Kommunale avgifter", "210"),
    ("Tilstandsrapport for grunnskolen", "000"),
    ("Plan for vedlikehold av kommunale veger", "N01"),
)
BODIES_CLASS = "033"  # Utvalg, råd og nemnder: the bodies' minutes cases
STRATEGY_TITLE = "IT-strategi 2013-2016"
STRATEGY_CLASS = "064"  # Informasjonsteknologi
STRATEGY_PATH = (
    ("ADM", "Administrasjonsutvalget slutter seg til forslaget til IT-strategi."),
    ("FSK", "Formannskapet innstiller overfor kommunestyret på at IT-strategien vedtas."),
    ("KST", "Kommunestyret vedtar IT-strategi 2013-2016."),
)
CLASSES_NEEDED = frozenset({BODIES_CLASS, STRATEGY_CLASS, *(code for _title, code in ROUTINE_CASES)})


@dataclass
class _Demo:
    """What the steps build on: who works, where cases go, and what the steps before made."""

    municipality: Municipality
    secretary: User
    series: Any
    classes: dict[str, Any]
    today: dt.date
    term: Term | None = None
    bodies: dict[str, Body] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    meetings: dict[str, list[Meeting]] = field(default_factory=dict)

    def case_open(self, title: str, class_id: str, unit: str) -> Any:
        return archive_services.case_file_create(
            actor=self.secretary,
            municipality=self.municipality,
            series=self.series,
            title=title,
            administrative_unit=unit,
            case_responsible="Per Johansen",
            primary_class=self.classes[class_id],
        )

    def past(self, abbreviation: str) -> list[Meeting]:
        return [m for m in self.meetings[abbreviation] if m.starts_at.date() < self.today]


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


def _start(municipality: Municipality) -> _Demo | None:
    """The demo's secretary, the open series and its classes; None when something is missing
    (the demo staff, the archive's series, or a class the demo files its cases under)."""
    secretary = core_selectors.user_active_by_username(
        username=SECRETARIAT_USERNAME.format(slug=municipality.slug)
    )
    if secretary is None:
        return None
    series = archive_selectors.series_current(actor=secretary, municipality=municipality)
    if series is None:
        return None
    classes = {c.class_id: c for c in selectors.series_classes(municipality=municipality, series=series)}
    if not classes.keys() >= CLASSES_NEEDED:
        return None
    return _Demo(
        municipality=municipality,
        secretary=secretary,
        series=series,
        classes=classes,
        today=timezone.localdate(),
    )


def _bodies_create(demo: _Demo) -> None:
    """The term and the three bodies, their minutes cases under ``BODIES_CLASS``."""
    demo.term = services.term_create(
        actor=demo.secretary,
        municipality=demo.municipality,
        name="2023–2027",
        starts_on=dt.date(2023, 10, 1),
        ends_on=dt.date(2027, 9, 30),
    )
    for name, abbreviation, kind in BODIES:
        demo.bodies[abbreviation] = services.body_create(
            actor=demo.secretary,
            municipality=demo.municipality,
            name=name,
            abbreviation=abbreviation,
            kind=kind,
            series=demo.series,
            case_class=BODIES_CLASS,
            parent=demo.bodies.get("KST"),
            video_channel=f"https://video.example/{demo.municipality.slug}/kommunestyret"
            if abbreviation == "KST"
            else "",
        )


def _members_add(demo: _Demo) -> None:
    """The elected members and their seats."""
    assert demo.term is not None
    for name, party, seats in MEMBERS:
        address = name.lower().replace(" ", ".").replace("ø", "o").replace("å", "a").replace("æ", "ae")
        person = services.person_create(
            actor=demo.secretary,
            municipality=demo.municipality,
            name=name,
            party=party,
            email=f"{address}@{demo.municipality.slug}.kommune.no",
        )
        demo.people[name] = person
        for abbreviation, role in seats.items():
            services.membership_add(
                actor=demo.secretary,
                municipality=demo.municipality,
                body=demo.bodies[abbreviation],
                person=person,
                term=demo.term,
                role=role,
            )


def _meetings_schedule(demo: _Demo) -> None:
    """A year of meetings around today: Kommunestyret monthly, Formannskapet a week before it,
    Administrasjonsutvalget every other month; Kommunestyret's past meetings have a recording."""
    start = (demo.today.replace(day=1) - dt.timedelta(days=170)).replace(day=1)
    calendar = {
        "KST": _monthly(start, 12, 18),
        "FSK": [when - dt.timedelta(days=7) + dt.timedelta(hours=-8) for when in _monthly(start, 12, 18)],
        "ADM": [when + dt.timedelta(days=3, hours=-9) for when in _monthly(start, 12, 18)[::2]],
    }
    slug = demo.municipality.slug
    for abbreviation, times in calendar.items():
        demo.meetings[abbreviation] = [
            services.meeting_schedule(
                actor=demo.secretary,
                municipality=demo.municipality,
                body=demo.bodies[abbreviation],
                starts_at=when,
                ends_at=when + dt.timedelta(hours=3),
                place="Kommunestyresalen, rådhuset" if abbreviation == "KST" else "Møterom Fjorden, rådhuset",
                video_url=f"https://video.example/{slug}/{abbreviation.lower()}-{when:%Y-%m-%d}.mp4"
                if abbreviation == "KST" and when.date() < demo.today
                else "",
            )
            for when in times
        ]


def _routine_cases_add(demo: _Demo) -> None:
    """A routine case of its own on every meeting's agenda, with a case presentation."""
    for abbreviation, body_meetings in demo.meetings.items():
        for index, meeting in enumerate(body_meetings):
            routine, class_id = ROUTINE_CASES[index % len(ROUTINE_CASES)]
            title = f"{routine} – {demo.bodies[abbreviation].name}"
            services.agenda_item_add(
                actor=demo.secretary,
                municipality=demo.municipality,
                meeting=meeting,
                case_file=demo.case_open(title, class_id, "Rådmannens stab"),
                title=title,
                recommendation="Rådmannen tilrår at saken tas til orientering.",
                documents=[_document("Saksframlegg", demo.municipality, title)],
            )


def _strategy_add(demo: _Demo) -> dict[str, AgendaItem]:
    """IT-strategi 2013-2016 in ADM → FSK → KST, in the three past meetings nearest today (one
    before the other); the items by body."""
    kst_meeting = demo.past("KST")[-1]
    fsk_meeting = [m for m in demo.past("FSK") if m.starts_at < kst_meeting.starts_at][-1]
    adm_meeting = [m for m in demo.past("ADM") if m.starts_at < fsk_meeting.starts_at][-1]
    meetings = {"ADM": adm_meeting, "FSK": fsk_meeting, "KST": kst_meeting}
    strategy = demo.case_open(STRATEGY_TITLE, STRATEGY_CLASS, "IKT-avdelingen")
    return {
        abbreviation: services.agenda_item_add(
            actor=demo.secretary,
            municipality=demo.municipality,
            meeting=meetings[abbreviation],
            case_file=strategy,
            title=STRATEGY_TITLE,
            recommendation=recommendation,
            documents=[
                _document(f"Saksframlegg {STRATEGY_TITLE}", demo.municipality, recommendation),
                _document(
                    STRATEGY_TITLE,
                    demo.municipality,
                    "Informasjon om politiske saker og vedtak publiseres fortløpende på internett.",
                ),
            ],
        )
        for abbreviation, recommendation in STRATEGY_PATH
    }


def _meeting_complete(demo: _Demo, meeting: Meeting) -> None:
    """Summon, record attendance, decide every item unanimously, hold, approve the minutes."""
    actor, municipality = demo.secretary, demo.municipality
    services.meeting_summon(actor=actor, municipality=municipality, meeting=meeting)
    seats = selectors.members_of_body(
        municipality=municipality, body=meeting.body, on=timezone.localdate(meeting.starts_at)
    )
    members = [seat.person for seat in seats if seat.role != "varamedlem"]
    # everyone met, except one member a month who had forfall
    away = members[meeting.starts_at.month % len(members)] if len(members) > 2 else None
    services.meeting_attendance_record(
        actor=actor,
        municipality=municipality,
        meeting=meeting,
        attendance=[
            services.AttendanceInput(person=person, status="forfall" if person == away else "tilstede")
            for person in members
        ],
    )
    for item in meeting.items.order_by("sequence"):
        services.decision_record(
            actor=actor, municipality=municipality, item=item, text="Innstillingen vedtas.", unanimous=True
        )
    services.meeting_hold(actor=actor, municipality=municipality, meeting=meeting)
    services.minutes_approve(actor=actor, municipality=municipality, meeting=meeting)


def _past_meetings_complete(demo: _Demo, last: Meeting) -> None:
    """Every body's past meetings, in calendar order, up to (not including) ``last``."""
    for body_meetings in demo.meetings.values():
        for meeting in body_meetings:
            if meeting.starts_at.date() >= demo.today:
                continue
            if meeting == last:
                break
            _meeting_complete(demo, meeting)


def _council_decides(demo: _Demo, strategy_item: AgendaItem) -> None:
    """Kommunestyret has met and decided, the strategy by vote; its minutes are not approved yet
    (the decisions are provisional), and the strategy's debate has a time in the recording."""
    actor, municipality = demo.secretary, demo.municipality
    meeting = strategy_item.meeting
    services.meeting_summon(actor=actor, municipality=municipality, meeting=meeting)
    for item in meeting.items.order_by("sequence"):
        if item.pk != strategy_item.pk:
            services.decision_record(
                actor=actor,
                municipality=municipality,
                item=item,
                text="Innstillingen vedtas.",
                unanimous=True,
            )
            continue
        services.decision_record(
            actor=actor,
            municipality=municipality,
            item=item,
            text="Kommunestyret vedtar IT-strategi 2013-2016.",
            votes=[
                services.VoteInput(choice="for", party="Ap", count=9),
                services.VoteInput(choice="for", party="Sp", count=5),
                services.VoteInput(choice="for", party="SV", count=2),
                services.VoteInput(choice="mot", party="FrP", count=4),
                services.VoteInput(choice="avstod", person=demo.people["Guro Grønn"]),
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
    services.agenda_item_video_set(
        actor=actor, municipality=municipality, item=strategy_item, offset_seconds=1830
    )


def load_demo(municipality: Municipality) -> list[str]:
    """The politics demo for one municipality (nothing if it has bodies, or lacks the demo staff,
    the archive's series or its classes)."""
    if Body.objects.filter(municipality=municipality).exists():
        return []
    records_manager = core_selectors.user_active_by_username(
        username=RECORDS_MANAGER_USERNAME.format(slug=municipality.slug)
    )
    demo = _start(municipality)
    if demo is None or records_manager is None:
        return []
    with transaction.atomic():
        publicjournal_services.publication_policy_set(
            actor=records_manager, municipality=municipality, full_text_enabled=True
        )
        _bodies_create(demo)
        _members_add(demo)
        _meetings_schedule(demo)
        _routine_cases_add(demo)
        strategy = _strategy_add(demo)
        _past_meetings_complete(demo, strategy["KST"].meeting)
        _council_decides(demo, strategy["KST"])
    count = sum(len(m) for m in demo.meetings.values())
    return [f"politics of {municipality.name} (3 bodies, {len(demo.people)} members, {count} meetings)"]


def demo_load(municipalities: list[Municipality]) -> list[str]:
    """The hook ``ekommune demo load`` calls with the demo municipalities."""
    created: list[str] = []
    for municipality in municipalities:
        created += load_demo(municipality)
    return created
