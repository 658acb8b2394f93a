"""Citizens' subscriptions (abonnement) to notices about a body or a case: double opt-in by an
e-mail link, and a signed link in every notice that ends the subscription.

The confirmation link's token is made by the task that sends it (``subscription_link_issue``)
and only its hash is stored: the secret sits in no table, the task queue's included.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from ekommune.core.errors import NotFoundError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.services import tenant_object_check
from ekommune.politics import selectors, tasks
from ekommune.politics.models import Body, Subscription
from ekommune.politics.services.common import audit, clean


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unknown_token_hash() -> str:
    """The hash of a token nobody knows: a link sent before stops working."""
    return _token_hash(secrets.token_urlsafe(32))


def subscription_create(
    *, municipality: Municipality, email: str, body: Body | None = None, case_number: str = ""
) -> Subscription:
    """A citizen asks for notices about a body or a case; an e-mail with a confirmation link goes out
    (``tasks.subscription_confirmation_send``, once the transaction has committed).

    Asking again for the same thing sends a new link (the old one stops working).
    """
    address = email.strip().lower()
    probe = Subscription(municipality=municipality, email=address, body=body, case_number=case_number.strip())
    clean(probe, exclude=["municipality", "body", "token_hash", "case_number"])
    if (body is None) == (not probe.case_number):
        raise ValidationError("Velg enten et utvalg eller en sak.", code="body_or_case", field="body")
    if body is not None:
        tenant_object_check(body, municipality=municipality, field="body")
    elif not selectors.case_is_on_an_agenda(municipality=municipality, case_number=probe.case_number):
        raise NotFoundError("Fant ingen politisk sak med dette saksnummeret.", field="case_number")
    with transaction.atomic():
        subscription, _ = Subscription.objects.select_for_update().get_or_create(
            municipality=municipality,
            email=address,
            body=body,
            case_number=probe.case_number,
            defaults={"token_hash": _unknown_token_hash()},
        )
        subscription.token_hash = _unknown_token_hash()
        subscription.save(update_fields=["token_hash"])
        audit(None, municipality, "subscription.create", subscription)
        subscription_pk = subscription.pk
        transaction.on_commit(
            lambda: tasks.subscription_confirmation_send.enqueue(subscription_id=subscription_pk), robust=True
        )
    return subscription


def subscription_link_issue(*, subscription_id: int) -> tuple[Subscription, str] | None:
    """A new confirmation token for the subscription (the one before stops working), for the task
    that e-mails it; None when the subscription has been cancelled since."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("municipality", "body")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None:
            return None
        subscription.token_hash = _token_hash(token)
        subscription.save(update_fields=["token_hash"])
        audit(None, subscription.municipality, "subscription.link_issue", subscription)
    return subscription, token


def subscription_confirm(*, municipality: Municipality, token: str) -> Subscription:
    """The citizen followed the link in the confirmation e-mail: notices start."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(municipality=municipality, token_hash=_token_hash(token))
            .first()
        )
        if subscription is None:
            raise NotFoundError("Lenken er ugyldig eller brukt opp.", code="invalid_token")
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
            audit(None, municipality, "subscription.confirm", subscription)
    return subscription


def subscription_cancel(*, municipality: Municipality, token: str) -> None:
    """Stop notices; ``token`` is the signed link in every notice (``selectors.unsubscribe_token``)."""
    pk = selectors.subscription_from_unsubscribe_token(token=token)
    with transaction.atomic():
        subscription = Subscription.objects.filter(municipality=municipality, pk=pk).first()
        if subscription is None:
            raise NotFoundError("Abonnementet finnes ikke (lenger).", code="invalid_token")
        audit(None, municipality, "subscription.cancel", subscription)
        subscription.delete()
