"""A case worker's read of a citizen's submission and of its files on the staff pages is logged
(decision 0226), with the submission's case as its purpose."""

from __future__ import annotations

import pytest

from ekommune.core.models import AuditEvent
from ekommune.core.tests.factories import host_client
from ekommune.portal.tests.factories import Portal, submit

pytestmark = pytest.mark.django_db


def test_opening_a_submission_and_its_file_on_the_staff_pages_is_logged(portal: Portal) -> None:
    submission = submit(portal)
    client = host_client("aust.test", portal.case_worker)
    page = client.get(f"/ansatt/innboks/{submission.pk}/")
    assert page.status_code == 200
    attachment = page.context["files"][0]
    assert client.get(f"/ansatt/innboks/{submission.pk}/fil/{attachment.system_id}/").status_code == 200
    reads = list(
        AuditEvent.objects.filter(chain_key=portal.municipality.pk, action__startswith="read.")
        .exclude(actor_id=None)
        .filter(actor_id=portal.case_worker.pk)
        .order_by("sequence")
    )
    assert [(event.action, event.object_id) for event in reads] == [
        ("read.submission", str(submission.system_id)),
        ("read.submission", str(submission.system_id)),
        ("read.document_file", str(attachment.system_id)),
    ]
    assert {event.detail["via"] for event in reads} == {"page"}
    assert {event.detail["purpose"] for event in reads} == {submission.case_number}
    assert {event.detail["case_file"] for event in reads} == {str(submission.case_file_system_id)}
