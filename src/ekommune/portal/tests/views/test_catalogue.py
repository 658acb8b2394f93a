"""The service catalogue: public, searchable (Norwegian full text), grouped; edited by staff."""

from __future__ import annotations

import pytest
from django.db import ProgrammingError, connection, transaction

from ekommune.core.errors import ConflictError, PermissionDeniedError, ValidationError
from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import host_client, staff
from ekommune.portal import selectors, services
from ekommune.portal.demo import load_demo
from ekommune.portal.models import FormVersion, LifeEvent, Service, Topic
from ekommune.portal.tests.factories import Portal, portal_for

pytestmark = pytest.mark.django_db


def _service(portal: Portal, slug: str, title: str, summary: str, **values: object) -> Service:
    return services.service_create(
        actor=portal.admin,
        municipality=portal.municipality,
        values={
            "slug": slug,
            "title": title,
            "summary": summary,
            "life_event": values.pop("life_event", LifeEvent.HOUSING),
            "topic": values.pop("topic", Topic.BUILDING),
            "is_published": values.pop("is_published", True),
            **values,
        },
    )


def test_the_catalogue_lists_published_services_grouped_by_life_event(portal: Portal) -> None:
    _service(portal, "byggesak", "Byggesøknad", "Søk om å bygge garasje eller tilbygg.")
    _service(portal, "hemmelig", "Ikke publisert", "Under arbeid.", is_published=False)
    page = host_client("aust.test").get("/tjenester/").content.decode()
    assert "Barnehageplass" in page
    assert "Byggesøknad" in page
    assert "Ikke publisert" not in page
    assert page.index("Få barn og barnehage") < page.index("Bolig, eiendom og bygging")


def test_search_uses_norwegian_stemming_and_ranks_the_title_first(portal: Portal) -> None:
    _service(portal, "byggesak", "Byggesøknad for garasjer", "Søk om å bygge garasje eller tilbygg.")
    _service(portal, "vei", "Meld feil på vei", "Hull i veien, også ved garasjen.", topic=Topic.ROADS)
    found = [s.slug for s in selectors.service_search(municipality=portal.municipality, query="garasje")]
    assert found[0] == "byggesak"
    assert set(found) == {"byggesak", "vei"}
    assert [
        s.slug for s in selectors.service_search(municipality=portal.municipality, query="barnehager")
    ] == ["barnehageplass"]
    page = host_client("aust.test").get("/tjenester/?q=garasje").content.decode()
    assert "2 treff" in page


def test_filters_by_life_event_and_topic(portal: Portal) -> None:
    _service(portal, "byggesak", "Byggesøknad", "Bygg.")
    assert [
        s.slug for s in selectors.service_search(municipality=portal.municipality, topic=Topic.BUILDING)
    ] == ["byggesak"]
    assert [
        s.slug
        for s in selectors.service_search(municipality=portal.municipality, life_event=LifeEvent.CHILDREN)
    ] == ["barnehageplass"]
    page = host_client("aust.test").get("/tjenester/?tema=ukjent&livshendelse=bolig").content.decode()
    assert "Byggesøknad" in page
    assert "Barnehageplass" not in page


def test_the_service_page_shows_the_facts_and_a_start_link(portal: Portal) -> None:
    page = host_client("aust.test").get("/tjenester/barnehageplass/").content.decode()
    assert "Søk om plass i kommunal eller privat barnehage." in page
    assert "/tjenester/barnehageplass/skjema/" in page
    assert host_client("aust.test").get("/tjenester/finnes-ikke/").status_code == 404


def test_the_catalogue_of_one_municipality_shows_nothing_of_another(
    portal: Portal, municipality_b: Municipality
) -> None:
    other = portal_for(municipality_b, slug="skoleskyss")
    assert host_client("vest.test").get("/tjenester/barnehageplass/").status_code == 404
    assert host_client("aust.test").get("/tjenester/skoleskyss/").status_code == 404
    assert [s.slug for s in selectors.service_search(municipality=municipality_b)] == ["skoleskyss"]
    with pytest.raises(ValidationError) as error:
        services.service_update(
            actor=other.admin,
            municipality=municipality_b,
            service=other.service,
            values={"form": portal.form},
        )
    assert error.value.code == "wrong_municipality"


def test_only_staff_with_the_right_may_edit_the_catalogue(portal: Portal) -> None:
    case_worker = staff(portal.municipality, Role.CASE_WORKER)
    with pytest.raises(PermissionDeniedError):
        services.service_update(
            actor=case_worker, municipality=portal.municipality, service=portal.service, values={"title": "X"}
        )
    client = host_client("aust.test", case_worker)
    assert client.get("/ansatt/tjenester/").status_code == 403
    assert host_client("aust.test").get("/ansatt/tjenester/").status_code == 302  # to the staff login


