"""Portal test data built through the services, as the platform builds it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core.models import Municipality, Role, User
from ekommune.core.tests.factories import host_client, staff
from ekommune.identity.testing import log_in_citizen
from ekommune.portal import services
from ekommune.portal.models import FormDefinition, LifeEvent, Service, Submission, Topic

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

KINDERGARTEN_FORM: dict[str, Any] = {
    "title": "Søknad om barnehageplass",
    "fields": [
        {"key": "navn", "type": "text", "label": "Navn", "required": True, "prefill": "name"},
        {"key": "fodselsnummer", "type": "nin", "label": "Fødselsnummer", "required": True, "prefill": "pid"},
        {"key": "epost", "type": "email", "label": "E-post", "required": True},
        {"key": "oppstart", "type": "date", "label": "Ønsket oppstart", "required": True},
        {"key": "sosken", "type": "yesno", "label": "Har barnet søsken i barnehagen?"},
        {
            "key": "sosken_navn",
            "type": "text",
            "label": "Søskens navn",
            "show_if": {"field": "sosken", "equals": "yes"},
        },
        {
            "key": "barn",
            "type": "group",
            "label": "Barn",
            "min": 1,
            "max": 3,
            "fields": [
                {"key": "navn", "type": "text", "label": "Barnets navn", "required": True},
                {"key": "fodselsnummer", "type": "nin", "label": "Barnets fødselsnummer", "required": True},
            ],
        },
        {
            "key": "vedlegg",
            "type": "file",
            "label": "Vedlegg",
            "required": True,
            "accept": ["application/pdf"],
        },
    ],
}
CHILD_NUMBER = "15038510190"


@dataclass
class Portal:
    municipality: Municipality
    archive: Archive
    admin: User
    case_worker: User
    system_user: User
    form: FormDefinition
    service: Service


def portal_for(
    municipality: Municipality, *, definition: dict[str, Any] | None = None, slug: str = "barnehageplass"
) -> Portal:
    archive = archive_for(municipality)
    admin = staff(municipality, Role.ADMINISTRATOR)
    system_user = services.portal_system_user_ensure(actor=admin, municipality=municipality)
    form = services.form_definition_create(
        actor=admin,
        municipality=municipality,
        slug=slug,
        title="Søknad om barnehageplass",
        definition=definition or KINDERGARTEN_FORM,
    )
    service = services.service_create(
        actor=admin,
        municipality=municipality,
        values={
            "slug": slug,
            "title": "Barnehageplass",
            "summary": "Søk om plass i kommunal eller privat barnehage.",
            "description": "Hovedopptak med frist 1. mars.",
            "life_event": LifeEvent.CHILDREN,
            "topic": Topic.KINDERGARTEN,
            "is_published": True,
            "form": form,
            "archive_series": archive.series,
            "archive_class": archive.classes["A20"],
            "administrative_unit": "Oppvekst",
            "case_responsible": "Kari Nilsen",
        },
    )
    return Portal(
        municipality=municipality,
        archive=archive,
        admin=admin,
        case_worker=archive.case_worker,
        system_user=system_user,
        form=form,
        service=service,
    )


def valid_post(**overrides: Any) -> dict[str, Any]:
    """A complete, valid answer to KINDERGARTEN_FORM (without the file)."""
    values = {
        "navn": "Kari Nordmann",
        "fodselsnummer": "01018510002",
        "epost": "kari@example.org",
        "oppstart": "01.08.2027",
        "sosken": "no",
        "barn-count": "1",
        "barn-0-navn": "Lille Nordmann",
        "barn-0-fodselsnummer": CHILD_NUMBER,
    }
    values.update(overrides)
    return values


def submit(portal: Portal, client: Client | None = None, **overrides: Any) -> Submission:
    """A submission made through the services, as the form pages make it."""
    client = client or host_client(portal.municipality.domains.get().host_name)
    citizen = log_in_citizen(client, name="Kari Nordmann")
    who = services.CitizenActor(citizen=citizen)
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    services.draft_save(
        municipality=portal.municipality,
        who=who,
        draft=draft,
        values=valid_post(**overrides),
        uploads=[services.Upload(input_name="vedlegg", file_name="a.pdf", content=PDF_BYTES)],
    )
    return services.submission_submit(
        municipality=portal.municipality,
        who=who,
        service=portal.service,
        idempotency_key=draft.idempotency_key,
    )
