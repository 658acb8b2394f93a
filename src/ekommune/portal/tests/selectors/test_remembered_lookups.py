"""Every page of a logged-in citizen needs the service and the citizen; both are remembered per
process for a few seconds. What changes them is seen at once in the process that changed them,
and in every other process once the few seconds have passed."""

from __future__ import annotations

import pytest

from ekommune.core import lookup_cache
from ekommune.core.tests.factories import host_client
from ekommune.identity import selectors as identity_selectors
from ekommune.identity.testing import log_in_citizen
from ekommune.portal import selectors, services
from ekommune.portal.models import FormVersion, Service
from ekommune.portal.tests.factories import Portal

pytestmark = pytest.mark.django_db

FORM = "/tjenester/barnehageplass/skjema/"


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1000.0
        monkeypatch.setattr(lookup_cache.time, "monotonic", lambda: self.now)


def test_unpublishing_a_service_closes_its_form_at_once(portal: Portal) -> None:
    client = host_client("aust.test")
    log_in_citizen(client)
    assert client.get(FORM).status_code == 200
    services.service_update(
        actor=portal.admin,
        municipality=portal.municipality,
        service=portal.service,
        values={"is_published": False},
    )
    assert client.get(FORM).status_code == 404


def test_another_process_sees_a_changed_service_within_its_time_to_live(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    first = selectors.service_published(municipality=portal.municipality, slug="barnehageplass")
    # Another web process changes the row (this process's memory is not cleared by it).
    Service.objects.filter(pk=portal.service.pk).update(title="Barnehageplass 2027")
    clock.now += selectors.SERVICE_TTL_SECONDS - 1
    assert selectors.service_published(municipality=portal.municipality, slug="barnehageplass") is first
    clock.now += 2
    again = selectors.service_published(municipality=portal.municipality, slug="barnehageplass")
    assert again.title == "Barnehageplass 2027"


def test_a_service_not_found_is_not_remembered(portal: Portal) -> None:
    Service.objects.filter(pk=portal.service.pk).update(is_published=False)
    with pytest.raises(Exception, match="Fant ikke tjenesten"):
        selectors.service_published(municipality=portal.municipality, slug="barnehageplass")
    Service.objects.filter(pk=portal.service.pk).update(is_published=True)  # published elsewhere
    assert selectors.service_published(municipality=portal.municipality, slug="barnehageplass")


def test_a_new_name_at_login_shows_at_once(portal: Portal) -> None:
    client = host_client("aust.test")
    log_in_citizen(client, name="Kari Nordmann")
    assert "Innlogget som Kari Nordmann" in client.get(FORM).content.decode()
    log_in_citizen(client, name="Kari Nordmann Fjell")  # the name changed in the register
    assert "Innlogget som Kari Nordmann Fjell" in client.get(FORM).content.decode()


def test_a_citizen_who_is_gone_is_logged_out_not_remembered(portal: Portal) -> None:
    client = host_client("aust.test")
    citizen = log_in_citizen(client)
    assert client.get(FORM).status_code == 200
    lookup_cache.clear()  # another process: nothing remembered there
    type(citizen).objects.filter(pk=citizen.pk).delete()
    assert client.get(FORM).status_code == 302  # to the login
    assert identity_selectors._citizen_remembered(str(citizen.system_id)) is None
    assert identity_selectors._citizen_remembered("not-a-uuid") is None


def test_a_new_form_version_reaches_new_drafts_at_once(portal: Portal) -> None:
    client = host_client("aust.test")
    log_in_citizen(client)
    assert "Hvordan hørte du om oss?" not in client.get(FORM).content.decode()
    form = portal.service.form
    assert form is not None
    latest = FormVersion.objects.filter(form=form).order_by("-number").first()
    assert latest is not None
    field = {"key": "kilde", "type": "text", "label": "Hvordan hørte du om oss?"}
    changed = {**latest.definition, "fields": [*latest.definition["fields"], field]}
    services.form_version_add(
        actor=portal.admin, municipality=portal.municipality, form=form, definition=changed
    )
    assert "Hvordan hørte du om oss?" in client.get(FORM).content.decode()


def test_two_tabs_starting_the_same_form_give_one_draft_with_the_last_answers(portal: Portal) -> None:
    from ekommune.portal.models import Draft

    who = services.CitizenActor(citizen=log_in_citizen(host_client("aust.test")))
    first_tab = services.draft_start(
        municipality=portal.municipality, who=who, service=portal.service, create=False
    )
    second_tab = services.draft_start(
        municipality=portal.municipality, who=who, service=portal.service, create=False
    )
    assert first_tab._state.adding  # nothing stored by looking
    assert second_tab._state.adding
    services.draft_save(municipality=portal.municipality, who=who, draft=first_tab, values={"navn": "Første"})
    saved = services.draft_save(
        municipality=portal.municipality, who=who, draft=second_tab, values={"navn": "Andre"}
    )
    assert saved.pk == first_tab.pk
    assert Draft.objects.get().values == {"navn": "Andre"}
