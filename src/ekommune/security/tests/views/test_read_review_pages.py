"""The security officer's review of the read log: the week's sample with reads outside the reader's
own cases and unit flagged, the review recorded once per week, and who has read data about a person."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core.errors import ConflictError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Role
from ekommune.core.tests.factories import MunicipalityFactory, host_client, staff
from ekommune.security import selectors, services
from ekommune.security.models import ReadReview
from ekommune.security.tests.factories import security_for

pytestmark = pytest.mark.django_db

HOST = "lesevik.test"
PERSON = "01018510002"  # synthetic, with both check digits right


@pytest.fixture
def security(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return security_for(MunicipalityFactory.create(slug="lesevik", host=HOST))


def filed(security, *, responsible: str, unit: str, title: str, party: str = "Ola Nordmann", nin: str = ""):
    """A case with one screened incoming letter from ``party``; its file is what staff read."""
    archive = security.archive
    case_file = archive_services.case_file_create(
        actor=archive.case_worker,
        municipality=security.municipality,
        series=archive.series,
        title=title,
        administrative_unit=unit,
        case_responsible=responsible,
        primary_class=archive.classes["A20"],
    )
    entry = archive_services.registry_entry_register(
        actor=archive.case_worker,
        municipality=security.municipality,
        case_file=case_file,
        entry_type="I",
        title=title,
        parties=[archive_services.PartyInput(party_type="EA", name=party, national_identity_number=nin)],
        documents=[
            archive_services.DocumentInput(
                title="Brev", file_name="brev.pdf", content=io.BytesIO(b"%PDF-1.7")
            )
        ],
        screening=archive_services.ScreeningInput(access_restriction="13", legal_basis="Offl. § 13"),
    )
    return case_file, entry.registered_files[0]


def read(user, security, document_object) -> None:
    stream = archive_selectors.document_object_open(
        actor=user, municipality=security.municipality, document_object=document_object
    )
    stream.close()


@pytest.fixture
def week_of_reads(security):
    """Kari (Oppvekst) reads her own case, a colleague's case in her unit, and a case in Helse."""
    kari = staff(
        security.municipality, Role.CASE_WORKER, username="kari", first_name="Kari", last_name="Nilsen"
    )
    _, own = filed(security, responsible="Kari Nilsen", unit="Oppvekst", title="Barnehageplass", nin=PERSON)
    _, unit = filed(security, responsible="Per Olsen", unit="Oppvekst", title="Skoleskyss")
    foreign_case, foreign = filed(
        security, responsible="Lise Lege", unit="Helse", title="Helsetjeneste", nin=PERSON
    )
    for document_object in (own, unit, foreign):
        read(kari, security, document_object)
    return kari, foreign_case


def monday() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def test_the_sample_flags_only_the_read_outside_own_cases_and_unit(security, week_of_reads) -> None:
    kari, foreign_case = week_of_reads
    week = selectors.read_week(actor=security.admin, municipality=security.municipality, week_start=monday())
    assert week.reads_in_week == 3
    mine = [read for read in week.sample if read.reader_id == kari.pk]
    assert {read.purpose for read in mine if read.flagged} == {foreign_case.file_id}
    assert week.flagged == 1
    page = host_client(HOST, security.admin).get("/ansatt/sikkerhet/lesing/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Utenfor egne saker og enhet" in text
    assert foreign_case.file_id in text
    assert host_client(HOST, kari).get("/ansatt/sikkerhet/lesing/").status_code == 403


def test_a_review_is_recorded_once_per_week_with_the_sample_it_saw(security, week_of_reads) -> None:
    client = host_client(HOST, security.admin)
    refused = client.post("/ansatt/sikkerhet/lesing/", {"outcome": "follow_up", "note": ""})
    assert refused.status_code == 400
    assert "Skriv hva som skal følges opp" in refused.content.decode()
    response = client.post(
        "/ansatt/sikkerhet/lesing/", {"outcome": "follow_up", "note": "Spør Kari om helsesaken."}
    )
    assert response.status_code == 302
    review = ReadReview.objects.get()
    assert (review.reads_in_week, review.sample_size, review.flagged) == (3, 3, 1)
    assert review.reviewed_by == security.admin
    assert AuditEvent.objects.filter(action="security.read_review.record", object_id=str(review.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Spør Kari om helsesaken." in page
    with pytest.raises(ConflictError):
        services.read_review_record(
            actor=security.admin, municipality=security.municipality, week_start=monday(), outcome="in_order"
        )


@pytest.mark.parametrize(
    ("week_start", "outcome", "code"),
    [
        (lambda: monday() + dt.timedelta(days=1), "in_order", "not_a_monday"),
        (lambda: monday() + dt.timedelta(days=7), "in_order", "future_week"),
        (monday, "maybe", "invalid_choice"),
    ],
)
def test_a_review_of_no_week_or_with_no_outcome_is_refused(security, week_start, outcome, code) -> None:
    with pytest.raises(ValidationError) as error:
        services.read_review_record(
            actor=security.admin, municipality=security.municipality, week_start=week_start(), outcome=outcome
        )
    assert error.value.code == code
    with pytest.raises(PermissionDeniedError):
        services.read_review_record(
            actor=security.case_worker,
            municipality=security.municipality,
            week_start=monday(),
            outcome="in_order",
        )


def test_last_weeks_reads_are_in_last_weeks_sample(security) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=7)):
        _, document_object = filed(security, responsible="Kari Nilsen", unit="Oppvekst", title="Eldre sak")
        read(security.case_worker, security, document_object)
    client = host_client(HOST, security.admin)
    last_week = monday() - dt.timedelta(days=7)
    assert client.get(f"/ansatt/sikkerhet/lesing/?uke={last_week:%G-W%V}").context["week"].reads_in_week == 1
    assert client.get("/ansatt/sikkerhet/lesing/?uke=tull").context["week"].week_start == monday()
    assert client.get("/ansatt/sikkerhet/lesing/?uke=2026-W60").context["week"].week_start == monday()


def test_who_has_read_data_about_a_person_by_number_or_name(security, week_of_reads) -> None:
    kari, foreign_case = week_of_reads
    client = host_client(HOST, security.admin)
    found = client.get("/ansatt/sikkerhet/lesing/person/", {"national_identity_number": PERSON}).context[
        "found"
    ]
    assert len(found.case_numbers) == 2
    assert foreign_case.file_id in found.case_numbers
    assert [read.reader_id for read in found.reads] == [kari.pk, kari.pk]
    by_name = client.get("/ansatt/sikkerhet/lesing/person/", {"name": "ola nordmann"}).context["found"]
    assert len(by_name.reads) == 3
    nobody = client.get("/ansatt/sikkerhet/lesing/person/", {"name": "Ingen Person"})
    assert "ikke part i noen sak" in nobody.content.decode()
    empty = client.get("/ansatt/sikkerhet/lesing/person/", {"name": ""})
    assert empty.status_code == 400
    assert "Oppgi fødselsnummer eller navn" in empty.content.decode()
    assert (
        client.get("/ansatt/sikkerhet/lesing/person/", {"national_identity_number": "123"}).status_code == 400
    )
    assert client.get("/ansatt/sikkerhet/lesing/person/").status_code == 200
