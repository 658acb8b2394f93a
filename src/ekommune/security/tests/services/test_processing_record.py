"""The record of processing (art. 30): activities with their legal basis, the prefill of
ekommune's own processing (idempotent), and DPIA checklists whose outcome follows the criteria."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.security import rules, selectors, services
from ekommune.security.models import DpiaChecklist, ProcessingActivity
from ekommune.security.tests.factories import processing_input, security_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def security():
    return security_for(MunicipalityFactory.create(slug="fjordvik"))


def _answers(*met: str) -> dict[str, bool]:
    return {key: key in met for key in rules.DPIA_CRITERION_KEYS}


def test_an_activity_is_saved_and_changed(security) -> None:
    activity = services.processing_activity_save(
        actor=security.admin,
        municipality=security.municipality,
        data=processing_input(legal_basis_art6=("e", "c", "e")),
    )
    assert activity.legal_basis_art6 == ["c", "e"]
    changed = services.processing_activity_save(
        actor=security.admin,
        municipality=security.municipality,
        data=processing_input(name="Skoleskyss og reisestøtte", published=False),
        activity=activity,
    )
    assert (changed.pk, changed.name, changed.published) == (activity.pk, "Skoleskyss og reisestøtte", False)
    assert AuditEvent.objects.filter(action="security.processing.save").count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"purpose": " "}, "purpose", "required"),
        ({"legal_basis_art6": ()}, "legal_basis_art6", "required"),
        ({"legal_basis_art6": ("z",)}, "legal_basis_art6", "unknown_basis"),
        ({"legal_basis_art9": ("q",)}, "legal_basis_art9", "unknown_basis"),
        (
            {"legal_basis_art9": ("h",), "legal_basis_reference": ""},
            "legal_basis_reference",
            "reference_required",
        ),
    ],
)
def test_a_bad_activity_is_refused_naming_its_field(security, changes, field, code) -> None:
    with pytest.raises(ValidationError) as error:
        services.processing_activity_save(
            actor=security.admin, municipality=security.municipality, data=processing_input(**changes)
        )
    assert (error.value.field, error.value.code) == (field, code)
    assert not ProcessingActivity.objects.exists()


def test_the_database_holds_the_legal_basis_rules(security) -> None:
    activity = services.processing_activity_save(
        actor=security.admin, municipality=security.municipality, data=processing_input()
    )
    for changes in [
        {"legal_basis_art6": []},
        {"legal_basis_art6": ["x"]},
        {"legal_basis_art9": ["h"]},
        {"retention": ""},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            ProcessingActivity.objects.filter(pk=activity.pk).update(**changes)  # type: ignore[arg-type]


def test_prefill_writes_ekommunes_own_processing_once(security) -> None:
    created = services.processing_record_prefill(actor=security.admin, municipality=security.municipality)
    assert sorted(activity.key for activity in created) == [
        "access-requests",
        "participation",
        "politics",
        "portal-submissions",
        "public-journal",
    ]
    assert all(activity.published for activity in created)
    assert services.processing_record_prefill(actor=security.admin, municipality=security.municipality) == []
    with pytest.raises(PermissionDeniedError):
        services.processing_record_prefill(actor=security.case_worker, municipality=security.municipality)


def test_the_command_prefills_a_new_municipality(security, capsys) -> None:
    call_command("security", "prefill-processing", "fjordvik", "--actor", security.admin.username)
    assert "5 processing activity(ies) written." in capsys.readouterr().out
    assert ProcessingActivity.objects.filter(municipality=security.municipality).count() == 5
    with pytest.raises(CommandError, match="Unknown municipality"):
        call_command("security", "prefill-processing", "nowhere", "--actor", security.admin.username)
    with pytest.raises(CommandError, match="Unknown user"):
        call_command("security", "prefill-processing", "fjordvik", "--actor", "nobody")
    with pytest.raises(CommandError, match="permission_denied"):
        call_command("security", "prefill-processing", "fjordvik", "--actor", security.case_worker.username)


def test_a_dpia_checklist_records_answers_and_outcome(security) -> None:
    activity = services.processing_activity_save(
        actor=security.admin, municipality=security.municipality, data=processing_input()
    )
    one = services.dpia_checklist_record(
        actor=security.admin,
        municipality=security.municipality,
        activity=activity,
        answers=_answers("large_scale"),
        on_authority_list=False,
        reasoning="Bare stor skala.",
    )
    assert (one.criteria_met, one.dpia_required, one.outcome) == (1, False, "not_required")
    listed = services.dpia_checklist_record(
        actor=security.admin,
        municipality=security.municipality,
        activity=activity,
        answers=_answers(),
        on_authority_list=True,
        reasoning="På Datatilsynets liste.",
    )
    assert listed.outcome == "required"
    two = services.dpia_checklist_record(
        actor=security.admin,
        municipality=security.municipality,
        activity=activity,
        answers=_answers("sensitive_data", "vulnerable_subjects"),
        on_authority_list=False,
        reasoning="Barn og helseopplysninger.",
    )
    assert (two.criteria_met, two.dpia_required) == (2, True)
    assert selectors.dpia_current(activity=activity) == two
    assert two.answers["sensitive_data"] is True
    done = services.dpia_complete(
        actor=security.admin,
        municipality=security.municipality,
        checklist=two,
        summary="Risikoen er akseptabel med tiltakene.",
        high_residual_risk=False,
    )
    assert done.outcome == "completed"
    with pytest.raises(ConflictError) as error:
        services.dpia_complete(
            actor=security.admin,
            municipality=security.municipality,
            checklist=two,
            summary="x",
            high_residual_risk=True,
        )
    assert error.value.code == "already_completed"
    with pytest.raises(ConflictError) as error:
        services.dpia_complete(
            actor=security.admin,
            municipality=security.municipality,
            checklist=one,
            summary="x",
            high_residual_risk=True,
        )
    assert error.value.code == "dpia_not_required"
    with pytest.raises(ValidationError):
        services.dpia_complete(
            actor=security.admin,
            municipality=security.municipality,
            checklist=listed,
            summary=" ",
            high_residual_risk=True,
        )
    consult = services.dpia_complete(
        actor=security.admin,
        municipality=security.municipality,
        checklist=listed,
        summary="Høy.",
        high_residual_risk=True,
    )
    assert consult.outcome == "prior_consultation"


def test_a_checklist_must_be_complete_reasoned_and_consistent(security) -> None:
    activity = services.processing_activity_save(
        actor=security.admin, municipality=security.municipality, data=processing_input()
    )
    with pytest.raises(ValidationError) as error:
        services.dpia_checklist_record(
            actor=security.admin,
            municipality=security.municipality,
            activity=activity,
            answers={"large_scale": True},
            on_authority_list=False,
            reasoning="x",
        )
    assert error.value.code == "incomplete_answers"
    with pytest.raises(ValidationError) as error:
        services.dpia_checklist_record(
            actor=security.admin,
            municipality=security.municipality,
            activity=activity,
            answers=_answers(),
            on_authority_list=False,
            reasoning=" ",
        )
    assert error.value.field == "reasoning"
    other = security_for(MunicipalityFactory.create())
    with pytest.raises(NotFoundError):
        services.dpia_checklist_record(
            actor=other.admin,
            municipality=other.municipality,
            activity=activity,
            answers=_answers(),
            on_authority_list=False,
            reasoning="x",
        )
    checklist = services.dpia_checklist_record(
        actor=security.admin,
        municipality=security.municipality,
        activity=activity,
        answers=_answers("large_scale"),
        on_authority_list=False,
        reasoning="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DpiaChecklist.objects.filter(pk=checklist.pk).update(
            dpia_required=True
        )  # one criterion is not enough


def test_the_public_list_holds_only_public_fields_of_published_activities(security) -> None:
    services.processing_activity_save(
        actor=security.admin,
        municipality=security.municipality,
        data=processing_input(
            legal_basis_art9=("h",), legal_basis_reference="Helse- og omsorgstjenesteloven"
        ),
    )
    services.processing_activity_save(
        actor=security.admin,
        municipality=security.municipality,
        data=processing_input(name="Upublisert", published=False),
    )
    [public] = selectors.public_processing_activities(municipality=security.municipality)
    assert public.name == "Skoleskyss"
    assert public.legal_basis_art6 == ("e) oppgave i allmennhetens interesse eller offentlig myndighet",)
    assert public.legal_basis_art9 == ("h) helse- og sosialtjenester",)
    assert "HEMMELIG" not in repr(public)
    assert selectors.public_processing_activities(municipality=MunicipalityFactory.create()) == []
