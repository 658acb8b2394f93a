"""Reads of the security app: the register with its filters, the 72-hour clock, the draft notice
to Datatilsynet, breaches due a reminder, quarterly statistics. Permission is checked here, once."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractQuarter
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from ekommune.core import services as core_services
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.security.models import Deviation, DeviationKind, DeviationState, ReadReview, SecuritySettings
from ekommune.security.reads import READ_SAMPLE_SIZE, person_reads, read_week, this_week, week_bounds
from ekommune.security.types import BreachClock, NoticeField, NoticeSection, QuarterRow

BREACH_HOURS = 72
REMINDER_HOURS = (24, 48)


def deviation_list(*, actor: Actor, municipality: Municipality, state: str = "") -> QuerySet[Deviation]:
    """The municipality's deviations, newest first, optionally in one state."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_VIEW
    )
    rows = Deviation.objects.filter(municipality=municipality).select_related("owner")
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-reported_at", "-pk")


def deviation_get(*, actor: Actor, municipality: Municipality, pk: int) -> Deviation:
    """One deviation of the municipality (another's is ``not_found``)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_VIEW
    )
    row = Deviation.objects.filter(municipality=municipality, pk=pk).select_related("owner").first()
    if row is None:
        raise NotFoundError("Fant ikke avviket.", code="not_found")
    return row


def security_settings(*, municipality: Municipality) -> SecuritySettings | None:
    return (
        SecuritySettings.objects.filter(municipality=municipality)
        .select_related("intake_user", "privacy_officer")
        .first()
    )


def breach_clock(*, deviation: Deviation, now: dt.datetime | None = None) -> BreachClock | None:
    """The 72-hour clock of a personal-data breach, from discovery (None for other deviations)."""
    if deviation.kind != DeviationKind.PERSONAL_DATA_BREACH:
        return None
    now = now or timezone.now()
    deadline = deviation.discovered_at + dt.timedelta(hours=BREACH_HOURS)
    return BreachClock(
        started_at=deviation.discovered_at,
        deadline=deadline,
        hours_left=(deadline - now).total_seconds() / 3600,
        stopped=deviation.notify_authority is not None or deviation.state == DeviationState.CLOSED,
    )


def breaches_due_reminder(*, now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """(deviation id, reminder stage) of every undecided open breach whose 24- or 48-hour mark has
    passed without its reminder; stage 2 when both have (the 48-hour reminder says it all)."""
    now = now or timezone.now()
    due = []
    rows = (
        Deviation.objects.filter(kind=DeviationKind.PERSONAL_DATA_BREACH, notify_authority__isnull=True)
        .exclude(state=DeviationState.CLOSED)
        .filter(discovered_at__lte=now - dt.timedelta(hours=REMINDER_HOURS[0]), reminders_sent__lt=2)
        .values_list("pk", "discovered_at", "reminders_sent")
        .order_by("pk")
    )
    for pk, discovered_at, sent in rows:
        stage = 2 if now - discovered_at >= dt.timedelta(hours=REMINDER_HOURS[1]) else 1
        if stage > sent:
            due.append((pk, stage))
    return due


def reminder_recipients(*, deviation: Deviation) -> list[str]:
    """The owner and the privacy officer; the municipality's post address when neither has e-mail."""
    settings_row = security_settings(municipality=deviation.municipality)
    people = [deviation.owner, settings_row.privacy_officer if settings_row else None]
    addresses = sorted({person.email for person in people if person is not None and person.email})
    return addresses or [deviation.municipality.email]


def site_url(*, municipality: Municipality) -> str:
    """The municipality's address (its primary host name, or the ``/k/<slug>`` path)."""
    domain = municipality.domains.filter(is_primary=True).first()
    return f"https://{domain.host_name}" if domain is not None else f"/k/{municipality.slug}"


def path(name: str, *args: object) -> str:
    """A URL path of this app without the request's script prefix (for links in e-mails)."""
    return "/" + reverse(f"security:{name}", args=args)[len(get_script_prefix()) :]


def _when(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%d.%m.%Y kl. %H:%M}" if value else "Ukjent"


