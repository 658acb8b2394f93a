"""Risk assessments: threats on 1–5 scales, measures whose completion recomputes the residual risk,
approval that archives a PDF/A version in a screened case and sets the yearly review, revision
into a new version with the old one still readable, and links from deviations to measures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Role
from ekommune.core.tests.factories import MunicipalityFactory, staff
from ekommune.portal.tests.conftest import pdf_text, pdfa_identification
from ekommune.security import selectors, services
from ekommune.security.models import RiskMeasure, SecuritySettings, Threat
from ekommune.security.tests.factories import assessment_for, deviation_for, security_for
from ekommune.security.types import MeasureInput, ThreatInput

pytestmark = pytest.mark.django_db

DocumentObject = apps.get_model("archive", "DocumentObject")


@pytest.fixture
def security():
    return security_for(MunicipalityFactory.create())


def _threat(**changes: object) -> ThreatInput:
    values: dict[str, object] = {
        "title": "Løsepengevirus",
        "likelihood": 3,
        "confidentiality": 2,
        "integrity": 4,
        "availability": 5,
    }
    values.update(changes)
    return ThreatInput(**values)  # type: ignore[arg-type]


def test_threats_are_numbered_and_start_with_residual_equal_to_inherent(security) -> None:
    assessment = assessment_for(security)
    first, second = assessment.threats.order_by("number")
    assert (first.code, second.code) == ("H1", "H2")
    assert (first.residual_likelihood, first.residual_confidentiality) == (4, 5)
    assert assessment.state == "draft"
    assert assessment.version == 1
    assert AuditEvent.objects.filter(action="security.ros.threat_add").count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"title": " "}, "title", "required"),
        ({"likelihood": 0}, "likelihood", "out_of_scale"),
        ({"availability": 6}, "availability", "out_of_scale"),
    ],
)
def test_a_threat_off_the_scale_is_refused(security, changes, field, code) -> None:
    assessment = assessment_for(security)
    with pytest.raises(ValidationError) as error:
        services.threat_add(
            actor=security.admin,
            municipality=security.municipality,
            assessment=assessment,
            threat=_threat(**changes),
        )
    assert (error.value.field, error.value.code) == (field, code)


def test_the_database_holds_the_scales_and_residual_not_above_inherent(security) -> None:
    threat = assessment_for(security).threats.first()
    assert threat is not None
    for field, value in [("likelihood", 6), ("integrity", 0), ("residual_likelihood", 5)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Threat.objects.filter(pk=threat.pk).update(**{field: value})
    measure = RiskMeasure.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskMeasure.objects.filter(pk=measure.pk).update(status="done")  # without done_at
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskMeasure.objects.filter(pk=measure.pk).update(reduces_likelihood=5)


def test_done_measures_recompute_the_residual_risk_and_undone_ones_restore_it(security) -> None:
    assessment = assessment_for(security)
    threat = assessment.threats.get(number=1)
    measure = RiskMeasure.objects.get(threat=threat)
    services.measure_status_set(
        actor=security.admin, municipality=security.municipality, measure=measure, status="in_progress"
    )
    threat.refresh_from_db()
    assert threat.residual_likelihood == 4  # only done measures count
    done = services.measure_status_set(
        actor=security.admin, municipality=security.municipality, measure=measure, status="done"
    )
    assert done.done_at is not None
    threat.refresh_from_db()
    assert (threat.residual_likelihood, threat.residual_confidentiality, threat.residual_integrity) == (
        2,
        4,
        1,
    )
    event = AuditEvent.objects.filter(action="security.ros.measure_status").last()
    assert event is not None
    assert (event.detail["restrisiko_for"], event.detail["restrisiko"]) == (20, 8)
    services.measure_status_set(
        actor=security.admin, municipality=security.municipality, measure=measure, status="planned"
    )
    threat.refresh_from_db()
    assert threat.residual_likelihood == 4
    with pytest.raises(ValidationError):
        services.measure_status_set(
            actor=security.admin, municipality=security.municipality, measure=measure, status="x"
        )


def test_a_threat_changed_in_a_draft_keeps_its_done_measures(security) -> None:
    assessment = assessment_for(security)
    threat = assessment.threats.get(number=1)
    services.measure_status_set(
        actor=security.admin, municipality=security.municipality, measure=threat.measures.get(), status="done"
    )
    changed = services.threat_update(
        actor=security.admin,
        municipality=security.municipality,
        threat=threat,
        values=_threat(
            title="Uautorisert innsyn i saker", likelihood=5, confidentiality=3, integrity=1, availability=1
        ),
    )
    assert (changed.likelihood, changed.residual_likelihood, changed.residual_confidentiality) == (5, 3, 2)


def test_a_measure_needs_staff_as_owner_words_and_steps_on_the_scale(security) -> None:
    threat = assessment_for(security).threats.get(number=2)
    outsider = staff(MunicipalityFactory.create(), Role.ADMINISTRATOR)
    due = timezone.localdate()
    for measure, field, code in [
        (MeasureInput(description="", owner_id=security.admin.pk, due_date=due), "description", "required"),
        (MeasureInput(description="x", owner_id=outsider.pk, due_date=due), "owner", "not_staff"),
        (MeasureInput(description="x", owner_id=0, due_date=due), "owner", "not_staff"),
        (
            MeasureInput(description="x", owner_id=security.admin.pk, due_date=due, reduces_likelihood=5),
            "reduces_likelihood",
            "out_of_scale",
        ),
    ]:
        with pytest.raises(ValidationError) as error:
            services.measure_add(
                actor=security.admin, municipality=security.municipality, threat=threat, measure=measure
            )
        assert (error.value.field, error.value.code) == (field, code)


def test_a_new_ros_needs_a_known_kind_a_name_and_permission(security) -> None:
    with pytest.raises(ValidationError) as error:
        services.risk_assessment_create(
            actor=security.admin,
            municipality=security.municipality,
            asset_name="x",
            asset_kind="car",
            owner_id=1,
        )
    assert error.value.code == "unknown_asset_kind"
    with pytest.raises(ValidationError) as error:
        services.risk_assessment_create(
            actor=security.admin,
            municipality=security.municipality,
            asset_name=" ",
            asset_kind="system",
            owner_id=security.admin.pk,
        )
    assert error.value.field == "asset_name"
    with pytest.raises(PermissionDeniedError):
        services.risk_assessment_create(
            actor=security.case_worker,
            municipality=security.municipality,
            asset_name="x",
            asset_kind="system",
            owner_id=security.admin.pk,
        )


def test_approval_archives_a_pdfa_version_in_a_screened_case_and_sets_the_review(security) -> None:
    assessment = assessment_for(security)
    approved = services.risk_assessment_approve(
        actor=security.admin, municipality=security.municipality, assessment=assessment
    )
    assert approved.state == "approved"
    assert approved.review_due == timezone.localdate() + dt.timedelta(days=365)
    version = approved.versions.get()
    assert version.number == 1
    assert [t["code"] for t in version.snapshot["threats"]] == ["H1", "H2"]
    entry = archive_selectors.registry_entry_by_system_id(
        actor=security.archive.records_manager,
        municipality=security.municipality,
        system_id=version.entry_system_id,
    )
    assert entry is not None
    assert entry.entry_type == "X"
    assert entry.public_title == "ROS-analyse"
    assert entry.screening is not None
    assert (entry.screening.access_restriction, entry.screening.legal_basis) == (
        "24",
        services.SECURITY_BASIS,
    )
    assert entry.case_file.system_id == approved.case_system_id
    assert entry.case_file.public_title == "ROS-analyse"
    obj = DocumentObject.objects.get(document__links__registry_entry=entry)
    with archive_selectors.document_object_open(
        actor=security.archive.records_manager, municipality=security.municipality, document_object=obj
    ) as stream:
        content = stream.read()
    assert pdfa_identification(content) == ("3", "B")
    text = pdf_text(content)
    assert "Fagsystem for barnevern" in text
    assert "Uautorisert innsyn" in text
    assert "Tilgangsstyring per sak" in text
    with pytest.raises(ConflictError) as error:
        services.threat_add(
            actor=security.admin, municipality=security.municipality, assessment=approved, threat=_threat()
        )
    assert error.value.code == "not_a_draft"


def test_revision_opens_the_next_version_and_the_old_one_stays_readable(security) -> None:
    assessment = services.risk_assessment_approve(
        actor=security.admin, municipality=security.municipality, assessment=assessment_for(security)
    )
    with pytest.raises(ConflictError):
        services.risk_assessment_approve(
            actor=security.admin, municipality=security.municipality, assessment=assessment
        )
    revised = services.risk_assessment_revise(
        actor=security.admin, municipality=security.municipality, assessment=assessment
    )
    assert (revised.state, revised.version) == ("draft", 2)
    with pytest.raises(ConflictError) as error:
        services.risk_assessment_revise(
            actor=security.admin, municipality=security.municipality, assessment=revised
        )
    assert error.value.code == "not_approved"
    services.threat_add(
        actor=security.admin,
        municipality=security.municipality,
        assessment=revised,
        threat=_threat(title="Ny trussel"),
    )
    second = services.risk_assessment_approve(
        actor=security.admin, municipality=security.municipality, assessment=revised
    )
    assert second.case_system_id == assessment.case_system_id  # one case, one entry per version
    first_version = selectors.risk_assessment_version_get(
        actor=security.admin, municipality=security.municipality, assessment=second, number=1
    )
    assert [t["title"] for t in first_version.snapshot["threats"]] == ["Uautorisert innsyn", "Strømbrudd"]
    assert len(second.versions.get(number=2).snapshot["threats"]) == 3
    with pytest.raises(NotFoundError):
        selectors.risk_assessment_version_get(
            actor=security.admin, municipality=security.municipality, assessment=second, number=9
        )


def test_approval_needs_threats_an_intake_user_an_open_series_and_the_case(security) -> None:
    empty = services.risk_assessment_create(
        actor=security.admin,
        municipality=security.municipality,
        asset_name="Tomt",
        asset_kind="process",
        owner_id=security.admin.pk,
    )
    with pytest.raises(ConflictError) as error:
        services.risk_assessment_approve(
            actor=security.admin, municipality=security.municipality, assessment=empty
        )
    assert error.value.code == "no_threats"
    assessment = assessment_for(security)
    SecuritySettings.objects.update(intake_user=None)
    with pytest.raises(ConflictError) as error:
        services.risk_assessment_approve(
            actor=security.admin, municipality=security.municipality, assessment=assessment
        )
    assert error.value.code == "deviations_closed"


def test_approval_without_an_open_series_or_with_its_case_gone_is_refused() -> None:
    municipality = MunicipalityFactory.create()
    admin = staff(municipality, Role.ADMINISTRATOR)
    records_manager = staff(municipality, Role.RECORDS_MANAGER)
    services.security_settings_set(
        actor=admin, municipality=municipality, intake_user=records_manager, privacy_officer=None
    )
    assessment = services.risk_assessment_create(
        actor=admin, municipality=municipality, asset_name="Lønn", asset_kind="system", owner_id=admin.pk
    )
    services.threat_add(actor=admin, municipality=municipality, assessment=assessment, threat=_threat())
    with pytest.raises(ConflictError) as error:
        services.risk_assessment_approve(actor=admin, municipality=municipality, assessment=assessment)
    assert error.value.code == "no_open_series"
    type(assessment).objects.filter(pk=assessment.pk).update(
        case_system_id="00000000-0000-0000-0000-000000000001"
    )
    assessment.refresh_from_db()
    with pytest.raises(NotFoundError) as missing:
        services.risk_assessment_approve(actor=admin, municipality=municipality, assessment=assessment)
    assert missing.value.code == "case_missing"


def test_a_deviation_cause_is_linked_to_a_measure_once(security) -> None:
    deviation = deviation_for(security)
    assessment = assessment_for(security)
    measure = RiskMeasure.objects.get(threat__assessment=assessment)
    link = services.deviation_measure_link(
        actor=security.admin,
        municipality=security.municipality,
        deviation=deviation,
        measure=measure,
        cause=" E-post til feil mottaker ",
    )
    assert link.cause == "E-post til feil mottaker"
    assert list(selectors.measure_links_of_deviation(deviation=deviation)) == [link]
    assert selectors.deviation_links_of_assessment(assessment=assessment) == {measure.pk: [link]}
    with pytest.raises(ConflictError) as error:
        services.deviation_measure_link(
            actor=security.admin,
            municipality=security.municipality,
            deviation=deviation,
            measure=measure,
            cause="igjen",
        )
    assert error.value.code == "already_linked"
    with pytest.raises(ValidationError):
        services.deviation_measure_link(
            actor=security.admin,
            municipality=security.municipality,
            deviation=deviation,
            measure=measure,
            cause="",
        )
    other = security_for(MunicipalityFactory.create())
    with pytest.raises(NotFoundError):
        services.deviation_measure_link(
            actor=other.admin,
            municipality=other.municipality,
            deviation=deviation,
            measure=measure,
            cause="x",
        )
