"""Access requests (innsynskrav) end to end: basket, request, archive entries, queue, answer, e-mail.

The e-mail goes to a real SMTP server process (aiosmtpd) that the test starts on a free port.
"""

from __future__ import annotations

import datetime as dt
import email
import email.header
import mailbox
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ekommune.archive import selectors as archive_selectors
from ekommune.archive.tests.factories import archive_for
from ekommune.core.errors import ConflictError, PermissionDeniedError, ValidationError
from ekommune.core.models import Role
from ekommune.core.tests.factories import MunicipalityFactory, host_client, staff
from ekommune.publicjournal import selectors, services
from ekommune.publicjournal.models import AccessRequest
from ekommune.publicjournal.tests.factories import entry_in
from ekommune.testing import smtp_server_process

pytestmark = pytest.mark.django_db
HOST = "pj-innsyn.test"


@pytest.fixture
def smtp_server(tmp_path: Path, settings: Any) -> Iterator[mailbox.Maildir]:
    """A real SMTP server process (aiosmtpd) delivering into a Maildir; Django points at it."""
    maildir = tmp_path / "maildir"
    with smtp_server_process(maildir) as mailers:
        settings.MAILERS = mailers
        yield mailbox.Maildir(maildir)


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def messages_in(box: mailbox.Maildir, count: int) -> list[Any]:
    """The messages delivered so far, receipts ("mottatt") first."""
    deadline = time.monotonic() + 10
    while len(box) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    found = sorted(box, key=lambda message: "mottatt" not in subject(message))
    assert len(found) == count
    return found


