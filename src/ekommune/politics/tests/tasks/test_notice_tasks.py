"""The notices are tasks enqueued when the service's transaction commits: built when sent, a mail
server failure fails the task (logged) and never the change, and the confirmation link's secret
is made by the task, so it sits in no task argument."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django.tasks.signals import task_enqueued
from django.test import override_settings

from ekommune.archive.tests.factories import case_for
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.politics import services, tasks
from ekommune.politics.models import Meeting, Subscription
from ekommune.politics.tests.factories import body_for, item_for, meeting_for, member, politics_for
from ekommune.testing import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued() -> Iterator[list[Any]]:
    """Every task result enqueued while the test runs (path and arguments)."""
    results: list[Any] = []

    def remember(sender: Any, task_result: Any, **kwargs: Any) -> None:
        results.append(task_result)

    task_enqueued.connect(remember)
    yield results
    task_enqueued.disconnect(remember)


@pytest.fixture
def agenda():
    politics = politics_for(MunicipalityFactory.create())
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    member(politics, fsk, "Ola Ordfører", "Ap", "leder")
    meeting = meeting_for(politics, fsk)
    item = item_for(politics, meeting, case_for(politics.archive, "IT-strategi 2013-2016"))
    return politics, meeting, item


def test_a_mail_server_that_is_down_fails_the_task_and_leaves_the_meeting_summoned(
    agenda, enqueued, django_capture_on_commit_callbacks
) -> None:
    politics, meeting, _item = agenda
    down = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with override_settings(MAILERS=down), django_capture_on_commit_callbacks(execute=True):
        services.meeting_summon(actor=politics.secretary, municipality=politics.municipality, meeting=meeting)
    [result] = enqueued
    assert result.task.name == "meeting_summons_send"
    assert result.kwargs == {"meeting_id": meeting.pk}
    assert result.status == TaskResultStatus.FAILED
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SUMMONED


def test_a_decision_nobody_follows_enqueues_no_notice(
    agenda, enqueued, django_capture_on_commit_callbacks
) -> None:
    politics, meeting, item = agenda
    services.meeting_summon(actor=politics.secretary, municipality=politics.municipality, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.decision_record(
            actor=politics.secretary,
            municipality=politics.municipality,
            item=item,
            text="Vedtatt.",
            unanimous=True,
        )
    assert callbacks == []
    assert enqueued == []


def test_the_confirmation_token_is_made_by_the_task_and_is_in_no_task_argument(
    agenda, enqueued, django_capture_on_commit_callbacks
) -> None:
    politics, _meeting, item = agenda
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        subscription = services.subscription_create(
            municipality=politics.municipality, email="innbygger@example.org", case_number=item.case_number
        )
    [result] = enqueued
    assert result.kwargs == {"subscription_id": subscription.pk}
    assert result.return_value == 1
    [message] = mail.outbox
    token = message.body.split("token=", 1)[1].split()[0]
    assert token not in repr(result.args) + repr(result.kwargs)
    assert Subscription.objects.get(pk=subscription.pk).token_hash != subscription.token_hash
    confirmed = services.subscription_confirm(municipality=politics.municipality, token=token)
    assert confirmed.confirmed_at is not None


def test_a_notice_for_something_gone_sends_nothing() -> None:
    assert tasks.meeting_summons_send.call(meeting_id=0) == 0
    assert tasks.decision_notice_send.call(item_id=0) == 0
    assert tasks.subscription_confirmation_send.call(subscription_id=0) == 0
