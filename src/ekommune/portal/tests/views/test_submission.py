"""A citizen fills in a form, submits it, and it lands in the archive at once, exactly once."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core.errors import ApplicationError
from ekommune.core.tests.factories import host_client
from ekommune.identity.testing import log_in_citizen
from ekommune.portal import services
from ekommune.portal.models import Draft, Submission
from ekommune.portal.tests.conftest import Inbox, body_of, pdf_text, pdfa_identification
from ekommune.portal.tests.factories import PDF_BYTES, PNG_BYTES, Portal, valid_post

pytestmark = pytest.mark.django_db

# The archive's rows, looked up by name (the portal never imports the archive's models).
CaseFile = apps.get_model("archive", "CaseFile")
RegistryEntry = apps.get_model("archive", "RegistryEntry")
DocumentObject = apps.get_model("archive", "DocumentObject")


@pytest.fixture
def citizen_client(portal: Portal) -> Client:
    client = host_client("aust.test")
    log_in_citizen(client, name="Kari Nordmann")
    return client


def _post_form(
    client: Client,
    values: dict[str, Any],
    *,
    file: bytes | None = PDF_BYTES,
    action: str = "next",
    path: str = "/tjenester/barnehageplass/skjema/",
) -> Any:
    data = dict(values, action=action)
    if file is not None:
        data["vedlegg"] = SimpleUploadedFile("soknad.pdf", file, content_type="application/pdf")
    return client.post(path, data)


def _submit(client: Client) -> Any:
    draft = Draft.objects.get()
    return client.post(
        "/tjenester/barnehageplass/skjema/oppsummering/", {"idempotency_key": str(draft.idempotency_key)}
    )


def test_the_form_asks_for_login_at_the_services_level(portal: Portal) -> None:
    response = host_client("aust.test").get("/tjenester/barnehageplass/skjema/")
    assert response.status_code == 302
    assert "/innbygger/innlogging/?level=idporten-loa-substantial" in response["Location"]


def test_the_form_is_prefilled_with_name_and_identity_number_from_the_login(citizen_client: Client) -> None:
    page = citizen_client.get("/tjenester/barnehageplass/skjema/").content.decode()
    assert 'value="Kari Nordmann"' in page
    assert 'value="01018510002"' in page
    assert '<label for="f-epost">E-post' in page


def test_errors_are_shown_beside_the_field_and_in_a_summary_and_the_input_is_kept(
    citizen_client: Client,
) -> None:
    response = _post_form(
        citizen_client, valid_post(epost="ikke-en-adresse", **{"barn-0-fodselsnummer": "12345678901"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#f-epost"' in page
    assert 'id="f-epost-error"' in page
    assert 'aria-describedby=" f-epost-error"' in page or 'aria-describedby="f-epost-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'id="f-barn-0-fodselsnummer-error"' in page
    assert 'value="ikke-en-adresse"' in page  # nothing typed is lost
    assert Draft.objects.get().values["epost"] == "ikke-en-adresse"


def test_a_correct_form_goes_to_the_summary_and_then_to_the_receipt_with_the_case_number(
    citizen_client: Client, portal: Portal, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    response = _post_form(citizen_client, valid_post())
    assert response.status_code == 302
    assert response["Location"].endswith("/tjenester/barnehageplass/skjema/oppsummering/")
    summary = citizen_client.get(response["Location"]).content.decode()
    assert "Lille Nordmann" in summary
    assert "01.08.2027" in summary
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(citizen_client)
    assert response.status_code == 302
    submission = Submission.objects.get()
    receipt = citizen_client.get(response["Location"]).content.decode()
    assert submission.case_number in receipt
    assert submission.case_number.startswith(f"{submission.submitted_at.year}/")

    # The archive: the case file, an incoming entry with the citizen as sender, three documents.
    case_file = CaseFile.objects.get(system_id=submission.case_file_system_id)
    assert case_file.series_id == portal.archive.series.pk
    assert case_file.primary_class_id == portal.archive.classes["A20"].pk
    entry = RegistryEntry.objects.get(system_id=submission.registry_entry_system_id)
    assert entry.entry_type == "I"
    party = entry.correspondence_parties.get()
    assert (party.party_type, party.name, party.national_identity_number) == (
        "EA",
        "Kari Nordmann",
        "01018510002",
    )
    objects = list(
        DocumentObject.objects.filter(document__links__registry_entry=entry).order_by(
            "document__links__document_number"
        )
    )
    assert [o.file_name for o in objects] == ["skjema.pdf", "skjema.json", "soknad.pdf"]
    assert objects[0].mime_type == "application/pdf"
    for obj in objects:
        with archive_selectors.document_object_open(
            actor=portal.case_worker, municipality=portal.municipality, document_object=obj
        ) as stream:
            content = stream.read()
        assert obj.checksum == hashlib.sha256(content).hexdigest()
        if obj.file_name == "skjema.json":
            data = json.loads(content)
            assert data["data"]["barn"] == [{"navn": "Lille Nordmann", "fodselsnummer": "15038510190"}]
            assert data["referanse"] == str(submission.idempotency_key)
        if obj.file_name == "soknad.pdf":
            assert content == PDF_BYTES
        if obj.file_name == "skjema.pdf":
            assert content.startswith(b"%PDF-")
            assert pdfa_identification(content) == ("3", "B")  # PDF/A-3b, declared in the XMP metadata
            text = pdf_text(content)  # the form as the citizen filled it in, with its reference
            assert "Lille Nordmann" in text
            assert str(submission.idempotency_key) in text
    assert not Draft.objects.exists()

    # The receipt e-mail, through a real SMTP server.
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["X-Envelope-To"] == "kari@example.org"
    assert submission.case_number in mail["Subject"]
    assert submission.case_number in body_of(mail)
    assert "01018510002" not in body_of(mail)

    # The receipt PDF can be downloaded by the citizen.
    pdf = citizen_client.get(f"/min-side/innsendinger/{submission.system_id}/kvittering.pdf")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_reload_or_double_click_gives_one_submission(citizen_client: Client) -> None:
    _post_form(citizen_client, valid_post())
    key = Draft.objects.get().idempotency_key
    first = _submit_key(citizen_client, key)
    second = _submit_key(citizen_client, key)
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert RegistryEntry.objects.filter(entry_type="I").count() == 1


def _submit_key(client: Client, key: Any) -> Any:
    return client.post("/tjenester/barnehageplass/skjema/oppsummering/", {"idempotency_key": str(key)})


def test_when_the_archive_refuses_nothing_is_kept_and_the_draft_stays(
    portal: Portal, citizen_client: Client
) -> None:
    _post_form(citizen_client, valid_post())
    archive_services.series_close(
        actor=portal.archive.records_manager,
        municipality=portal.municipality,
        series=portal.archive.series,
        period_end=portal.archive.series.period_start or __import__("datetime").date.today(),
    )
    cases_before = CaseFile.objects.count()
    draft = Draft.objects.get()
    with pytest.raises(ApplicationError) as error:
        services.submission_submit(
            municipality=portal.municipality,
            who=services.CitizenActor(citizen=draft.citizen),
            service=portal.service,
            idempotency_key=draft.idempotency_key,
        )
    assert error.value.code == "series_closed"
    assert CaseFile.objects.count() == cases_before
    assert not Submission.objects.exists()
    assert Draft.objects.get().values == draft.values
    assert Draft.objects.get().attachments.count() == 1


def test_a_failure_after_the_archive_rolls_the_archive_back_too(
    portal: Portal, citizen_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _post_form(citizen_client, valid_post())
    draft = Draft.objects.get()
    entries_before = RegistryEntry.objects.count()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Submission.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.submission_submit(
            municipality=portal.municipality,
            who=services.CitizenActor(citizen=draft.citizen),
            service=portal.service,
            idempotency_key=draft.idempotency_key,
        )
    assert RegistryEntry.objects.count() == entries_before
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_an_attachment_whose_content_is_not_what_is_allowed_is_refused(citizen_client: Client) -> None:
    response = _post_form(citizen_client, valid_post(), file=PNG_BYTES)
    assert response.status_code == 400
    assert "Filtypen i «Vedlegg» er ikke tillatt" in response.content.decode()
    fake = _post_form(citizen_client, valid_post(), file=b"MZ\x90\x00 this is an exe renamed .pdf")
    assert fake.status_code == 400


def test_a_draft_is_saved_and_resumed(citizen_client: Client) -> None:
    response = _post_form(citizen_client, {"navn": "Kari N", "epost": "halv"}, file=None, action="save")
    assert response.status_code == 302
    page = citizen_client.get("/tjenester/barnehageplass/skjema/").content.decode()
    assert 'value="Kari N"' in page
    assert 'value="halv"' in page
    my_page = citizen_client.get("/min-side/").content.decode()
    assert "Barnehageplass" in my_page


def test_rows_of_a_repeating_group_are_added_and_removed(citizen_client: Client) -> None:
    response = citizen_client.post("/tjenester/barnehageplass/skjema/", dict(valid_post(), add_row="barn"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="barn-1-navn"' in page
    response = citizen_client.post(
        "/tjenester/barnehageplass/skjema/",
        dict(valid_post(**{"barn-count": "2", "barn-1-navn": "Andre"}), remove_row="barn-0"),
    )
    page = response.content.decode()
    assert 'value="Andre"' in page
    assert 'name="barn-1-navn"' not in page


def test_a_conditional_field_is_ignored_unless_its_condition_holds(citizen_client: Client) -> None:
    _post_form(citizen_client, valid_post(sosken="no", sosken_navn="Skjult"))
    draft = Draft.objects.get()
    assert "sosken_navn" not in services.draft_validate(draft=draft).data
    _post_form(citizen_client, valid_post(sosken="yes", sosken_navn="Per"))
    assert services.draft_validate(draft=Draft.objects.get()).data["sosken_navn"] == "Per"


def test_a_submission_may_continue_an_earlier_case(portal: Portal, citizen_client: Client) -> None:
    _post_form(citizen_client, valid_post())
    first = Submission.objects.get(pk=_submit_then_get(citizen_client))
    _post_form(citizen_client, valid_post())
    draft = Draft.objects.get()
    second = services.submission_submit(
        municipality=portal.municipality,
        who=services.CitizenActor(citizen=draft.citizen),
        service=portal.service,
        idempotency_key=draft.idempotency_key,
        continue_submission=first,
    )
    assert second.case_file_system_id == first.case_file_system_id
    assert second.case_number == first.case_number


def _submit_then_get(client: Client) -> int:
    _submit(client)
    return Submission.objects.latest("submitted_at").pk


def test_another_citizen_cannot_see_the_receipt(citizen_client: Client) -> None:
    _post_form(citizen_client, valid_post())
    _submit(citizen_client)
    submission = Submission.objects.get()
    other = host_client("aust.test")
    log_in_citizen(other, national_identity_number="22078510033", name="Ola")
    assert other.get(f"/min-side/innsendinger/{submission.system_id}/").status_code == 404
    assert other.get(f"/min-side/innsendinger/{submission.system_id}/kvittering.pdf").status_code == 404


FORM_INPUTS = [
    "navn",
    "fodselsnummer",
    "epost",
    "oppstart",
    "sosken",
    "sosken_navn",
    "barn-count",
    "barn-0-navn",
    "barn-0-fodselsnummer",
    "barn-1-navn",
    "add_row",
    "remove_row",
    "remove_file:vedlegg",
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.dictionaries(
        st.sampled_from(FORM_INPUTS) | st.text(max_size=12), st.text(max_size=40), max_size=10
    ),
    action=st.sampled_from(["next", "save", "", "x"]),
    upload=st.none() | st.tuples(st.text(max_size=30), st.binary(max_size=600)),
)
def test_arbitrary_posts_to_a_form_never_cause_a_server_error(
    citizen_client: Client, values: dict[str, str], action: str, upload: tuple[str, bytes] | None
) -> None:
    data: dict[str, Any] = dict(values, action=action)
    if upload is not None:
        # the test client itself refuses names without a base name ("/", ".."): a browser sends none such
        name = upload[0].replace("\x00", "").replace("/", "_").replace("\\", "_")
        data["vedlegg"] = SimpleUploadedFile(name if name not in {"", ".", ".."} else "fil", upload[1])
    response = citizen_client.post("/tjenester/barnehageplass/skjema/", data)
    assert response.status_code in {200, 302, 400}


def test_a_submit_without_a_valid_reference_is_a_bad_request(citizen_client: Client) -> None:
    response = citizen_client.post("/tjenester/barnehageplass/skjema/oppsummering/", {"idempotency_key": "x"})
    assert response.status_code == 400
    assert "referansen" in response.content.decode()
    unknown = citizen_client.post(
        "/tjenester/barnehageplass/skjema/oppsummering/",
        {"idempotency_key": "6f1c1f8e-0000-4000-8000-000000000000"},
    )
    assert unknown.status_code == 409
    assert not Submission.objects.exists()


def test_the_summary_sends_an_unfinished_form_back_to_the_form(citizen_client: Client) -> None:
    citizen_client.get("/tjenester/barnehageplass/skjema/")
    response = citizen_client.get("/tjenester/barnehageplass/skjema/oppsummering/")
    assert response.status_code == 302
    assert response["Location"].endswith("/tjenester/barnehageplass/skjema/")


def test_a_service_without_a_form_or_unpublished_has_no_form_page(
    portal: Portal, citizen_client: Client
) -> None:
    services.service_update(
        actor=portal.admin, municipality=portal.municipality, service=portal.service, values={"form": None}
    )
    assert citizen_client.get("/tjenester/barnehageplass/skjema/").status_code == 404
    services.service_update(
        actor=portal.admin,
        municipality=portal.municipality,
        service=portal.service,
        values={"is_published": False},
    )
    assert citizen_client.get("/tjenester/barnehageplass/").status_code == 404


def test_a_supplement_from_the_receipt_goes_into_the_same_case(citizen_client: Client) -> None:
    _post_form(citizen_client, valid_post())
    first_location = _submit(citizen_client)["Location"]
    first = Submission.objects.get()
    receipt = citizen_client.get(first_location).content.decode()
    link = f"/tjenester/barnehageplass/skjema/?ettersending={first.system_id}"
    assert link in receipt
    page = citizen_client.get(link).content.decode()
    assert f"Ettersending til sak {first.case_number}" in page
    _post_form(citizen_client, valid_post(), path=link)  # the form posts back to its own address
    assert (
        first.case_number
        in citizen_client.get("/tjenester/barnehageplass/skjema/oppsummering/").content.decode()
    )
    _submit(citizen_client)
    second = Submission.objects.exclude(pk=first.pk).get()
    assert second.case_file_system_id == first.case_file_system_id
    assert (
        RegistryEntry.objects.filter(case_file__system_id=first.case_file_system_id, entry_type="I").count()
        == 2
    )
    assert citizen_client.get("/tjenester/barnehageplass/skjema/?ettersending=ikke-en-id").status_code == 404
    other = host_client("aust.test")
    log_in_citizen(other, national_identity_number="22078510033", name="Ola")
    assert other.get(link).status_code == 404


def test_an_attachments_name_is_made_safe_before_it_is_archived(
    portal: Portal, citizen_client: Client
) -> None:
    _post_form(citizen_client, valid_post(), file=None)
    draft = Draft.objects.get()
    who = services.CitizenActor(citizen=draft.citizen)
    for sent_name, kept in [
        ("  ", "vedlegg"),
        ("..\\\\mappe\\\\søknad.pdf", "søknad.pdf"),
        ("a\x07b.pdf", "ab.pdf"),
    ]:
        services.draft_save(
            municipality=portal.municipality,
            who=who,
            draft=draft,
            values=valid_post(),
            uploads=[services.Upload(input_name="vedlegg", file_name=sent_name, content=PDF_BYTES)],
        )
        assert draft.attachments.get().file_name == kept
    submission = services.submission_submit(
        municipality=portal.municipality,
        who=who,
        service=portal.service,
        idempotency_key=draft.idempotency_key,
    )
    assert submission.data["vedlegg"]["file_name"] == "ab.pdf"
