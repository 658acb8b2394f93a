"""Background tasks of the public journal (Django's tasks framework, run by ``ekommune db_worker``)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from ekommune.core import selectors as core_selectors
from ekommune.publicjournal import services


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
