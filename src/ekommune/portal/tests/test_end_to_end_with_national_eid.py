"""Acceptance, end to end: login with (stand-in) ID-porten at substantial → form with an attachment →
submit → receipt with case number → case file, incoming entry and three documents with checksums in
the archive → a case worker replies → the letter is in the citizen's mailbox and the e-mails arrived at
a real SMTP server. Then a service that needs the high level sends the citizen to step up.

The OpenID provider is the stand-in (``ekommune.identity.standin_op``), a separate process on localhost;
the SMTP server is aiosmtpd. No part is mocked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from ekommune.archive import selectors as archive_selectors
from ekommune.core.tests.factories import host_client
from ekommune.identity.testing import local, log_in_through_provider, provider_answer, standin_provider
from ekommune.portal import services
from ekommune.portal.models import Draft, MailboxMessage, Submission
from ekommune.portal.tests.conftest import Inbox
from ekommune.portal.tests.factories import PDF_BYTES, Portal, valid_post
from ekommune.testing import standin_op

pytestmark = pytest.mark.django_db

CaseFile = apps.get_model("archive", "CaseFile")
RegistryEntry = apps.get_model("archive", "RegistryEntry")
DocumentObject = apps.get_model("archive", "DocumentObject")

FORM = "/tjenester/barnehageplass/skjema/"


@pytest.fixture(scope="module")
def op_issuer() -> Iterator[str]:
    with standin_op() as issuer:
        yield issuer


def test_login_with_national_eid_then_submit_reply_and_mailbox(
    portal: Portal, op_issuer: str, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    standin_provider(portal.municipality, op_issuer)
    citizen = host_client("aust.test")

    # The form needs a login: the gate → our login page → the provider → back to the form.
    gate = citizen.get(FORM)
    assert gate.status_code == 302
    login_page = citizen.get(gate["Location"])
    start = login_page.context["choices"][0][1]
    back = log_in_through_provider(citizen, start, pid="01018510002")
    assert back.status_code == 302
    assert back["Location"] == FORM
    form = citizen.get(FORM).content.decode()
    assert "Kari Nordmann" in form  # prefilled from the ID token
    assert "01018510002" in form

    # Fill in, summary, submit.
    response = citizen.post(
        FORM,
        dict(
            valid_post(),
            action="next",
            vedlegg=SimpleUploadedFile("soknad.pdf", PDF_BYTES, content_type="application/pdf"),
        ),
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(
            FORM + "oppsummering/", {"idempotency_key": str(Draft.objects.get().idempotency_key)}
        )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.case_number in citizen.get(response["Location"]).content.decode()

    # The archive holds the case, the incoming entry from the citizen and three documents.
    case_file = CaseFile.objects.get(pk=submission.case_file_id)
    entry = RegistryEntry.objects.get(pk=submission.registry_entry_id)
    assert (entry.entry_type, entry.case_file_id) == ("I", case_file.pk)
    assert entry.correspondence_parties.get().national_identity_number == "01018510002"
    objects = list(DocumentObject.objects.filter(document__links__registry_entry=entry))
    assert sorted(o.file_name for o in objects) == ["skjema.json", "skjema.pdf", "soknad.pdf"]
    for obj in objects:
        with archive_selectors.document_object_open(
            actor=portal.case_worker, municipality=portal.municipality, document_object=obj
        ) as stream:
            assert obj.checksum == hashlib.sha256(stream.read()).hexdigest()
    assert len(smtp_server.messages) == 1  # the receipt
    assert submission.case_number in smtp_server.messages[0]["Subject"]

    # The case worker replies; the letter lands in the mailbox and a notice is e-mailed.
    worker = host_client("aust.test", portal.case_worker)
    with django_capture_on_commit_callbacks(execute=True):
        reply = worker.post(
            f"/ansatt/innboks/{submission.pk}/",
            {
                "action": "reply",
                "subject": "Vedtak: Barnehageplass",
                "body": "Du har fått plass.",
                "decided": "on",
            },
        )
    assert reply.status_code == 302
    message = MailboxMessage.objects.get()
    assert RegistryEntry.objects.get(pk=message.registry_entry_id).entry_type == "U"
    assert len(smtp_server.messages) == 2
    assert smtp_server.messages[1]["X-Envelope-To"] == "kari@example.org"
    assert "Vedtak: Barnehageplass" in citizen.get("/min-side/").content.decode()
    assert citizen.get(f"/min-side/post/{message.system_id}/").status_code == 200

    # A service that needs the high level sends the same citizen back to the provider for it.
    services.service_update(
        actor=portal.admin,
        municipality=portal.municipality,
        service=portal.service,
        values={"required_level": "idporten-loa-high"},
    )
    gate = citizen.get(FORM)
    assert gate.status_code == 302
    login_page = citizen.get(gate["Location"])
    assert login_page.context["step_up"] is True
    first = citizen.get(login_page.context["choices"][0][1])
    assert parse_qs(urlsplit(first["Location"]).query)["acr_values"] == ["idporten-loa-high"]
    stepped = citizen.get(local(provider_answer(first["Location"], pid="01018510002")))
    assert stepped["Location"] == FORM
    assert citizen.get(FORM).status_code == 200
