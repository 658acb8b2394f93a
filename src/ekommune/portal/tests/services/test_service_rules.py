"""The rules of the portal's services at their edges, with the error codes they give."""

from __future__ import annotations

import pytest

from ekommune.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from ekommune.core.models import Municipality
from ekommune.core.tests.factories import host_client
from ekommune.identity.testing import TEST_PERSON_NUMBERS, log_in_citizen
from ekommune.portal import engine, services
from ekommune.portal.models import Draft, PortalSettings
from ekommune.portal.tests.factories import PDF_BYTES, Portal, portal_for, valid_post

pytestmark = pytest.mark.django_db


def who_for(number: str = TEST_PERSON_NUMBERS[0]) -> services.CitizenActor:
    return services.CitizenActor(
        citizen=log_in_citizen(host_client("aust.test"), national_identity_number=number)
    )


def filled_draft(portal: Portal, who: services.CitizenActor) -> Draft:
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    return services.draft_save(
        municipality=portal.municipality,
        who=who,
        draft=draft,
        values=valid_post(),
        uploads=[services.Upload(input_name="vedlegg", file_name="a.pdf", content=PDF_BYTES)],
    )


def test_a_draft_belongs_to_its_citizen(portal: Portal) -> None:
    owner, other = who_for(), who_for(TEST_PERSON_NUMBERS[1])
    draft = filled_draft(portal, owner)
    with pytest.raises(NotFoundError):
        services.draft_save(municipality=portal.municipality, who=other, draft=draft, values={})
    with pytest.raises(NotFoundError):
        services.draft_discard(municipality=portal.municipality, who=other, draft=draft)
    with pytest.raises(ConflictError) as error:
        services.submission_submit(
            municipality=portal.municipality,
            who=other,
            service=portal.service,
            idempotency_key=draft.idempotency_key,
        )
    assert error.value.code == "draft_missing"
    submission = services.submission_submit(
        municipality=portal.municipality,
        who=owner,
        service=portal.service,
        idempotency_key=draft.idempotency_key,
    )
    with pytest.raises(NotFoundError):  # the key of another citizen's submission reveals nothing
        services.submission_submit(
            municipality=portal.municipality,
            who=other,
            service=portal.service,
            idempotency_key=draft.idempotency_key,
        )
    with pytest.raises(NotFoundError):
        services.draft_start(
            municipality=portal.municipality, who=other, service=portal.service, continues=submission
        )
    with pytest.raises(ConflictError) as submitted:
        services.draft_save(municipality=portal.municipality, who=owner, draft=draft, values={})
    assert submitted.value.code == "draft_submitted"


def test_draft_values_are_kept_as_text_lists_or_dropped(portal: Portal) -> None:
    who = who_for()
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    saved = services.draft_save(
        municipality=portal.municipality,
        who=who,
        draft=draft,
        values={"valg": ["a", 2], "x" * 200: "for langt navn", "nul\x00": "borte", "tekst": "a\x00b"},
    )
    assert saved.values == {"valg": ["a", "2"], "tekst": "ab"}
    with pytest.raises(ValidationError) as error:
        services.draft_save(
            municipality=portal.municipality,
            who=who,
            draft=draft,
            values={},
            uploads=[
                services.Upload(
                    input_name="vedlegg", file_name="stor.pdf", content=b"0" * (engine.MAX_FILE_SIZE + 1)
                )
            ],
        )
    assert error.value.code == "file_too_large"


def test_an_invalid_draft_is_not_submitted(portal: Portal) -> None:
    who = who_for()
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    with pytest.raises(ValidationError) as error:
        services.submission_submit(
            municipality=portal.municipality,
            who=who,
            service=portal.service,
            idempotency_key=draft.idempotency_key,
        )
    assert error.value.code == "invalid_submission"
    assert error.value.field == "epost"


def test_submitting_needs_the_portal_account(portal: Portal) -> None:
    who = who_for()
    draft = filled_draft(portal, who)
    PortalSettings.objects.all().delete()
    with pytest.raises(ApplicationError) as error:
        services.submission_submit(
            municipality=portal.municipality,
            who=who,
            service=portal.service,
            idempotency_key=draft.idempotency_key,
        )
    assert error.value.code == "portal_not_configured"


def test_the_system_account_is_made_once(portal: Portal) -> None:
    assert (
        services.portal_system_user_ensure(actor=portal.admin, municipality=portal.municipality)
        == portal.system_user
    )
    assert not portal.system_user.has_usable_password()


