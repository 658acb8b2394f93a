"""Two requests with the same idempotency key at the same moment still give one submission."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from ekommune.core.models import Municipality
from ekommune.core.tests.factories import host_client
from ekommune.identity.testing import log_in_citizen
from ekommune.portal import services
from ekommune.portal.models import Draft, Submission
from ekommune.portal.tests.factories import PDF_BYTES, portal_for, valid_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_submits_of_one_draft_make_one_submission_and_one_archive_entry(
    municipality_a: Municipality,
) -> None:
    portal = portal_for(municipality_a)
    citizen = log_in_citizen(host_client("aust.test"))
    who = services.CitizenActor(citizen=citizen)
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    services.draft_save(
        municipality=portal.municipality,
        who=who,
        draft=draft,
        values=valid_post(),
        uploads=[services.Upload(input_name="vedlegg", file_name="a.pdf", content=PDF_BYTES)],
    )
    results: list[Any] = []
    start = threading.Barrier(3)

    def submit() -> None:
        try:
            start.wait()
            results.append(
                services.submission_submit(
                    municipality=portal.municipality,
                    who=who,
                    service=portal.service,
                    idempotency_key=draft.idempotency_key,
                ).pk
            )
        except Exception as error:  # any failure is collected and reported by the asserts below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3
    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert Submission.objects.count() == 1
    assert apps.get_model("archive", "RegistryEntry").objects.filter(entry_type="I").count() == 1
    assert not Draft.objects.exists()
