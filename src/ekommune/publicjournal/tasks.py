"""All background work of the public journal (Django's tasks framework, run by ``ekommune db_worker``).

- ``publication_refresh_all``: the schedule that keeps every municipality's public journal in
  step with its archive (``conf.base`` schedules it every few minutes and nightly).
- ``access_request_mail_send``: the e-mail to people who ask for access (innsynskrav), the
  receipt and the answer, enqueued by the services when the transaction that registered the
  request or the answer commits. Mails name the entries only as the public journal shows them
  (screened).

The services enqueue these tasks and ``publication_refresh_all`` calls a service: tasks sit beside
the services (docs/decisions/0120-tasks-beside-the-services.md).
"""

from __future__ import annotations

import datetime as dt

import structlog
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

from ekommune.core import selectors as core_selectors
from ekommune.publicjournal import services
from ekommune.publicjournal.models import AccessRequest, AccessRequestSettings

logger = structlog.get_logger(__name__)


def status_url(site_root: str, token: str) -> str:
    """The requester's status page (``journal/innsyn/<token>/`` under the municipality's site)."""
    return f"{site_root.rstrip('/')}/journal/innsyn/{token}/"


def file_url(site_root: str, token: str, object_id: str) -> str:
    return f"{status_url(site_root, token)}fil/{object_id}/"


def _entries(request: AccessRequest) -> str:
    return "\n".join(f"- {item.registration_id} {item.title}" for item in request.items.order_by("pk"))


def receipt_text(request: AccessRequest, site_root: str) -> tuple[str, str]:
    municipality = request.municipality
    subject = f"Innsynskrav mottatt – {municipality.name}"
    body = (
        f"Hei{(' ' + request.name) if request.name else ''},\n\n"
        f"{municipality.name} har mottatt innsynskravet ditt og registrert det som "
        f"{request.incoming_registration_id}. Du skal få svar innen {request.deadline:%d.%m.%Y}.\n\n"
        f"Du har bedt om innsyn i:\n{_entries(request)}\n\n"
        f"Følg behandlingen her: {status_url(site_root, request.token)}\n\n"
        f"Hilsen {municipality.name}\n"
    )
    return subject, body


def answer_text(request: AccessRequest, site_root: str) -> tuple[str, str]:
    municipality = request.municipality
    settings_row = AccessRequestSettings.objects.filter(municipality=municipality).first()
    appeal = settings_row.appeal_information if settings_row else AccessRequestSettings().appeal_information
    lines = [f"Hei{(' ' + request.name) if request.name else ''},", ""]
    if request.status == AccessRequest.Status.REFUSED:
        subject = f"Innsynskrav avslått – {municipality.name}"
        lines += [f"Vi kan ikke gi deg innsyn i:\n{_entries(request)}", "", f"Hjemmel: {request.legal_basis}"]
    else:
        partly = request.status == AccessRequest.Status.PARTLY_GRANTED
        subject = f"Innsynskrav {'delvis ' if partly else ''}innvilget – {municipality.name}"
        lines += [f"Du får {'delvis ' if partly else ''}innsyn i:\n{_entries(request)}", ""]
        if partly:
            lines += [f"Deler av dokumentene er sladdet med hjemmel i {request.legal_basis}.", ""]
        lines += ["Last ned dokumentene:"]
        lines += [
            f"- {file.title}: {file_url(site_root, request.token, str(file.object_system_id))}"
            for file in request.files.order_by("pk")
        ]
    if request.explanation:
        lines += ["", request.explanation]
    if request.status != AccessRequest.Status.GRANTED:
        lines += ["", appeal]
    lines += [
        "",
        f"Svaret er registrert som {request.answer_registration_id}. Status: {status_url(site_root, request.token)}",
        "",
        f"Hilsen {municipality.name}",
    ]
    return subject, "\n".join(lines) + "\n"


@task()
def access_request_mail_send(request_id: int, kind: str, site_root: str) -> str:
    """Send the receipt (``kind="receipt"``) or the answer (``"answer"``) of an access request."""
    request = AccessRequest.objects.select_related("municipality").get(pk=request_id)
    subject, body = (receipt_text if kind == "receipt" else answer_text)(request, site_root)
    reply_to = [request.municipality.email] if request.municipality.email else []
    EmailMessage(subject=subject, body=body, to=[request.email], reply_to=reply_to).send()
    logger.info("access_request_mail_sent", request_id=request.pk, kind=kind)  # no address, no titles
    return kind


@task()
def publication_refresh_all(since_minutes: int | None = None) -> dict[str, int]:
    """Refresh every active municipality's public journal. Schedule it every few minutes with
    ``since_minutes`` (a window longer than the interval) and nightly without (full, with removals)."""
    since = timezone.now() - dt.timedelta(minutes=since_minutes) if since_minutes else None
    totals = {"municipalities": 0, "published": 0, "removed": 0, "waiting": 0}
    for municipality in core_selectors.municipality_list_active():
        result = services.publication_refresh(municipality=municipality, since=since)
        totals["municipalities"] += 1
        totals["published"] += result.published
        totals["removed"] += result.removed
        totals["waiting"] += result.waiting
    return totals
