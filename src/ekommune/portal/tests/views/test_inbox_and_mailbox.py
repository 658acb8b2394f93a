"""Case workers answer submissions; the letter is archived (U) and lands in the citizen's mailbox."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from ekommune.core.errors import ApplicationError, ConflictError, PermissionDeniedError, ValidationError
from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import host_client, staff
from ekommune.identity.testing import log_in_citizen
from ekommune.portal import selectors, services
from ekommune.portal.models import Draft, MailboxMessage
from ekommune.portal.tests.conftest import Inbox, body_of, pdf_text, pdfa_identification
from ekommune.portal.tests.factories import PDF_BYTES, Portal, portal_for, submit, valid_post

pytestmark = pytest.mark.django_db

RegistryEntry = apps.get_model("archive", "RegistryEntry")
DocumentObject = apps.get_model("archive", "DocumentObject")


@pytest.fixture
def citizen_client(portal: Portal) -> Client:
    return host_client("aust.test")


def test_the_inbox_lists_new_submissions_per_service(portal: Portal) -> None:
    submission = submit(portal)
    client = host_client("aust.test", portal.case_worker)
    page = client.get("/ansatt/innboks/").content.decode()
    assert submission.case_number in page
    assert "Barnehageplass" in page
    counts = selectors.inbox_counts(actor=portal.case_worker, municipality=portal.municipality)
    assert counts == [
        {"service_id": portal.service.pk, "service__title": "Barnehageplass", "received": 1, "open": 1}
    ]
    assert (
        client.get(f"/ansatt/innboks/?status=decided&tjeneste={portal.service.pk}")
        .context["submissions"]
        .count()
        == 0
    )
    assert host_client("aust.test", portal.admin).get("/ansatt/innboks/").status_code == 403


def test_a_case_worker_assigns_and_moves_the_status_forward_only(portal: Portal) -> None:
    submission = submit(portal)
    client = host_client("aust.test", portal.case_worker)
    url = f"/ansatt/innboks/{submission.pk}/"
    assert client.post(url, {"action": "assign", "assignee": portal.case_worker.pk}).status_code == 302
    assert client.post(url, {"action": "status", "status": "under_treatment"}).status_code == 302
    submission.refresh_from_db()
    assert (submission.assigned_to_id, submission.status) == (portal.case_worker.pk, "under_treatment")
    mine = selectors.inbox(actor=portal.case_worker, municipality=portal.municipality, mine=True)
    assert list(mine) == [submission]
    with pytest.raises(ConflictError) as error:
        services.submission_set_status(
            actor=portal.case_worker,
            municipality=portal.municipality,
            submission=submission,
            status="received",
        )
    assert error.value.code == "status_backwards"
    with pytest.raises(ValidationError):
        services.submission_set_status(
            actor=portal.case_worker, municipality=portal.municipality, submission=submission, status="lost"
        )
    with pytest.raises(ValidationError) as not_worker:
        services.submission_assign(
            actor=portal.case_worker,
            municipality=portal.municipality,
            submission=submission,
            assignee=portal.admin,
        )
    assert not_worker.value.code == "not_a_case_worker"


def test_a_reply_is_an_outgoing_entry_in_the_same_case_and_a_letter_in_the_mailbox_with_an_email(
    portal: Portal, citizen_client: Client, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    submission = submit(portal, citizen_client)
    services.letter_template_save(
        actor=portal.admin,
        municipality=portal.municipality,
        name="Vedtak",
        subject="Vedtak: {tjeneste}",
        body="Hei {navn}! Sak {saksnummer} er innvilget. {ukjent}",
    )
    worker = host_client("aust.test", portal.case_worker)
    template = selectors.letter_templates(municipality=portal.municipality).get()
    prefilled = worker.get(f"/ansatt/innboks/{submission.pk}/?mal={template.pk}").content.decode()
    assert f"Hei Kari Nordmann! Sak {submission.case_number} er innvilget. {{ukjent}}" in prefilled
    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(
            f"/ansatt/innboks/{submission.pk}/",
            {
                "action": "reply",
                "subject": "Vedtak: Barnehageplass",
                "body": "Du har fått plass.",
                "decided": "on",
            },
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "decided"
    message = MailboxMessage.objects.get()
    entry = RegistryEntry.objects.get(system_id=message.registry_entry_system_id)
    assert (entry.entry_type, entry.case_file.system_id) == ("U", submission.case_file_system_id)
    assert entry.correspondence_parties.get().party_type == "EM"
    document = DocumentObject.objects.get(system_id=message.document_system_id)
    assert len(document.checksum) == 64
    assert document.mime_type == "application/pdf"

    # The citizen is told by e-mail (not what the letter says), and reads it on Min side.
    assert len(smtp_server.messages) == 1  # the notice (the receipt was sent before this server ran)
    notice = smtp_server.messages[0]
    assert notice["X-Envelope-To"] == "kari@example.org"
    assert "Du har fått plass" not in body_of(notice)
    my_page = citizen_client.get("/min-side/").content.decode()
    assert "Vedtak: Barnehageplass" in my_page
    assert "Ikke lest" in my_page
    assert message.read_at is None
    letter = citizen_client.get(f"/min-side/post/{message.system_id}/")
    assert letter.status_code == 200
    message.refresh_from_db()
    first_read = message.read_at
    assert first_read is not None
    pdf = citizen_client.get(f"/min-side/post/{message.system_id}/brev.pdf")
    content = b"".join(pdf.streaming_content)
    assert pdfa_identification(content) == ("3", "B")
    text = pdf_text(content)  # the letter: our reference, subject, text and who signed it
    assert f"Vår ref. {submission.case_number}" in text
    assert "Vedtak: Barnehageplass" in text
    assert "Du har fått plass." in text
    message.refresh_from_db()
    assert message.read_at == first_read  # the receipt records the first opening
    assert "lest" in worker.get(f"/ansatt/innboks/{submission.pk}/").content.decode()


def test_the_notice_goes_to_the_address_the_citizen_chose_or_nowhere(
    portal: Portal, citizen_client: Client, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    log_in_citizen(citizen_client, name="Kari Nordmann")
    response = citizen_client.post("/min-side/", {"email": "ny@example.org", "notify_by_email": "on"})
    assert response.status_code == 302
    bad = citizen_client.post("/min-side/", {"email": "ikke-epost"})
    assert bad.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(portal, citizen_client)
    assert smtp_server.messages[-1]["X-Envelope-To"] == "ny@example.org"
    citizen_client.post("/min-side/", {"email": "ny@example.org"})  # notices off
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reply(
            actor=portal.case_worker,
            municipality=portal.municipality,
            submission=submission,
            subject="Svar",
            body="Tekst",
        )
    assert len(smtp_server.messages) == 1


def test_a_reply_needs_subject_and_body_and_the_right(portal: Portal) -> None:
    submission = submit(portal)
    with pytest.raises(ValidationError) as error:
        services.submission_reply(
            actor=portal.case_worker,
            municipality=portal.municipality,
            submission=submission,
            subject=" ",
            body="x",
        )
    assert error.value.field == "subject"
    with pytest.raises(PermissionDeniedError):
        services.submission_reply(
            actor=staff(portal.municipality, Role.MANAGEMENT),
            municipality=portal.municipality,
            submission=submission,
            subject="S",
            body="B",
        )
    page = host_client("aust.test", portal.case_worker).post(
        f"/ansatt/innboks/{submission.pk}/", {"action": "reply", "subject": "", "body": ""}
    )
    assert page.status_code == 400
    assert not MailboxMessage.objects.exists()


def test_min_side_shows_submissions_drafts_and_the_access_request_section(
    portal: Portal, citizen_client: Client
) -> None:
    submission = submit(portal, citizen_client)
    page = citizen_client.get("/min-side/").content.decode()
    assert submission.case_number in page
    assert "Mottatt" in page
    assert "Innsynskrav" in page
    citizen_client.get("/tjenester/barnehageplass/skjema/")
    assert not Draft.objects.exists()  # looking at a form leaves no draft behind
    citizen_client.post("/tjenester/barnehageplass/skjema/", {"action": "save", "navn": "Kari"})
    draft = Draft.objects.get()  # saving does
    assert "Slett utkastet til Barnehageplass" in citizen_client.get("/min-side/").content.decode()
    assert citizen_client.post(f"/min-side/utkast/{draft.pk}/slett/").status_code == 302
    assert not Draft.objects.exists()


def test_min_side_needs_a_login(portal: Portal) -> None:
    response = host_client("aust.test").get("/min-side/")
    assert response.status_code == 302
    assert "/innbygger/innlogging/" in response["Location"]


def test_a_citizen_sees_only_their_own_letters_and_submissions(
    portal: Portal, citizen_client: Client
) -> None:
    submission = submit(portal, citizen_client)
    message = services.submission_reply(
        actor=portal.case_worker,
        municipality=portal.municipality,
        submission=submission,
        subject="Svar",
        body="Tekst",
    )
    other = host_client("aust.test")
    log_in_citizen(other, national_identity_number="22078510033", name="Ola")
    assert other.get(f"/min-side/post/{message.system_id}/").status_code == 404
    assert "Svar" not in other.get("/min-side/").content.decode()
    MailboxMessage.objects.filter(pk=message.pk).update(read_at=None)
    assert (
        MailboxMessage.objects.get(pk=message.pk).read_at is None
    )  # the other citizen's visit recorded nothing


def test_staff_of_another_municipality_see_nothing_of_these_submissions(
    portal: Portal, municipality_b: Municipality
) -> None:
    submission = submit(portal)
    other = portal_for(municipality_b, slug="skoleskyss")
    client = host_client("vest.test", other.case_worker)
    assert client.get(f"/ansatt/innboks/{submission.pk}/").status_code == 404
    assert submission.case_number not in client.get("/ansatt/innboks/").content.decode()
    assert list(selectors.inbox(actor=other.case_worker, municipality=municipality_b)) == []
    # and a case worker of Vest has no rights in Aust at all
    assert host_client("aust.test", other.case_worker).get("/ansatt/innboks/").status_code == 403


def test_submitting_needs_the_portal_set_up_and_an_open_service(
    portal: Portal, citizen_client: Client
) -> None:
    citizen = log_in_citizen(citizen_client)
    who = services.CitizenActor(citizen=citizen)
    with pytest.raises(ConflictError):
        services.submission_submit(
            municipality=portal.municipality, who=who, service=portal.service, idempotency_key=uuid.uuid4()
        )
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    services.service_update(
        actor=portal.admin,
        municipality=portal.municipality,
        service=portal.service,
        values={"archive_series": None},
    )
    portal.service.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        services.submission_submit(
            municipality=portal.municipality,
            who=who,
            service=portal.service,
            idempotency_key=draft.idempotency_key,
        )
    assert error.value.code == "service_closed"


def test_acting_for_a_business_makes_the_business_the_sender(portal: Portal, citizen_client: Client) -> None:
    citizen = log_in_citizen(citizen_client, organisation_number="974760673")
    who = services.CitizenActor(citizen=citizen, organisation_number="974760673")
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    services.draft_save(
        municipality=portal.municipality,
        who=who,
        draft=draft,
        values=valid_post(),
        uploads=[services.Upload(input_name="vedlegg", file_name="a.pdf", content=PDF_BYTES)],
    )
    submission = services.submission_submit(
        municipality=portal.municipality,
        who=who,
        service=portal.service,
        idempotency_key=draft.idempotency_key,
    )
    party = RegistryEntry.objects.get(
        system_id=submission.registry_entry_system_id
    ).correspondence_parties.get()
    assert (party.kind, party.organisation_number, party.national_identity_number) == (
        "unit",
        "974760673",
        "",
    )
    assert submission.acting_for == "974760673"


def test_the_case_worker_opens_the_archived_files_of_a_submission(
    portal: Portal, municipality_b: Municipality
) -> None:
    submission = submit(portal)
    client = host_client("aust.test", portal.case_worker)
    page = client.get(f"/ansatt/innboks/{submission.pk}/")
    files = page.context["files"]
    assert [f.file_name for f in files] == ["skjema.pdf", "skjema.json", "a.pdf"]
    assert all(len(f.checksum) == 64 for f in files)
    attachment = client.get(f"/ansatt/innboks/{submission.pk}/fil/{files[2].system_id}/")
    assert attachment.status_code == 200
    assert b"".join(attachment.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    data = client.get(f"/ansatt/innboks/{submission.pk}/fil/{files[1].system_id}/")
    assert b'"barn"' in b"".join(data.streaming_content)  # type: ignore[attr-defined]
    assert client.get(f"/ansatt/innboks/{submission.pk}/fil/{uuid.uuid4()}/").status_code == 404
    other = portal_for(municipality_b, slug="annen")
    assert (
        host_client("vest.test", other.case_worker)
        .get(f"/ansatt/innboks/{submission.pk}/fil/{files[2].system_id}/")
        .status_code
        == 404
    )
