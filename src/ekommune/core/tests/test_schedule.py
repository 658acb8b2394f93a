"""``ekommune schedule`` enqueues the configured periodic tasks; a bad schedule is refused clearly."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ekommune.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_every_task_of_the_default_schedule_exists_and_is_enqueued_once(settings: Any) -> None:
    settings.EKOMMUNE_SCHEDULE = [
        (path, interval, kwargs)
        for path, interval, kwargs in settings.EKOMMUNE_SCHEDULE
        if path.startswith("ekommune.core.")
    ]
    assert settings.EKOMMUNE_SCHEDULE, "the audit chains are verified on a schedule"
    out = StringIO()
    call_command("schedule", "--once", stdout=out)
    assert out.getvalue().splitlines() == [f"enqueued {path}" for path, _, _ in settings.EKOMMUNE_SCHEDULE]


def test_the_default_schedule_names_only_tasks_that_exist() -> None:
    from django.conf import settings

    from ekommune.core.management.commands.schedule import load_jobs

    jobs = load_jobs(settings.EKOMMUNE_SCHEDULE)
    assert {job.path for job in jobs} >= {"ekommune.core.tasks.audit_chains_verify"}
    assert all(job.interval >= 300 for job in jobs)


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ([("ekommune.core.tasks.no_such_task", 60, {})], "unknown task: ekommune.core.tasks.no_such_task"),
        ([("ekommune.core.tasks.audit_chains_verify", 0, {})], "must be positive seconds"),
    ],
)
def test_a_bad_schedule_is_refused_with_a_message(settings: Any, schedule: list[Any], message: str) -> None:
    settings.EKOMMUNE_SCHEDULE = schedule
    with pytest.raises(CommandError, match=message):
        call_command("schedule", "--once")
    assert not AuditEvent.objects.exists()
