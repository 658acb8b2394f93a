"""The secretariat's pages: a meeting from the calendar to approved minutes, through forms."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ekommune.archive.tests.factories import PDF_BYTES, case_for
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics.models import AgendaItem, Decision, Meeting
from ekommune.politics.tests.factories import body_for, member, politics_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    politics = politics_for(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    member(politics, fsk, "Ola Ordfører", "Ap", "leder")
    member(politics, fsk, "Kari Høyre", "H")
    return politics


def test_the_secretariat_runs_a_meeting_from_the_calendar_to_approved_minutes(politics) -> None:
    client = host_client("fjordvik.test", politics.secretary)
    fsk = politics.bodies["FSK"]
    assert "Politisk sekretariat" in client.get("/politikk/").content.decode()
    response = client.post(
        "/politikk/sekretariat/",
        {"body": fsk.pk, "starts_at": "2026-12-01T10:00", "ends_at": "2026-12-01T13:00", "place": "Rådhuset"},
    )
    meeting = Meeting.objects.get(body=fsk)
    assert response.status_code == 302
    base = f"/politikk/sekretariat/moter/{meeting.pk}/"
    case_file = case_for(politics.archive, "IT-strategi 2013-2016")
    response = client.post(
        f"{base}saker/",
        {
            "case_number": case_file.file_id,
            "title": "IT-strategi 2013-2016",
            "recommendation": "Strategien vedtas.",
            "document": SimpleUploadedFile("saksframlegg.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.number == "1/26"
    assert client.post(f"{base}innkall/").status_code == 302
    ola = politics.people["Ola Ordfører"]
    kari = politics.people["Kari Høyre"]
    response = client.post(
        f"{base}saker/{item.pk}/vedtak/",
        {
            f"item-{item.pk}-text": "Strategien vedtas.",
            f"item-{item.pk}-votes": "Ap for 5\nH mot 2\nola ordfører: avstod",
            f"item-{item.pk}-amendments": "Kari Høyre (H): E-faktura først (falt)",
            f"item-{item.pk}-disqualified": [kari.pk],
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(item=item)
    assert sorted(decision.votes.exclude(party="").values_list("party", "choice", "count")) == [
        ("Ap", "for", 5),
        ("H", "mot", 2),
    ]
    assert list(decision.amendments.values_list("proposed_by", "text", "adopted")) == [
        ("Kari Høyre (H)", "E-faktura først", False)
    ]
    assert list(decision.votes.filter(person=ola).values_list("choice", flat=True)) == ["avstod"]
    assert list(decision.absences.values_list("person__name", "reason")) == [("Kari Høyre", "inhabil")]
    assert client.post(f"{base}video/", {"video_url": "https://video.example/fsk.mp4"}).status_code == 302
    assert client.post(f"{base}saker/{item.pk}/video/", {f"video-{item.pk}-at": "12:34"}).status_code == 302
    assert client.post(f"{base}saker/{item.pk}/video/", {f"video-{item.pk}-at": "12 min"}).status_code == 400
    item.refresh_from_db()
    assert item.video_offset_seconds == 754
    assert client.post(f"{base}avholdt/").status_code == 302
    assert client.post(f"{base}godkjenn-protokoll/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    assert meeting.video_url == "https://video.example/fsk.mp4"
    page = client.get(base).content.decode()
    assert "Protokoll godkjent" in page


def test_bad_input_is_shown_beside_the_field_and_nothing_is_stored(politics) -> None:
    client = host_client("fjordvik.test", politics.secretary)
    fsk = politics.bodies["FSK"]
    response = client.post(
        "/politikk/sekretariat/",
        {"body": fsk.pk, "starts_at": "2026-12-01T10:00", "ends_at": "2026-12-01T09:00", "place": "Rådhuset"},
    )
    assert response.status_code == 400
    assert "Møtet må slutte etter at det starter." in response.content.decode()
    client.post(
        "/politikk/sekretariat/",
        {"body": fsk.pk, "starts_at": "2026-12-01T10:00", "ends_at": "2026-12-01T13:00", "place": "Rådhuset"},
    )
    meeting = Meeting.objects.get(body=fsk)
    base = f"/politikk/sekretariat/moter/{meeting.pk}/"
    response = client.post(f"{base}saker/", {"case_number": "2026/999", "title": "Finnes ikke"})
    assert response.status_code == 400
    assert "Fant ingen sak 2026/999." in response.content.decode()
    response = client.post(
        f"{base}saker/",
        {"case_number": "2026/1", "title": "Skjermet", "access_restriction": "13", "legal_basis": ""},
    )
    assert response.status_code == 400
    assert "Oppgi hjemmelen for skjermingen." in response.content.decode()
    response = client.post(f"{base}innkall/")
    assert response.status_code == 409
    assert "Sakskartet er tomt." in response.content.decode()
    case_file = case_for(politics.archive)
    client.post(f"{base}saker/", {"case_number": case_file.file_id, "title": "Sak"})
    item = AgendaItem.objects.get(meeting=meeting)
    client.post(f"{base}innkall/")
    response = client.post(
        f"{base}saker/{item.pk}/vedtak/",
        {f"item-{item.pk}-text": "Vedtatt", f"item-{item.pk}-votes": "mange for"},
    )
    assert response.status_code == 400
    assert "Kan ikke lese linjen «mange for»." in response.content.decode()
    response = client.post(
        f"{base}saker/{item.pk}/vedtak/",
        {
            f"item-{item.pk}-text": "Vedtatt",
            f"item-{item.pk}-unanimous": "on",
            f"item-{item.pk}-amendments": "uten kolon",
        },
    )
    assert "Kan ikke lese linjen «uten kolon»." in response.content.decode()
    response = client.post(f"{base}saker/{item.pk}/vedtak/", {f"item-{item.pk}-text": "Vedtatt"})
    assert response.status_code == 400
    assert "Oppgi stemmene, eller at vedtaket var enstemmig." in response.content.decode()
    assert not Decision.objects.exists()
    assert client.post(f"{base}ukjent/").status_code == 404


def test_only_the_secretariat_gets_in(politics) -> None:
    case_worker = host_client("fjordvik.test", politics.archive.case_worker)
    assert case_worker.get("/politikk/sekretariat/").status_code == 403
    assert "Politisk sekretariat" not in case_worker.get("/politikk/").content.decode()
    anonymous = host_client("fjordvik.test")
    assert anonymous.get("/politikk/sekretariat/").status_code == 302  # to the login page
    other = politics_for(MunicipalityFactory.create(slug="nabo", host="nabo.test"))
    assert host_client("fjordvik.test", other.secretary).get("/politikk/sekretariat/").status_code == 403


def test_the_secretariat_keeps_terms_bodies_members_and_seats(politics) -> None:
    client = host_client("fjordvik.test", politics.secretary)
    url = "/politikk/sekretariat/utvalg/"
    assert client.get(url).status_code == 200
    posts = [
        {
            "form": "term",
            "term-name": "2027–2031",
            "term-starts_on": "2027-10-01",
            "term-ends_on": "2031-09-30",
        },
        {
            "form": "body",
            "body-name": "Eldrerådet",
            "body-abbreviation": "ER",
            "body-kind": "raad",
            "body-parent": politics.bodies["FSK"].pk,
        },
        {
            "form": "person",
            "person-name": "Berit Eldre",
            "person-party": "Uavhengig",
            "person-email": "berit@example.org",
        },
    ]
    for data in posts:
        assert client.post(url, data).status_code == 302, data
    from ekommune.politics.models import Body, Membership, Person, Term

    body = Body.objects.get(abbreviation="ER")
    assert body.parent == politics.bodies["FSK"]
    assert body.minutes_case_number  # its minutes go to an archive case of their own
    person = Person.objects.get(email="berit@example.org")
    term = Term.objects.get(name="2027–2031")
    data = {
        "form": "seat",
        "seat-body": body.pk,
        "seat-person": person.pk,
        "seat-term": term.pk,
        "seat-role": "leder",
    }
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(body=body).starts_on.isoformat() == "2027-10-01"
    page = client.get(url).content.decode()
    assert "Berit Eldre (Uavhengig) – Leder, 2027–2031" in page

    response = client.post(url, {**data, "seat-starts_on": "2040-01-01"})
    assert response.status_code == 400
    assert "Vervet må starte innenfor valgperioden." in response.content.decode()
    response = client.post(url, posts[2])
    assert response.status_code == 400
    assert "En folkevalgt med denne e-postadressen finnes allerede." in response.content.decode()
    assert client.post(url, {"form": "ukjent"}).status_code == 404
