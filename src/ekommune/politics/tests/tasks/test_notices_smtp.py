"""E-mail notices through a real SMTP server process (aiosmtpd, a Maildir handler, a free local port):
the summons to members, a citizen's double opt-in subscription, agenda and decision notices, unsubscribe."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from ekommune.archive.tests.factories import case_for
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics import services
from ekommune.politics.models import Subscription
from ekommune.politics.tests.factories import body_for, item_for, meeting_for, member, politics_for
from ekommune.testing import maildir_messages, smtp_server_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Path]:
    """A real SMTP server in its own process, storing every message in a Maildir."""
    maildir = tmp_path / "maildir"
    with smtp_server_process(maildir) as mailers, override_settings(MAILERS=mailers):
        yield maildir


def _received(maildir: Path) -> list[tuple[list[str], str, str]]:
    """(recipients, subject, text) of every message the server stored, oldest first."""
    messages = []
    for raw in maildir_messages(maildir):
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        assert body is not None, parsed["Subject"]
        messages.append(
            ([a.strip() for a in str(parsed["To"]).split(",")], str(parsed["Subject"]), body.get_content())
        )
    return messages


def _link(text: str, path: str) -> str:
    match = re.search(rf"https://fjordvik\.test({re.escape(path)}\S*)", text)
    assert match is not None, text
    return match.group(1)


def test_members_get_the_summons_and_a_subscribed_citizen_follows_a_case_until_unsubscribing(
    smtp_server: Path, django_capture_on_commit_callbacks
) -> None:
    politics = politics_for(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    municipality, secretary = politics.municipality, politics.secretary
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    member(politics, fsk, "Ola Ordfører", "Ap", "leder")
    member(politics, fsk, "Kari Høyre", "H")
    first_meeting = meeting_for(politics, fsk)
    case_file = case_for(politics.archive, "IT-strategi 2013-2016")
    item_for(politics, first_meeting, case_file)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_summon(actor=secretary, municipality=municipality, meeting=first_meeting)
    [(to, subject, text)] = _received(smtp_server)
    assert to == ["kari.hoyre@politiker.test", "ola.ordforer@politiker.test"]
    assert subject.startswith("Innkalling til møte i Formannskapet")
    assert "IT-strategi 2013-2016" in text
    assert f"https://fjordvik.test/politikk/moter/{first_meeting.pk}/" in text

    # A citizen subscribes to the case on its page and confirms through the link in the e-mail.
    client = host_client("fjordvik.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/politikk/abonnement/", {"email": "Innbygger@Example.org", "case_number": case_file.file_id}
        )
    assert response.status_code == 200
    to, subject, text = _received(smtp_server)[-1]
    assert to == ["innbygger@example.org"]
    assert client.get(_link(text, "/politikk/abonnement/bekreft/")).status_code == 200
    assert Subscription.objects.get(email="innbygger@example.org").confirmed_at is not None

    # The case goes on another meeting's agenda, and is decided: the citizen hears of both.
    second_meeting = meeting_for(
        politics, fsk, first_meeting.starts_at + (first_meeting.ends_at - first_meeting.starts_at) * 10
    )
    item = item_for(politics, second_meeting, case_file)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_summon(actor=secretary, municipality=municipality, meeting=second_meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(
            actor=secretary,
            municipality=municipality,
            item=item,
            text="Formannskapet vedtar strategien.",
            unanimous=True,
        )
    citizen_mail = [
        (subject, text) for to, subject, text in _received(smtp_server) if to == ["innbygger@example.org"]
    ]
    assert [subject.split(":")[0] for subject, _ in citizen_mail] == [
        "Bekreft abonnementet ditt",
        "Sakskart",
        "Vedtak i Formannskapet, sak 2/" + item.number.split("/")[1],
    ]
    decision_text = citizen_mail[-1][1]
    assert "Formannskapet vedtar strategien." in decision_text
    assert "foreløpig" in decision_text

    # The link in every notice ends the subscription (after a button press, not on a mere GET).
    unsubscribe = _link(decision_text, "/politikk/abonnement/avslutt/")
    assert client.get(unsubscribe).status_code == 200
    assert Subscription.objects.filter(email="innbygger@example.org").exists()
    token = unsubscribe.split("token=", 1)[1]
    assert client.post("/politikk/abonnement/avslutt/", {"token": token}).status_code == 200
    assert not Subscription.objects.filter(email="innbygger@example.org").exists()


def test_bad_subscription_requests_are_refused_with_a_message(smtp_server: Path) -> None:
    MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test")
    client = host_client("fjordvik.test")
    response = client.post("/politikk/abonnement/", {"email": "ikke-en-adresse", "case_number": "2026/1"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post("/politikk/abonnement/", {"email": "a@example.org", "case_number": "2026/999"})
    assert response.status_code == 400
    assert "Fant ingen politisk sak" in response.content.decode()
    response = client.post("/politikk/abonnement/", {"email": "a@example.org"})
    assert response.status_code == 400
    assert "Velg enten et utvalg eller en sak." in response.content.decode()
    assert client.get("/politikk/abonnement/bekreft/", {"token": "feil"}).status_code == 404
    assert client.get("/politikk/abonnement/avslutt/", {"token": "feil"}).status_code == 404
    assert not (smtp_server / "new").exists() or _received(smtp_server) == []
