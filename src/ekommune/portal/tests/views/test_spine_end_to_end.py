"""The eKommune spine from end to end, with real parts only.

A citizen logs in through the stand-in ID-porten (a real OpenID provider process on localhost) at
the substantial level, fills in a form with an attachment, submits it and sees the case number on
the receipt; the archive holds the case file, the incoming entry and three documents with
checksums; a case worker replies; the letter is in the citizen's mailbox and a notice arrived at a
real SMTP server.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ekommune.archive import selectors as archive_selectors
from ekommune.core.models import User
from ekommune.core.tests.factories import host_client
from ekommune.identity import oidc
from ekommune.identity.services import identity_provider_create
from ekommune.identity.testing import TEST_PERSON_NUMBERS
from ekommune.identity.types import Level
from ekommune.portal.models import MailboxMessage, Submission
from ekommune.portal.tests.conftest import Inbox
from ekommune.portal.tests.factories import PDF_BYTES, Portal, valid_post
from ekommune.testing import STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET, standin_op

pytestmark = pytest.mark.django_db

CaseFile = apps.get_model("archive", "CaseFile")
RegistryEntry = apps.get_model("archive", "RegistryEntry")
DocumentObject = apps.get_model("archive", "DocumentObject")

FORM = "/tjenester/barnehageplass/skjema/"


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with standin_op() as url:
        yield url


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    oidc.forget_clients()
    yield
    oidc.forget_clients()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _to_provider(client: Client, issuer: str, location: str) -> str:
    """Follow our redirects (and the login page's first provider link) to the provider's URL."""
    while not location.startswith(issuer):
        response = client.get(_path(location))
        if response.status_code == 200:  # the choice of provider: take the first login link
            link = re.search(r'href="([^"]*/innbygger/innlogging/\d+/[^"]*)"', response.content.decode())
            assert link, "the login page offers a provider"
            response = client.get(_path(link.group(1).replace("&amp;", "&")))
        assert response.status_code == 302, response.content
        location = response["Location"]
    return location


def _log_in(client: Client, issuer: str, *, pid: str, level: str) -> Any:
    """Log in at the provider (browser-free) from the form's login redirect; back at our callback."""
    response = client.get(FORM)
    assert response.status_code == 302, "the form asks for a login"
    location = _to_provider(client, issuer, response["Location"])
    request = {key: values[-1] for key, values in parse_qs(urlsplit(location).query).items()}
    answer = requests.get(location, params={"pid": pid, "acr": level}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    assert request["acr_values"] == Level.SUBSTANTIAL
    return client.get(_path(answer.headers["Location"]))


def test_login_form_archive_reply_mailbox_and_email(
    portal: Portal,
    issuer: str,
    operator: User,
    smtp_server: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    identity_provider_create(
        actor=operator,
        municipality=portal.municipality,
        kind="idporten",
        issuer=issuer,
        name="ID-porten",
        client_id=STANDIN_CLIENT_ID,
        client_secret=STANDIN_CLIENT_SECRET,
    )
    citizen = host_client("aust.test")
    pid = TEST_PERSON_NUMBERS[0]

    back = _log_in(citizen, issuer, pid=pid, level=Level.SUBSTANTIAL)
    assert back.status_code == 302
    assert _path(back["Location"]).endswith(FORM)
    form = citizen.get(FORM)
    assert form.status_code == 200
    assert pid in form.content.decode(), "the identity number is prefilled from the login"

    data: dict[str, Any] = dict(valid_post(fodselsnummer=pid), action="next")
    data["vedlegg"] = SimpleUploadedFile("soknad.pdf", PDF_BYTES, content_type="application/pdf")
    summary = citizen.post(FORM, data)
    assert summary.status_code == 302, summary.content.decode()[:2000]
    page = citizen.get(summary["Location"]).content.decode()
    key = page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        receipt = citizen.post(summary["Location"], {"idempotency_key": key})
        again = citizen.post(summary["Location"], {"idempotency_key": key})  # a double click
    assert receipt.status_code == 302
    assert again.status_code in (302, 303)
    submission = Submission.objects.get()
    assert submission.case_number in citizen.get(receipt["Location"]).content.decode()

    # The archive: case file, incoming entry from the citizen, three documents with checksums.
    entry = RegistryEntry.objects.get(system_id=submission.registry_entry_system_id)
    assert entry.entry_type == "I"
    assert CaseFile.objects.get(pk=entry.case_file_id).municipality_id == portal.municipality.pk
    assert entry.correspondence_parties.get().national_identity_number == pid
    objects = list(DocumentObject.objects.filter(document__links__registry_entry=entry))
    assert len(objects) == 3
    for obj in objects:
        with archive_selectors.document_object_open(
            actor=portal.case_worker, municipality=portal.municipality, document_object=obj
        ) as stream:
            assert obj.checksum == hashlib.sha256(stream.read()).hexdigest()
    assert len(smtp_server.messages) == 1, "the receipt e-mail"

    # The case worker answers; the letter is an outgoing entry and lands in the mailbox.
    worker = host_client("aust.test", portal.case_worker)
    with django_capture_on_commit_callbacks(execute=True):
        replied = worker.post(
            f"/ansatt/innboks/{submission.pk}/",
            {"action": "reply", "subject": "Vedtak om barnehageplass", "body": "Du har fått plass."},
        )
    assert replied.status_code == 302
    message = MailboxMessage.objects.get()
    assert RegistryEntry.objects.get(system_id=message.registry_entry_system_id).entry_type == "U"
    assert len(smtp_server.messages) == 2, "the notice of a new letter"
    assert smtp_server.messages[1]["X-Envelope-To"] == "kari@example.org"
    assert "Vedtak om barnehageplass" in citizen.get("/min-side/").content.decode()
    assert citizen.get(f"/min-side/post/{message.system_id}/").status_code == 200


def test_a_service_at_the_high_level_sends_a_substantial_citizen_to_step_up(
    portal: Portal, issuer: str, operator: User
) -> None:
    provider = identity_provider_create(
        actor=operator,
        municipality=portal.municipality,
        kind="idporten",
        issuer=issuer,
        name="ID-porten",
        client_id=STANDIN_CLIENT_ID,
        client_secret=STANDIN_CLIENT_SECRET,
    )
    portal.service.required_level = Level.HIGH
    portal.service.save(update_fields=["required_level"])
    citizen = host_client("aust.test")
    start = f"/innbygger/innlogging/{provider.pk}/?" + urlencode({"level": Level.SUBSTANTIAL, "next": FORM})
    location = citizen.get(start)["Location"]
    answer = requests.get(location, params={"pid": TEST_PERSON_NUMBERS[0]}, allow_redirects=False, timeout=10)
    assert citizen.get(_path(answer.headers["Location"])).status_code == 302
    step_up = citizen.get(FORM)
    assert step_up.status_code == 302
    location = _to_provider(citizen, issuer, step_up["Location"])
    assert parse_qs(urlsplit(location).query)["acr_values"] == [Level.HIGH]
