"""The security demo, loaded by ``ekommune demo load`` after the archive's demo; idempotent."""

from __future__ import annotations

import pytest

from ekommune.core.demo import demo_load
from ekommune.core.models import Municipality, User
from ekommune.core.tests.factories import host_client
from ekommune.security import selectors
from ekommune.security.models import Deviation, DeviationKind

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_a_deviation_in_each_state_and_a_breach_past_48_hours() -> None:
    created = demo_load()
    assert any(line.startswith("deviation register of Fjordvik kommune") for line in created)
    fjordvik = Municipality.objects.get(slug="fjordvik")
    deviations = Deviation.objects.filter(municipality=fjordvik)
    assert sorted(deviations.values_list("state", flat=True)) == [
        "assessed",
        "closed",
        "measures",
        "received",
    ]
    breach = deviations.get(state="received", kind=DeviationKind.PERSONAL_DATA_BREACH)
    clock = selectors.breach_clock(deviation=breach)
    assert clock is not None
    assert clock.hours_left < 24
    assert (breach.pk, 2) in selectors.breaches_due_reminder()
    admin = User.objects.get(username="fjordvik.admin")
    page = host_client("fjordvik.localhost", admin).get("/ansatt/sikkerhet/avvik/").content.decode()
    assert "Klasseliste med helseopplysninger" in page
    assert not any(line.startswith("deviation register") for line in demo_load())  # idempotent
