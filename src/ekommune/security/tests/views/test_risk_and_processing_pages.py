"""The ROS pages (list, a ROS with its two matrices and tables, the steps with errors beside their
fields, an approved version), a deviation linked to a measure, the record of processing with its
DPIA checklist, and the public page that shows only what is meant for the public."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.security import services
from ekommune.security.models import DpiaChecklist, ProcessingActivity, RiskAssessment, RiskMeasure
from ekommune.security.tests.factories import assessment_for, deviation_for, processing_input, security_for

pytestmark = pytest.mark.django_db

HOST = "fjordvik.test"


@pytest.fixture
def security():
    return security_for(MunicipalityFactory.create(slug="fjordvik", host=HOST))


def test_a_ros_is_made_filled_and_approved_through_its_pages(security) -> None:
    admin = host_client(HOST, security.admin)
    assert admin.get("/ansatt/sikkerhet/ros/").status_code == 200
    bad = admin.post(
        "/ansatt/sikkerhet/ros/ny/", {"asset_name": "", "asset_kind": "system", "owner": security.admin.pk}
    )
    assert bad.status_code == 400
    response = admin.post(
        "/ansatt/sikkerhet/ros/ny/",
        {"asset_name": "Lønnssystem", "asset_kind": "system", "owner": security.admin.pk, "scope": ""},
    )
    assessment = RiskAssessment.objects.get()
    base = f"/ansatt/sikkerhet/ros/{assessment.pk}"
    assert response["Location"].endswith(f"{base}/")
    threat = {
        "threat-title": "Feil utbetaling",
        "threat-likelihood": "3",
        "threat-confidentiality": "2",
        "threat-integrity": "5",
        "threat-availability": "1",
    }
    off_scale = admin.post(f"{base}/threat/", {**threat, "threat-likelihood": "7"})
    assert off_scale.status_code == 400
    assert 'aria-invalid="true"' in off_scale.content.decode()
    assert admin.post(f"{base}/threat/", threat).status_code == 302
    threat_row = assessment.threats.get()
    measure = {
        "measure-threat": threat_row.pk,
        "measure-description": "Tofaktorgodkjenning av utbetalinger",
        "measure-owner": security.admin.pk,
        "measure-due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "measure-reduces_likelihood": "2",
        "measure-reduces_consequence": "0",
    }
    bad_owner = admin.post(f"{base}/measure/", {**measure, "measure-owner": security.case_worker.pk + 999})
    assert bad_owner.status_code == 400
    assert admin.post(f"{base}/measure/", measure).status_code == 302
    page = admin.get(f"{base}/").content.decode()
    assert page.count('role="img"') == 2
    assert "Risiko før tiltak" in page
    assert "Risiko etter gjennomførte tiltak" in page
    assert "15 (høy)" in page  # 3 × 5
    measure_row = RiskMeasure.objects.get()
    assert (
        admin.post(
            f"{base}/status/",
            {
                "measure_id": measure_row.pk,
                f"m{measure_row.pk}-measure": measure_row.pk,
                f"m{measure_row.pk}-status": "done",
            },
        ).status_code
        == 302
    )
    assert "5 (middels)" in admin.get(f"{base}/").content.decode()  # 1 × 5 after the measure
    assert admin.post(f"{base}/status/", {"measure_id": "999999"}).status_code == 404
    assert (
        admin.post(
            f"{base}/status/", {"measure_id": measure_row.pk, f"m{measure_row.pk}-status": "x"}
        ).status_code
        == 400
    )
    assert admin.post(f"{base}/nothing/").status_code == 404
    assert admin.post(f"{base}/revise/").status_code == 302  # refused: a message, not an error page
    assert "Bare en godkjent analyse kan revideres." in admin.get(f"{base}/").content.decode()
    assert admin.post(f"{base}/approve/").status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == "approved"
    refused = admin.post(f"{base}/threat/", threat)
    assert refused.status_code == 400
    assert "Start en revisjon" in refused.content.decode()
    version = admin.get(f"{base}/versjon/1/").content.decode()
    assert "Feil utbetaling" in version
    assert version.count('role="img"') == 2
    assert admin.get(f"{base}/versjon/2/").status_code == 404
    assert admin.post(f"{base}/revise/").status_code == 302
    listing = admin.get("/ansatt/sikkerhet/ros/").content.decode()
    assert "Lønnssystem" in listing
    assert admin.get("/ansatt/sikkerhet/ros/999999/").status_code == 404


def test_reading_and_writing_a_ros_need_their_permissions(security) -> None:
    assessment = assessment_for(security)
    reporter = host_client(HOST, security.case_worker)
    assert reporter.get(f"/ansatt/sikkerhet/ros/{assessment.pk}/").status_code == 403
    manager = host_client(HOST, security.privacy_officer)  # management reads, does not write
    page = manager.get(f"/ansatt/sikkerhet/ros/{assessment.pk}/").content.decode()
    assert "Uautorisert innsyn" in page
    assert "Legg til en uønsket hendelse" not in page
    assert manager.post(f"/ansatt/sikkerhet/ros/{assessment.pk}/approve/").status_code == 403


def test_a_deviation_is_linked_to_a_ros_measure_from_its_page(security) -> None:
    deviation = deviation_for(security)
    assessment_for(security)
    measure = RiskMeasure.objects.get()
    admin = host_client(HOST, security.admin)
    page = admin.get(f"/ansatt/sikkerhet/avvik/{deviation.pk}/").content.decode()
    assert "Tilgangsstyring per sak" in page
    url = f"/ansatt/sikkerhet/avvik/{deviation.pk}/ros-tiltak/"
    assert admin.post(url, {"link-measure": measure.pk, "link-cause": ""}).status_code == 302
    assert (
        admin.post(url, {"link-measure": measure.pk, "link-cause": "Feil mottaker igjen"}).status_code == 302
    )
    assert admin.post(url, {"link-measure": measure.pk, "link-cause": "To ganger"}).status_code == 302
    page = admin.get(f"/ansatt/sikkerhet/avvik/{deviation.pk}/").content.decode()
    assert "Feil mottaker igjen" in page
    assert "allerede koblet" in page
    ros = admin.get(f"/ansatt/sikkerhet/ros/{measure.threat.assessment_id}/").content.decode()
    assert deviation.number in ros


def test_the_record_of_processing_and_the_dpia_checklist_through_their_pages(security) -> None:
    admin = host_client(HOST, security.admin)
    assert "Protokollen er tom." in admin.get("/ansatt/sikkerhet/behandlinger/").content.decode()
    assert admin.post("/ansatt/sikkerhet/behandlinger/forhandsutfyll/").status_code == 302
    listing = admin.get("/ansatt/sikkerhet/behandlinger/").content.decode()
    assert "Offentlig postjournal" in listing
    assert "Ikke vurdert" in listing
    assert admin.get("/ansatt/sikkerhet/behandlinger/ny/").status_code == 200
    bad = admin.post("/ansatt/sikkerhet/behandlinger/ny/", {"name": "Skoleskyss", "legal_basis_art9": ["h"]})
    assert bad.status_code == 400
    form = {
        "name": "Skoleskyss",
        "purpose": "Skyss",
        "legal_basis_art6": ["e"],
        "legal_basis_art9": ["h"],
        "legal_basis_reference": "",
        "data_subject_categories": "Elever",
        "data_categories": "Navn",
        "retention": "Fem år",
    }
    refused = admin.post("/ansatt/sikkerhet/behandlinger/ny/", form)
    assert refused.status_code == 400
    assert "supplerende rettsgrunnlag" in refused.content.decode()
    assert (
        admin.post(
            "/ansatt/sikkerhet/behandlinger/ny/", {**form, "legal_basis_reference": "Opplæringslova"}
        ).status_code
        == 302
    )
    activity = ProcessingActivity.objects.get(name="Skoleskyss")
    assert activity.published is False
    base = f"/ansatt/sikkerhet/behandlinger/{activity.pk}"
    assert "Ikke vurdert ennå." in admin.get(f"{base}/").content.decode()
    assert admin.get(f"{base}/dpia/").status_code == 200
    assert admin.post(f"{base}/dpia/", {"reasoning": "x"}).status_code == 400
    answers = {
        f"criterion_{key}": "nei"
        for key in (
            "evaluation_scoring",
            "automated_decisions",
            "systematic_monitoring",
            "large_scale",
            "matching_datasets",
            "innovative_technology",
            "prevents_exercising_rights",
        )
    }
    answers |= {
        "criterion_sensitive_data": "ja",
        "criterion_vulnerable_subjects": "ja",
        "on_authority_list": "nei",
        "reasoning": "Barn og helse.",
    }
    assert admin.post(f"{base}/dpia/", answers).status_code == 302
    checklist = DpiaChecklist.objects.get()
    assert checklist.dpia_required
    assert "DPIA påkrevd – ikke gjennomført" in admin.get("/ansatt/sikkerhet/behandlinger/").content.decode()
    complete = f"{base}/dpia/{checklist.pk}/fullfor/"
    assert admin.post(complete, {}).status_code == 302
    assert (
        admin.post(
            complete,
            {f"c{checklist.pk}-summary": "Akseptabel.", f"c{checklist.pk}-high_residual_risk": "nei"},
        ).status_code
        == 302
    )
    assert (
        admin.post(
            complete, {f"c{checklist.pk}-summary": "Igjen.", f"c{checklist.pk}-high_residual_risk": "nei"}
        ).status_code
        == 302
    )
    assert "allerede registrert" in admin.get(f"{base}/").content.decode()
    assert admin.post(f"{base}/dpia/999999/fullfor/", {}).status_code == 404
    assert admin.get("/ansatt/sikkerhet/behandlinger/999999/").status_code == 404
    changed = admin.post(f"{base}/", {**form, "legal_basis_reference": "Opplæringslova", "published": "on"})
    assert changed.status_code == 302
    manager = host_client(HOST, security.privacy_officer)
    assert "Opplæringslova" in manager.get(f"{base}/").content.decode()
    assert manager.post(f"{base}/", form).status_code == 404


def test_the_public_page_shows_the_published_activities_and_nothing_else(security) -> None:
    services.processing_record_prefill(actor=security.admin, municipality=security.municipality)
    services.processing_activity_save(
        actor=security.admin, municipality=security.municipality, data=processing_input()
    )
    services.processing_activity_save(
        actor=security.admin,
        municipality=security.municipality,
        data=processing_input(name="HEMMELIG-UPUBLISERT behandling", published=False),
    )
    page = host_client(HOST).get("/personvern/behandlinger/").content.decode()
    assert "Skoleskyss" in page
    assert "Offentlig postjournal" in page
    assert "Fylkeskommunen" in page
    assert "HEMMELIG" not in page  # security measures, systems, notes, unpublished activities
    assert "hash-kjede" not in page  # the prefilled security measures
    empty = host_client("other.test").get("/personvern/behandlinger/")
    assert empty.status_code == 404  # no municipality at this address