def test_catalogue_rules(portal: Portal, municipality_b: Municipality) -> None:
    admin = portal.admin
    with pytest.raises(ValidationError) as unknown:
        services.service_create(actor=admin, municipality=portal.municipality, values={"colour": "red"})
    assert unknown.value.field == "colour"
    with pytest.raises(ValidationError):
        services.service_update(
            actor=admin, municipality=portal.municipality, service=portal.service, values={"x": 1}
        )
    with pytest.raises(ValidationError) as missing:
        services.service_create(actor=admin, municipality=portal.municipality, values={"slug": "tom"})
    assert missing.value.field in {"title", "summary", "life_event", "topic"}
    other = portal_for(municipality_b, slug="annen")
    with pytest.raises(NotFoundError):
        services.service_update(
            actor=admin, municipality=portal.municipality, service=other.service, values={"title": "X"}
        )
    from ekommune.archive import services as archive_services

    other_scheme = archive_services.classification_system_create(
        actor=portal.archive.records_manager,
        municipality=portal.municipality,
        title="Gårds- og bruksnummer",
        classification_type="GBN",
        classes=[("12/34", "Eiendom")],
    )
    with pytest.raises(ValidationError) as wrong_class:
        services.service_update(
            actor=admin,
            municipality=portal.municipality,
            service=portal.service,
            values={"archive_class": other_scheme.classes.get()},
        )
    assert wrong_class.value.code == "wrong_class"
    services.service_create(
        actor=admin,
        municipality=portal.municipality,
        values={"slug": "to", "title": "To", "summary": "S", "life_event": "barn", "topic": "annet"},
    )
    with pytest.raises(ConflictError):
        services.service_update(
            actor=admin, municipality=portal.municipality, service=portal.service, values={"slug": "to"}
        )


def test_form_rules(portal: Portal, municipality_b: Municipality) -> None:
    current = portal.form.current_version()
    assert current is not None
    definition = current.definition
    assert (
        services.form_version_add(
            actor=portal.admin, municipality=portal.municipality, form=portal.form, definition=definition
        )
        == portal.form.current_version()
    )  # an unchanged definition makes no new version
    with pytest.raises(ValidationError) as invalid:
        services.form_version_add(
            actor=portal.admin, municipality=portal.municipality, form=portal.form, definition={}
        )
    assert invalid.value.code == "invalid_definition"
    with pytest.raises(ConflictError):
        services.form_definition_create(
            actor=portal.admin,
            municipality=portal.municipality,
            slug=portal.form.slug,
            title="T",
            definition=definition,
        )
    other = portal_for(municipality_b, slug="annen")
    with pytest.raises(NotFoundError):
        services.form_version_add(
            actor=portal.admin, municipality=portal.municipality, form=other.form, definition=definition
        )
    with pytest.raises(PermissionDeniedError):
        services.form_version_add(
            actor=portal.case_worker,
            municipality=portal.municipality,
            form=portal.form,
            definition=definition,
        )


def test_inbox_rules_across_municipalities(portal: Portal, municipality_b: Municipality) -> None:
    who = who_for()
    draft = filled_draft(portal, who)
    submission = services.submission_submit(
        municipality=portal.municipality,
        who=who,
        service=portal.service,
        idempotency_key=draft.idempotency_key,
    )
    other = portal_for(municipality_b, slug="annen")
    with pytest.raises(NotFoundError):
        services.submission_set_status(
            actor=other.case_worker, municipality=municipality_b, submission=submission, status="decided"
        )
    with pytest.raises(NotFoundError):
        services.submission_reply(
            actor=other.case_worker, municipality=municipality_b, submission=submission, subject="S", body="B"
        )
    with pytest.raises(ValidationError) as no_body:
        services.submission_reply(
            actor=portal.case_worker,
            municipality=portal.municipality,
            submission=submission,
            subject="S",
            body=" ",
        )
    assert no_body.value.field == "body"
    message = services.submission_reply(
        actor=portal.case_worker,
        municipality=portal.municipality,
        submission=submission,
        subject="S",
        body="B",
    )
    with pytest.raises(NotFoundError):
        services.mailbox_message_open(
            municipality=portal.municipality, who=who_for(TEST_PERSON_NUMBERS[1]), message=message
        )
    with pytest.raises(NotFoundError):
        services.submission_submit(
            municipality=portal.municipality,
            who=who_for(TEST_PERSON_NUMBERS[1]),
            service=portal.service,
            idempotency_key=filled_draft(portal, who_for(TEST_PERSON_NUMBERS[1])).idempotency_key,
            continue_submission=submission,
        )
