"""``ekommune schedule``: enqueue the periodic tasks of ``settings.EKOMMUNE_SCHEDULE`` when due.

Run exactly one per installation (``make run`` starts it beside the task worker). It only enqueues;
the task worker (``ekommune db_worker``) does the work, so a slow task never delays the clock.
Every job is due once at start, then every ``interval`` seconds. ``--once`` enqueues every job
once and stops (for cron, or a test).
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from typing import Any

import structlog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

logger = structlog.get_logger("ekommune.schedule")


@dataclass
class Job:
    path: str
    interval: int
    kwargs: dict[str, Any]
    due: float = 0.0


def load_jobs(schedule: list[tuple[str, int, dict[str, Any]]]) -> list[Job]:
    """The configured jobs, each checked: the task exists and the interval is positive."""
    jobs = []
    for path, interval, kwargs in schedule:
        try:
            import_string(path)
        except ImportError as error:
            raise CommandError(f"EKOMMUNE_SCHEDULE names an unknown task: {path}") from error
        if interval <= 0:
            raise CommandError(f"EKOMMUNE_SCHEDULE: the interval of {path} must be positive seconds")
        jobs.append(Job(path=path, interval=interval, kwargs=dict(kwargs)))
    return jobs


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (EKOMMUNE_SCHEDULE) when they are due; run one per installation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue every job once, then stop.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        jobs = load_jobs(settings.EKOMMUNE_SCHEDULE)
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while not stopping:
            now = time.monotonic()
            for job in jobs:
                if job.due <= now:
                    self._enqueue(job)
                    job.due = now + job.interval
            if once:
                return
            next_due = min(job.due for job in jobs) if jobs else now + 60
            # short sleeps, so that a stop signal is honoured at once
            while not stopping and time.monotonic() < next_due:
                time.sleep(min(1.0, max(0.0, next_due - time.monotonic())))

    def _enqueue(self, job: Job) -> None:
        try:
            result = import_string(job.path).enqueue(**job.kwargs)
        except Exception:  # a broken job must not stop the others
            logger.exception("schedule_enqueue_failed", task=job.path)
            return
        logger.info("schedule_enqueued", task=job.path, task_id=str(result.id))
        self.stdout.write(f"enqueued {job.path} {job.kwargs or ''}".rstrip())