def authority_notice_draft(*, deviation: Deviation) -> list[NoticeSection]:
    """A draft of the notice to Datatilsynet (the sections and fields its form asks for), filled
    from the deviation; what the register does not know is left for the owner to write."""
    municipality = deviation.municipality
    settings_row = security_settings(municipality=municipality)
    officer = settings_row.privacy_officer if settings_row else None
    clock = breach_clock(deviation=deviation)
    late = clock is not None and (deviation.authority_notified_at or timezone.now()) > clock.deadline
    blank = "Fylles ut"

    def section(heading: str, *fields: tuple[str, str]) -> NoticeSection:
        return NoticeSection(heading, tuple(NoticeField(label, value or blank) for label, value in fields))

    return [
        section(
            "Om virksomheten",
            ("Navn på virksomheten", municipality.name),
            ("Organisasjonsnummer", municipality.organisation_number),
            ("Kontaktperson", deviation.owner.get_full_name() if deviation.owner else ""),
            (
                "Personvernombud",
                f"{officer.get_full_name()} <{officer.email}>" if officer else "",
            ),
        ),
        section(
            "Om bruddet",
            ("Saksnummer hos virksomheten", deviation.number),
            ("Når skjedde bruddet", _when(deviation.occurred_at)),
            ("Når ble bruddet oppdaget", _when(deviation.discovered_at)),
            ("Beskrivelse av hva som har skjedd", f"{deviation.title}\n\n{deviation.description}"),
            ("Systemer som er berørt", deviation.systems),
            (
                "Type brudd (konfidensialitet, integritet, tilgjengelighet)",
                deviation.assessment,
            ),
        ),
        section(
            "Berørte personer og personopplysninger",
            ("Kategorier av berørte personer", deviation.person_categories),
            (
                "Omtrentlig antall berørte personer",
                str(deviation.persons_affected) if deviation.persons_affected is not None else "",
            ),
            ("Typer personopplysninger", deviation.data_involved),
        ),
        section(
            "Konsekvenser og tiltak",
            ("Sannsynlige konsekvenser for de berørte", deviation.assessment),
            ("Tiltak som er gjennomført", deviation.immediate_measures),
            ("Tiltak som er planlagt", deviation.measures),
        ),
        section(
            "Varsling av de registrerte",
            (
                "Er de berørte varslet",
                {True: "Ja", False: "Nei", None: ""}[deviation.persons_notified],
            ),
            ("Begrunnelse", deviation.persons_notified_reason),
        ),
        section(
            "Forsinket melding",
            (
                "Grunnen til at meldingen kommer senere enn 72 timer",
                "" if late else "Meldingen sendes innen 72 timer.",
            ),
        ),
    ]


def deviation_statistics(*, actor: Actor, municipality: Municipality, year: int) -> list[QuarterRow]:
    """Deviations reported in ``year`` per quarter and class (every quarter, zeros included)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_VIEW
    )
    counts = (
        Deviation.objects.filter(municipality=municipality, year=year)
        .annotate(quarter=ExtractQuarter("reported_at"))
        .values("quarter")
        .annotate(
            information_security=Count("pk", filter=Q(kind=DeviationKind.INFORMATION_SECURITY)),
            personal_data_breach=Count("pk", filter=Q(kind=DeviationKind.PERSONAL_DATA_BREACH)),
            other=Count("pk", filter=Q(kind=DeviationKind.OTHER)),
        )
    )
    by_quarter = {
        row["quarter"]: (row["information_security"], row["personal_data_breach"], row["other"])
        for row in counts
    }
    return [QuarterRow(quarter, *by_quarter.get(quarter, (0, 0, 0))) for quarter in (1, 2, 3, 4)]


def staff_user(*, municipality: Municipality, user_id: int | None) -> User | None:
    """A member of the municipality's staff by id (None for anyone else)."""
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, memberships__municipality=municipality, is_active=True).first()


# ------------------------------------------------------------------ read review (decision 0226)

__all__ = [
    "READ_SAMPLE_SIZE",
    "person_reads",
    "read_week",
    "this_week",
    "week_bounds",
]  # the review's reads (reads.py)


def read_reviews(*, actor: Actor, municipality: Municipality) -> QuerySet[ReadReview]:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_READ_REVIEW
    )
    return (
        ReadReview.objects.filter(municipality=municipality)
        .select_related("reviewed_by")
        .order_by("-week_start")
    )
