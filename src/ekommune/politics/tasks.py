"""Background work of the politics app (Django's tasks framework, run by ``ekommune db_worker``):
the e-mail notices. The services enqueue them when their transaction commits.

Every notice is built when it is sent, from ``PublicItem`` values (screened once, in the
selectors) and the subscriptions then confirmed; a failing mail server is logged
(``politics_notice_failed``) and fails the task, the change that caused it stays.
"""

from __future__ import annotations

from typing import Any

import structlog
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.utils import timezone

from ekommune.core.mail import templated_message
from ekommune.core.models import Municipality
from ekommune.politics import selectors, services
from ekommune.politics.models import Subscription

logger = structlog.get_logger(__name__)


def _message(
    municipality: Municipality, to: list[str], template: str, context: dict[str, Any]
) -> EmailMessage:
    """The template's message, with the municipality and its public address in the context."""
    return templated_message(
        template=template,
        context={
            "municipality": municipality,
            "site": selectors.site_url(municipality=municipality),
            **context,
        },
        to=to,
    )


def _send(messages: list[EmailMessage]) -> int:
    """Send through the default mailer; the number sent."""
    if not messages:
        return 0
    try:
        sent = mailers.default.send_messages(messages)
    except OSError as exc:
        logger.error("politics_notice_failed", error=type(exc).__name__, messages=len(messages))
        raise
    logger.info("politics_notices_sent", messages=sent or 0)
    return sent or 0


def _subscription_subject(subscription: Subscription) -> str:
    if subscription.body is not None:
        return subscription.body.name
    return f"sak {subscription.case_number}"


@task()
def meeting_summons_send(meeting_id: int) -> int:
    """The summons (innkalling) with the agenda to the body's members on the day of the meeting, and
    an agenda notice to everyone subscribed to the body or to a case on the agenda."""
    meeting = selectors.meeting_for_notice(meeting_id=meeting_id)
    if meeting is None:
        return 0
    municipality = meeting.municipality
    items = selectors.public_items_of_meeting(municipality=municipality, meeting=meeting)
    context = {"meeting": meeting, "items": items}
    messages = []
    members = selectors.members_of_body(
        municipality=municipality, body=meeting.body, on=timezone.localdate(meeting.starts_at)
    )
    if members:
        addresses = sorted({seat.person.email for seat in members})
        messages.append(_message(municipality, addresses, "politics/email/summons.txt", context))
    for subscription in selectors.meeting_subscribers(
        municipality=municipality, meeting=meeting, case_numbers=[item.case_number for item in items]
    ):
        messages.append(
            _message(
                municipality,
                [subscription.email],
                "politics/email/agenda_notice.txt",
                {**context, "subscription": subscription},
            )
        )
    return _send(messages)


@task()
def decision_notice_send(item_id: int) -> int:
    """The decision on an item (as the public sees it) to everyone subscribed to its case or body."""
    item = selectors.item_for_notice(item_id=item_id)
    if item is None:
        return 0
    municipality = item.municipality
    subscribers = selectors.item_subscribers(municipality=municipality, item=item)
    if not subscribers:
        return 0
    public = selectors.public_item(municipality=municipality, pk=item.pk)
    return _send(
        [
            _message(
                municipality,
                [subscription.email],
                "politics/email/decision_notice.txt",
                {"item": public, "subscription": subscription},
            )
            for subscription in subscribers
        ]
    )


@task()
def subscription_confirmation_send(subscription_id: int) -> int:
    """The confirmation link of a new (or renewed) subscription; its token is made here."""
    issued = services.subscription_link_issue(subscription_id=subscription_id)
    if issued is None:
        return 0
    subscription, token = issued
    message = _message(
        subscription.municipality,
        [subscription.email],
        "politics/email/subscription_confirm.txt",
        {"subscription": subscription, "token": token, "what": _subscription_subject(subscription)},
    )
    return _send([message])
