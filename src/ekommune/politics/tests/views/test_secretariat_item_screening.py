"""The secretariat's agenda form passes the restriction and legal basis; the service decides what
is screened: a restricted case presentation without a public title shows no title anywhere."""

from __future__ import annotations

import pytest

from ekommune.archive.tests.factories import case_for
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics.models import AgendaItem
from ekommune.politics.tests.factories import body_for, meeting_for, member, politics_for

pytestmark = pytest.mark.django_db

HOST = "skjerming.test"
SECRET = "Tilskudd til Hemmelig Hansen"


def test_a_restricted_item_added_without_a_public_title_shows_no_title() -> None:
    politics = politics_for(MunicipalityFactory.create(slug="skjerming", host=HOST))
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    member(politics, fsk, "Ola Ordfører", "Ap", "leder")
    meeting = meeting_for(politics, fsk)
    case_file = case_for(politics.archive, "Tilskudd til enkeltperson")
    client = host_client(HOST, politics.secretary)
    base = f"/politikk/sekretariat/moter/{meeting.pk}/saker/"
    form = {
        "case_number": case_file.file_id,
        "title": SECRET,
        "access_restriction": "13",
        "legal_basis": "Offl. § 13",
    }
    assert client.post(base, form).status_code == 302
    assert AgendaItem.objects.get(meeting=meeting).presentation_screened
    for page in (f"/politikk/moter/{meeting.pk}/", f"/politikk/saker/{case_file.file_id}/"):
        text = host_client(HOST).get(page).content.decode()
        assert "Hemmelig Hansen" not in text
        assert "*****" in text

    response = client.post(base, {**form, "access_restriction": "XX"})
    assert response.status_code == 400
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
