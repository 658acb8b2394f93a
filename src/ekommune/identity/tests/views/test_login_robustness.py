"""Whatever arrives at the login endpoints, the answer is a page or a redirect, never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekommune.core.tests.factories import host_client
from ekommune.identity.models import IdentityProvider

pytestmark = pytest.mark.django_db

text = st.text(max_size=40)
params = st.dictionaries(
    st.sampled_from(["code", "state", "error", "error_description", "iss", "sid", "level", "next"]),
    text,
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=params)
def test_any_query_to_the_callback_and_front_channel_is_answered_without_a_server_error(
    idporten: IdentityProvider, query: dict[str, str]
) -> None:
    client = host_client("aust.test")
    client.get(f"/innbygger/innlogging/{idporten.pk}/")  # a login is pending in this session
    for path in ("/innlogging/tilbake/", "/innbygger/utlogging/frontkanal/", "/innbygger/innlogging/"):
        response = client.get(path, query)
        assert response.status_code < 500, (path, query)
    start = client.get(f"/innbygger/innlogging/{idporten.pk}/", query)
    assert start.status_code == 302
    assert start["Location"].startswith(idporten.issuer)