def body_of(message: email.message.Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


@pytest.fixture
def journal():
    archive = archive_for(MunicipalityFactory.create(slug="pj-innsyn", host=HOST, email="post@innsyn.test"))
    entry = entry_in(archive, "Søknad om utvidet skjenketid", documents=("Søknad", "Vedlegg"))
    services.publication_refresh(municipality=archive.municipality)
    services.access_request_settings_set(
        actor=archive.records_manager, municipality=archive.municipality, intake_user=archive.records_manager
    )
    archive.entry = entry
    return archive


def request_access(client, entry_id, data, capture) -> Any:
    client.post("/journal/innsyn/kurv/", {"entry": str(entry_id), "next": "/journal/"})
    with capture(execute=True):
        return client.post("/journal/innsyn/", data)


def test_access_request_from_basket_to_partly_granted_answer_through_a_real_smtp_server(
    journal, smtp_server, django_capture_on_commit_callbacks
):
    visitor = host_client(HOST)
    added = visitor.post(
        "/journal/innsyn/kurv/", {"entry": str(journal.entry.system_id), "next": "/journal/"}
    )
    assert added.status_code == 302
    assert added["Location"] == "/journal/"
    assert "Søknad om utvidet skjenketid" in visitor.get("/journal/innsyn/").content.decode()
    missing = visitor.post("/journal/innsyn/", {"name": "Nina Nysgjerrig"})
    assert missing.status_code == 400
    assert "Skriv e-postadressen din" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = visitor.post("/journal/innsyn/", {"email": "nina@example.org", "name": "Nina Nysgjerrig"})
    assert sent.status_code == 302
    status_path = sent["Location"]
    access = AccessRequest.objects.get()
    assert status_path == f"/journal/innsyn/{access.token}/"
    (receipt,) = messages_in(smtp_server, 1)
    assert receipt["To"] == "nina@example.org"
    assert f"http://{HOST}{status_path}" in body_of(receipt)
    assert access.incoming_registration_id in body_of(receipt)

    # Registered in the archive: an incoming entry in this year's access-request case.
    incoming = archive_selectors.registry_entry_by_system_id(
        actor=journal.case_worker, municipality=journal.municipality, system_id=access.incoming_system_id
    )
    assert incoming.entry_type == "I"
    assert incoming.case_file.title == f"Innsynskrav {dt.date.today().year}"
    assert incoming.correspondence_parties.get().email == "nina@example.org"
    assert incoming.screening.screened_metadata == ["NA"]
    assert visitor.get(status_path).status_code == 200
    assert "Mottatt" in visitor.get(status_path).content.decode()

    # The case workers' queue shows it with its deadline; the answer needs a legal basis and a file.
    worker = host_client(HOST, journal.case_worker)
    queue = worker.get("/ansatt/innsyn/").content.decode()
    assert access.incoming_registration_id in queue
    assert access.deadline.strftime("%-d.%-m.%Y") in queue
    answer_url = f"/ansatt/innsyn/{access.pk}/"
    refused = worker.post(answer_url, {"decision": "delvis", "legal_basis": ""})
    assert refused.status_code == 400
    assert "Oppgi hjemmelen" in refused.content.decode()
    no_file = worker.post(answer_url, {"decision": "delvis", "legal_basis": "Offl. § 13 jf. fvl. § 13"})
    assert "Last opp den sladdede versjonen." in no_file.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answered = worker.post(
            answer_url,
            {
                "decision": "delvis",
                "legal_basis": "Offl. § 13 jf. fvl. § 13",
                "explanation": "Navn på tredjepart er sladdet.",
                "redacted_file": SimpleUploadedFile(
                    "sladdet.pdf", b"%PDF-1.7 sladdet", content_type="application/pdf"
                ),
            },
        )
    assert answered.status_code == 302
    access.refresh_from_db()
    assert access.status == AccessRequest.Status.PARTLY_GRANTED
    outgoing = archive_selectors.registry_entry_by_system_id(
        actor=journal.case_worker, municipality=journal.municipality, system_id=access.answer_system_id
    )
    assert outgoing.entry_type == "U"
    assert outgoing.case_file_id == incoming.case_file_id
    assert outgoing.correspondence_parties.get().party_type == "EM"
    assert incoming.write_offs.get().method == "BE"

    _receipt, answer = messages_in(smtp_server, 2)
    text = body_of(answer)
    assert "delvis innvilget" in subject(answer)
    assert "Offl. § 13 jf. fvl. § 13" in text
    assert "klage" in text.lower()
    link = re.search(rf"http://{re.escape(HOST)}(/journal/innsyn/[^/]+/fil/[0-9a-f-]+/)", text)
    assert link is not None
    download = visitor.get(link.group(1))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 sladdet"
    assert "Delvis innvilget" in visitor.get(status_path).content.decode()
    assert host_client(HOST).get(link.group(1).replace(access.token, "feil-token")).status_code == 404
    again = worker.post(answer_url, {"decision": "avslatt", "legal_basis": "Offl. § 14"})
    assert "allerede besvart" in again.content.decode()


def test_granted_request_links_the_original_documents(
    journal, mailoutbox, django_capture_on_commit_callbacks
):
    visitor = host_client(HOST)
    request_access(
        visitor, journal.entry.system_id, {"email": "ola@example.org"}, django_capture_on_commit_callbacks
    )
    access = AccessRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_decide(
            actor=journal.case_worker,
            municipality=journal.municipality,
            request=access,
            decision="innvilget",
            site_root=f"http://{HOST}/",
        )
    assert [m.subject.split(" –")[0] for m in mailoutbox] == ["Innsynskrav mottatt", "Innsynskrav innvilget"]
    links = re.findall(rf"http://{re.escape(HOST)}(/journal/innsyn/\S+/fil/\S+/)", mailoutbox[1].body)
    assert len(links) == 2
    contents = {b"".join(visitor.get(link).streaming_content) for link in links}
    assert contents == {b"%PDF-1.7 S\xc3\xb8knad", b"%PDF-1.7 Vedlegg"}
    assert "klage" not in mailoutbox[1].body.lower()


def test_refusal_carries_legal_basis_and_appeal_information(
    journal, mailoutbox, django_capture_on_commit_callbacks
):
    request_access(
        host_client(HOST),
        journal.entry.system_id,
        {"email": "ola@example.org"},
        django_capture_on_commit_callbacks,
    )
    access = AccessRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_decide(
            actor=journal.case_worker,
            municipality=journal.municipality,
            request=access,
            decision="avslatt",
            legal_basis="Offl. § 14 første ledd",
        )
    body = mailoutbox[1].body
    assert "Hjemmel: Offl. § 14 første ledd" in body
    assert "Statsforvalteren" in body
    access.refresh_from_db()
    assert access.files.count() == 0
    status = host_client(HOST).get(f"/journal/innsyn/{access.token}/").content.decode()
    assert "Statsforvalteren" in status


def test_bad_input_gets_clear_messages(journal):
    municipality = journal.municipality
    entry_id = str(journal.entry.system_id)
    cases = [
        ({"email": "", "entry_ids": [entry_id]}, "email"),
        ({"email": "ikke-en-adresse", "entry_ids": [entry_id]}, "email"),
        ({"email": "a@example.org", "entry_ids": []}, "entries"),
        ({"email": "a@example.org", "entry_ids": ["ikke-en-id"]}, "entries"),
        ({"email": "a@example.org", "entry_ids": ["00000000-0000-0000-0000-000000000000"]}, "entries"),
    ]
    for arguments, field in cases:
        with pytest.raises(ValidationError) as error:
            services.access_request_submit(municipality=municipality, **arguments)
        assert error.value.field == field
    secret = entry_in(journal, "Gradert", restriction="SF")
    with pytest.raises(ValidationError) as not_public:
        services.access_request_submit(
            municipality=municipality, email="a@example.org", entry_ids=[str(secret.system_id)]
        )
    assert not_public.value.code == "entry_not_public"
    visitor = host_client(HOST)
    assert visitor.post("/journal/innsyn/kurv/", {"entry": str(secret.system_id)}).status_code == 400
    assert visitor.post("/journal/innsyn/kurv/", {"entry": "tull"}).status_code == 400
    empty = visitor.post("/journal/innsyn/", {"email": "a@example.org"})
    assert empty.status_code == 400
    assert "Innsynskurven er tom" in empty.content.decode()
    wrong = visitor.post("/journal/innsyn/", {"email": "ikke-en-adresse", "name": "N" * 201}).content.decode()
    email_error = "Skriv en gyldig e-postadresse i «E-postadresse», som navn@eksempel.no."
    name_error = "Skriv høyst 200 tegn i «Navn (valgfritt)»."
    for field, message in (("email", email_error), ("name", name_error)):
        assert f'<a href="#id_{field}">{message}</a>' in wrong  # the summary's link names the field
        assert f'<p class="field-error" id="id_{field}_error">{message}</p>' in wrong
    assert 'aria-describedby="id_email_helptext id_email_error"' in wrong
    assert visitor.get("/journal/innsyn/finnes-ikke/").status_code == 404
    assert AccessRequest.objects.count() == 0


def test_a_municipality_without_intake_says_where_to_send_the_request() -> None:
    archive = archive_for(MunicipalityFactory.create(email="post@lukket.test"))
    entry = entry_in(archive, "Søknad")
    services.publication_refresh(municipality=archive.municipality)
    with pytest.raises(ConflictError) as error:
        services.access_request_submit(
            municipality=archive.municipality, email="a@example.org", entry_ids=[str(entry.system_id)]
        )
    assert error.value.code == "access_requests_closed"
    assert "post@lukket.test" in error.value.message


def test_queue_flags_overdue_requests_and_only_handlers_see_it(
    journal, django_capture_on_commit_callbacks
) -> None:
    request_access(
        host_client(HOST),
        journal.entry.system_id,
        {"email": "a@example.org"},
        django_capture_on_commit_callbacks,
    )
    AccessRequest.objects.update(deadline=dt.date.today() - dt.timedelta(days=1))
    page = host_client(HOST, journal.case_worker).get("/ansatt/innsyn/").content.decode()
    assert "Fristen er oversittet" in page
    manager = staff(journal.municipality, Role.MANAGEMENT)
    assert host_client(HOST, manager).get("/ansatt/innsyn/").status_code == 403
    assert host_client(HOST).get("/ansatt/innsyn/").status_code == 302  # to the login page
    other = archive_for(MunicipalityFactory.create(host="pj-annen.test"))
    assert (
        host_client("pj-annen.test", other.case_worker).get("/ansatt/innsyn/").content.decode().count("<tr")
        == 1
    )
    access = AccessRequest.objects.get()
    assert (
        host_client("pj-annen.test", other.case_worker).get(f"/ansatt/innsyn/{access.pk}/").status_code == 404
    )
    assert (
        "Vis bare ubesvarte"
        in host_client(HOST, journal.case_worker).get("/ansatt/innsyn/?vis=alle").content.decode()
    )


def test_settings_are_for_the_records_manager_within_bounds(journal) -> None:
    with pytest.raises(PermissionDeniedError):
        services.access_request_settings_set(
            actor=journal.case_worker, municipality=journal.municipality, deadline_working_days=5
        )
    with pytest.raises(ValidationError):
        services.access_request_settings_set(
            actor=journal.records_manager, municipality=journal.municipality, deadline_working_days=40
        )
    outsider = staff(journal.municipality, Role.MANAGEMENT)
    with pytest.raises(ValidationError) as error:
        services.access_request_settings_set(
            actor=journal.records_manager, municipality=journal.municipality, intake_user=outsider
        )
    assert error.value.code == "intake_user_cannot_register"
    row = services.access_request_settings_set(
        actor=journal.records_manager,
        municipality=journal.municipality,
        deadline_working_days=5,
        deadline_basis="Kommunens eget mål",
        appeal_information="Klag til kommunen.",
    )
    assert (row.deadline_working_days, row.deadline_basis) == (5, "Kommunens eget mål")


def test_the_records_manager_sets_policy_and_access_settings_on_one_page(journal) -> None:
    manager = host_client(HOST, journal.records_manager)
    page = manager.get("/ansatt/journal/innstillinger/")
    assert page.status_code == 200
    data = {
        "delay_hours": "4",
        "sensitive_class_prefixes": "F G H 4 X9",
        "full_text_enabled": "on",
        "deadline_working_days": "5",
        "deadline_basis": "Kommunens mål",
        "appeal_information": "Klag til kommunen innen tre uker.",
        "intake_username": "finnes-ikke",
    }
    unknown = manager.post("/ansatt/journal/innstillinger/", data)
    assert unknown.status_code == 400
    assert "Fant ingen aktiv bruker" in unknown.content.decode()
    cannot = manager.post(
        "/ansatt/journal/innstillinger/",
        {**data, "intake_username": staff(journal.municipality, Role.MANAGEMENT).username},
    )
    assert "kan ikke journalføre" in cannot.content.decode()
    saved = manager.post(
        "/ansatt/journal/innstillinger/", {**data, "intake_username": journal.case_worker.username}
    )
    assert saved.status_code == 302
    settings_row = selectors.access_request_settings(municipality=journal.municipality)
    assert (settings_row.deadline_working_days, settings_row.intake_user) == (5, journal.case_worker)
    policy = selectors.publication_policy(municipality=journal.municipality)
    assert (policy.delay_hours, policy.full_text_enabled, policy.sensitive_class_prefixes[-1]) == (
        4,
        True,
        "X9",
    )
    assert host_client(HOST, journal.case_worker).get("/ansatt/journal/innstillinger/").status_code == 403


def test_a_logged_in_citizens_request_shows_on_their_min_side_and_no_one_elses(
    journal, django_capture_on_commit_callbacks
):
    from ekommune.identity.testing import log_in_citizen

    citizen = host_client(HOST)
    log_in_citizen(citizen, name="Nina Nysgjerrig")
    sent = request_access(
        citizen, journal.entry.system_id, {"email": "nina@example.org"}, django_capture_on_commit_callbacks
    )
    assert sent.status_code == 302
    anonymous = host_client(HOST)
    request_access(
        anonymous, journal.entry.system_id, {"email": "anon@example.org"}, django_capture_on_commit_callbacks
    )
    mine, theirs = AccessRequest.objects.order_by("pk")
    assert mine.citizen_id is not None
    assert theirs.citizen_id is None
    page = citizen.get("/min-side/").content.decode()
    assert f"/journal/innsyn/{mine.token}/" in page
    assert mine.incoming_registration_id in page
    assert theirs.token not in page
    other = host_client(HOST)
    log_in_citizen(other, national_identity_number="15038510190", name="Ola Annen")
    assert mine.token not in other.get("/min-side/").content.decode()