def test_staff_edit_a_service_on_its_page(portal: Portal) -> None:
    client = host_client("aust.test", portal.admin)
    page = client.get(f"/ansatt/tjenester/{portal.service.pk}/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form.initial.get(name) or "" for name in services.SERVICE_FIELDS}
    data.update(
        title="Barnehageplass og SFO",
        is_published="on",
        form=portal.form.pk,
        archive_series=portal.archive.series.pk,
        archive_class=portal.archive.classes["A20"].pk,
    )
    response = client.post(f"/ansatt/tjenester/{portal.service.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Service.objects.get(pk=portal.service.pk).title == "Barnehageplass og SFO"
    data["slug"] = "ny"
    data["title"] = ""
    bad = client.post("/ansatt/tjenester/ny/", data)
    assert bad.status_code == 400
    assert "error-summary" in bad.content.decode()


def test_a_duplicate_slug_is_a_conflict(portal: Portal) -> None:
    with pytest.raises(ConflictError):
        _service(portal, "barnehageplass", "To", "Samme kortnavn.")


def test_forms_are_edited_as_json_and_each_save_is_a_new_immutable_version(portal: Portal) -> None:
    client = host_client("aust.test", portal.admin)
    bad = client.post(
        f"/ansatt/skjemaer/{portal.form.pk}/",
        {"title": "Søknad", "definition": '{"fields": [{"key": "Navn", "type": "tekst", "label": "Navn"}]}'},
    )
    assert bad.status_code == 400
    assert "fields[0].key" in bad.content.decode()
    not_json = client.post(
        f"/ansatt/skjemaer/{portal.form.pk}/", {"title": "Søknad", "definition": "{fields"}
    )
    assert not_json.status_code == 400
    good = client.post(
        f"/ansatt/skjemaer/{portal.form.pk}/",
        {"title": "Søknad", "definition": '{"fields": [{"key": "navn", "type": "text", "label": "Navn"}]}'},
    )
    assert good.status_code == 302
    versions = list(FormVersion.objects.filter(form=portal.form).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    with pytest.raises(ProgrammingError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE portal_formversion SET definition = '{}' WHERE id = %s", [versions[0].pk])
    assert "immutable" in str(refused.value)
    created = client.post(
        "/ansatt/skjemaer/nytt/",
        {
            "slug": "nytt",
            "title": "Nytt",
            "definition": '{"fields": [{"key": "a", "type": "yesno", "label": "A?"}]}',
        },
    )
    assert created.status_code == 302
    assert "Nytt" in client.get("/ansatt/skjemaer/").content.decode()


def test_the_demo_has_five_services_each_with_a_valid_form(municipality_a: Municipality) -> None:
    from ekommune.archive.tests.factories import archive_for

    archive_for(municipality_a)
    admin = staff(municipality_a, Role.ADMINISTRATOR, username=f"{municipality_a.slug}.admin")
    assert load_demo(municipality_a, actor=admin) == [f"portal of {municipality_a.name} (5 services)"]
    assert load_demo(municipality_a, actor=admin) == []  # idempotent
    found = list(selectors.service_search(municipality=municipality_a))
    assert {s.slug for s in found} == {
        "skoleskyss",
        "barnehageplass",
        "feil-pa-vei",
        "enkel-byggesak",
        "skjenkebevilling",
    }
    assert all(s.accepts_submissions for s in found)
    assert len(selectors.letter_templates(municipality=municipality_a)) == 2


def test_every_demo_form_renders_and_reports_missing_answers(municipality_a: Municipality) -> None:
    from ekommune.archive.tests.factories import archive_for
    from ekommune.identity.testing import log_in_citizen
    from ekommune.identity.types import Level

    archive_for(municipality_a)
    admin = staff(municipality_a, Role.ADMINISTRATOR, username=f"{municipality_a.slug}.admin")
    load_demo(municipality_a, actor=admin)
    client = host_client("aust.test")
    log_in_citizen(client, level=Level.HIGH, organisation_number="974760673")
    for service in selectors.service_search(municipality=municipality_a):
        page = client.get(f"/tjenester/{service.slug}/skjema/")
        assert page.status_code == 200, service.slug
        empty = client.post(f"/tjenester/{service.slug}/skjema/", {"action": "next"})
        assert empty.status_code == 400, service.slug
        assert "error-summary" in empty.content.decode()


def test_the_catalogue_can_be_grouped_by_topic(portal: Portal) -> None:
    _service(portal, "byggesak", "Byggesøknad", "Bygg.")
    page = host_client("aust.test").get("/tjenester/?gruppering=tema").content.decode()
    assert page.index(">Barnehage<") < page.index(">Byggesak<")


@pytest.mark.parametrize(
    ("language", "heading", "search"),
    [
        ("nb", "Tjenester", "Søk i tjenestene"),
        ("nn", "Tenester", "Søk i tenestene"),
        ("en", "Services", "Search the services"),
    ],
)
def test_the_catalogue_speaks_bokmål_nynorsk_and_english(
    portal: Portal, language: str, heading: str, search: str
) -> None:
    client = host_client("aust.test")
    client.cookies["django_language"] = language
    page = client.get("/tjenester/").content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert search in page


def test_the_site_menu_and_the_staff_page_lead_to_the_portal(portal: Portal) -> None:
    page = host_client("aust.test").get("/").content.decode()
    assert 'href="/tjenester/"' in page
    assert 'href="/min-side/"' in page
    staff_page = host_client("aust.test", portal.case_worker).get("/ansatt/").content.decode()
    assert 'href="/ansatt/innboks/"' in staff_page
    assert 'href="/ansatt/tjenester/"' not in staff_page  # case workers do not edit the catalogue
    assert (
        'href="/ansatt/tjenester/"' in host_client("aust.test", portal.admin).get("/ansatt/").content.decode()
    )
