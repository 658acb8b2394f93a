"""The demo's risk assessments and record of processing: two ROS with matrices (one approved and
archived, one a draft), ekommune's own processing with a DPIA checklist, on the public page."""

from __future__ import annotations

import pytest

from ekommune.core.demo import demo_load
from ekommune.core.models import Municipality, User
from ekommune.core.tests.factories import host_client
from ekommune.security import selectors
from ekommune.security.models import DpiaChecklist, ProcessingActivity, RiskAssessment

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_two_ros_with_matrices_and_the_record_of_processing() -> None:
    created = demo_load()
    assert any(
        line.startswith("risk assessments and record of processing of Fjordvik kommune") for line in created
    )
    fjordvik = Municipality.objects.get(slug="fjordvik")
    approved, draft = RiskAssessment.objects.filter(municipality=fjordvik).order_by("state")
    assert (draft.state, approved.state) == ("draft", "approved")
    before, after = selectors.risk_matrices(approved.threats.all())
    assert (before.highest, after.highest) == (15, 12)  # two-factor login took H4 from 15 to 5
    assert approved.versions.count() == 1
    assert ProcessingActivity.objects.filter(municipality=fjordvik, published=True).count() == 5
    assert DpiaChecklist.objects.get(activity__municipality=fjordvik).dpia_required
    admin = User.objects.get(username="fjordvik.admin")
    page = (
        host_client("fjordvik.localhost", admin).get(f"/ansatt/sikkerhet/ros/{approved.pk}/").content.decode()
    )
    assert page.count('role="img"') == 2
    public = host_client("fjordvik.localhost").get("/personvern/behandlinger/").content.decode()
    assert "Innsendinger gjennom selvbetjeningsportalen" in public
    assert not any(line.startswith("risk assessments") for line in demo_load())  # idempotent
