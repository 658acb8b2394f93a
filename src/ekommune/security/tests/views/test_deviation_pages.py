"""The register's pages: report in one post, the steps with errors beside their fields, the draft
notice, statistics with chart and table; the citizens' form; and no deviation ever public."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ekommune.core.models import Role
from ekommune.core.tests.factories import MunicipalityFactory, host_client, staff
from ekommune.publicjournal import services as publicjournal_services
from ekommune.security import services
from ekommune.security.models import Deviation
from ekommune.security.tests.factories import SECRET_DESCRIPTION, SECRET_TITLE, deviation_for, security_for

pytestmark = pytest.mark.django_db

HOST = "fjordvik.test"


@pytest.fixture
def security():
    return security_for(MunicipalityFactory.create(slug="fjordvik", host=HOST))


def _when(delta_hours: float = 1) -> str:
    return (timezone.localtime() - dt.timedelta(hours=delta_hours)).strftime("%Y-%m-%dT%H:%M")


def test_staff_report_in_one_post_and_work_it_through_the_register(security) -> None:
    reporter = host_client(HOST, security.case_worker)
    page = reporter.get("/ansatt/sikkerhet/avvik/meld/")
    assert page.status_code == 200
    response = reporter.post(
        "/ansatt/sikkerhet/avvik/meld/",
        {
            "kind": "personal_data_breach",
            "title": SECRET_TITLE,
            "description": "Feil mottaker.",
            "discovered_at": _when(),
        },
        follow=True,
    )
    deviation = Deviation.objects.get()
    assert deviation.number in response.content.decode()
    assert reporter.get("/ansatt/sikkerhet/avvik/").status_code == 403  # reporting is not reading

    handler = host_client(HOST, security.admin)
    listing = handler.get("/ansatt/sikkerhet/avvik/").content.decode()
    assert SECRET_TITLE in listing
    assert "Meldes innen" in listing
    assert SECRET_TITLE in handler.get("/ansatt/sikkerhet/avvik/?status=received").content.decode()
    assert SECRET_TITLE not in handler.get("/ansatt/sikkerhet/avvik/?status=closed").content.decode()
    detail = handler.get(f"/ansatt/sikkerhet/avvik/{deviation.pk}/").content.decode()
    assert "Utkast til melding til Datatilsynet" in detail
    notice = handler.get(f"/ansatt/sikkerhet/avvik/{deviation.pk}/datatilsynet/").content.decode()
    assert security.municipality.organisation_number in notice
    assert "Feil mottaker." in notice

    base = f"/ansatt/sikkerhet/avvik/{deviation.pk}"
    bad = handler.post(
        f"{base}/assess/", {"assess-owner": security.admin.pk, "assess-due_date": "", "assess-assessment": ""}
    )
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.content.decode()
    past = handler.post(
        f"{base}/assess/",
        {"assess-owner": security.admin.pk, "assess-due_date": "2000-01-01", "assess-assessment": "x"},
    )
    assert past.status_code == 400
    assert "Fristen kan ikke være passert." in past.content.decode()
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    assert (
        handler.post(
            f"{base}/assess/",
            {"assess-owner": security.admin.pk, "assess-due_date": due, "assess-assessment": "Alvorlig."},
        ).status_code
        == 302
    )
    refused = handler.post(f"{base}/close/", {"close-closing_note": "Ferdig."})
    assert refused.status_code == 400
    assert "beslutningen om å melde" in refused.content.decode()
    no_reason = handler.post(
        f"{base}/decision/",
        {
            "decision-notify_authority": "nei",
            "decision-reason": "Lav risiko.",
            "decision-persons_notified": "nei",
        },
    )
    assert no_reason.status_code == 400
    assert "Begrunn hvorfor de berørte ikke varsles." in no_reason.content.decode()
    assert (
        handler.post(
            f"{base}/decision/",
            {
                "decision-notify_authority": "ja",
                "decision-reason": "Helseopplysninger om barn.",
                "decision-authority_notified_at": _when(0),
                "decision-persons_notified": "ja",
            },
        ).status_code
        == 302
    )
    assert (
        handler.post(f"{base}/measures/", {"measures-measures": "Rutine for utsending."}).status_code == 302
    )
    assert handler.post(f"{base}/close/", {"close-closing_note": "Ferdig."}).status_code == 302
    deviation.refresh_from_db()
    assert (deviation.state, deviation.notify_authority) == ("closed", True)
    again = handler.post(f"{base}/measures/", {"measures-measures": "Mer."})
    assert again.status_code == 400
    assert "kan ikke gå fra" in again.content.decode()
    assert handler.post(f"{base}/unknown/", {}).status_code == 404
    assert (
        handler.post(
            f"{base}/assess/", {"assess-owner": 0, "assess-due_date": due, "assess-assessment": "x"}
        ).status_code
        == 400
    )


def test_an_owner_who_is_not_staff_and_a_notice_for_other_deviations_are_refused(security) -> None:
    deviation = deviation_for(security, "other")
    handler = host_client(HOST, security.admin)
    outsider = staff(MunicipalityFactory.create(), Role.ADMINISTRATOR)
    response = handler.post(
        f"/ansatt/sikkerhet/avvik/{deviation.pk}/assess/",
        {
            "assess-owner": outsider.pk,
            "assess-due_date": timezone.localdate().isoformat(),
            "assess-assessment": "x",
        },
    )
    assert response.status_code == 400
    assert handler.get(f"/ansatt/sikkerhet/avvik/{deviation.pk}/datatilsynet/").status_code == 404
    assert handler.get("/ansatt/sikkerhet/avvik/999999/").status_code == 404


def test_statistics_show_a_chart_with_a_text_alternative_and_the_table(security) -> None:
    deviation_for(security)
    handler = host_client(HOST, security.admin)
    page = handler.get("/ansatt/sikkerhet/statistikk/").content.decode()
    assert 'role="img"' in page
    assert "<desc" in page
    assert "<table>" in page
    quarter = (timezone.localdate().month - 1) // 3 + 1
    assert f"{quarter}. kv., Brudd på personopplysningssikkerheten: 1" in page
    assert handler.get("/ansatt/sikkerhet/statistikk/?ar=tull").status_code == 200
    assert handler.get("/ansatt/sikkerhet/statistikk/?ar=1900").status_code == 200


def test_settings_page_sets_intake_and_privacy_officer(security) -> None:
    handler = host_client(HOST, security.admin)
    assert handler.get("/ansatt/sikkerhet/innstillinger/").status_code == 200
    bad = handler.post(
        "/ansatt/sikkerhet/innstillinger/", {"intake_user": security.admin.pk, "privacy_officer": ""}
    )
    assert bad.status_code == 400
    assert "kan ikke journalføre" in bad.content.decode()
    ok = handler.post(
        "/ansatt/sikkerhet/innstillinger/",
        {"intake_user": security.archive.records_manager.pk, "privacy_officer": security.admin.pk},
    )
    assert ok.status_code == 302
    assert host_client(HOST, security.case_worker).get("/ansatt/sikkerhet/innstillinger/").status_code == 403


def test_a_citizen_reports_through_the_public_form_and_bad_input_is_shown_beside_the_field(security) -> None:
    client = host_client(HOST)
    assert client.get("/sikkerhet/avvik/").status_code == 200
    bad = client.post(
        "/sikkerhet/avvik/",
        {
            "kind": "other",
            "title": "",
            "description": "Brev med feil navn.",
            "discovered_at": _when(),
            "reporter_email": "x",
        },
    )
    body = bad.content.decode()
    assert bad.status_code == 400
    assert 'id="id_title-error"' in body
    assert "Brev med feil navn." in body
    future = client.post(
        "/sikkerhet/avvik/",
        {"kind": "other", "title": "Brev", "description": "Brev med feil navn.", "discovered_at": _when(-48)},
    )
    assert future.status_code == 400
    assert "fram i tid" in future.content.decode()
    done = client.post(
        "/sikkerhet/avvik/",
        {
            "kind": "personal_data_breach",
            "title": "Brev",
            "description": "Brev med feil navn.",
            "discovered_at": _when(),
        },
    )
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200
    assert Deviation.objects.get().source == "public"


def test_no_deviation_reaches_the_public_journal_unscreened(security) -> None:
    publicjournal_services.publication_policy_set(
        actor=security.archive.records_manager,
        municipality=security.municipality,
        publish_internal_notes=True,
    )
    breach = deviation_for(security)
    deviation_for(security, "information_security")
    client = host_client(HOST)
    client.post(
        "/sikkerhet/avvik/",
        {
            "kind": "personal_data_breach",
            "title": SECRET_TITLE,
            "description": SECRET_DESCRIPTION,
            "discovered_at": _when(),
            "reporter_name": "Torunn Lekkasjeby",
        },
    )
    services.deviation_notification_decide(
        actor=security.admin,
        municipality=security.municipality,
        deviation=breach,
        notify_authority=True,
        reason="Helseopplysninger om barn.",
        persons_notified=True,
    )
    publicjournal_services.publication_refresh(municipality=security.municipality)
    journal = client.get("/journal/").content.decode()
    assert "Avviksmelding" in journal  # published, but only as the screened form
    pages = [
        journal,
        client.get("/journal/feed/").content.decode(),
        client.get("/api/journal/").content.decode(),
    ]
    for text in pages:
        for secret in (SECRET_TITLE, "Lekkasjeby", "diagnoser", "Torunn"):
            assert secret not in text
    for word in ("Elevlister", "Lekkasjeby", "diagnoser"):  # the screened words find nothing
        assert "Avviksmelding" not in client.get("/journal/", {"q": word}).content.decode()
