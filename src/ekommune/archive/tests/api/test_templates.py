"""Every ny-* relation a client can discover answers GET with a template object and its _links."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest

from ekommune.archive import services
from ekommune.archive.api.creators import CREATORS
from ekommune.archive.api.noark import REL
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import SENDER, Archive, case_for, letter

pytestmark = pytest.mark.django_db

NOT_FOLLOWED = ("login/", "logout/", "/fil/", "next")


def discovered_new_relations(client: Any) -> dict[str, set[str]]:
    """Walk every link from the entry point (GET only); ny-* relation → the hrefs where it was offered."""
    seen: set[str] = set()
    found: dict[str, set[str]] = {}
    queue = deque(["/api/noark5/"])
    while queue and len(seen) < 400:
        href = queue.popleft()
        if href in seen:
            continue
        seen.add(href)
        response = client.get(href)
        if response.status_code != 200:  # the walk looks for ny-* links; lists are tested elsewhere
            continue
        body = response.json()
        for item in [body, *body.get("results", [])]:
            for relation, target in item.get("_links", {}).items():
                if "/ny-" in relation:
                    found.setdefault(relation.removeprefix(REL), set()).add(target["href"])
                elif not any(part in relation or part in target["href"] for part in NOT_FOLLOWED):
                    queue.append(target["href"])
    return found


def test_every_discovered_new_relation_gives_a_template_with_links(
    archive: Archive, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    case_file = case_for(archive)
    services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="I",
        title="Søknad",
        parties=[SENDER],
        documents=[letter()],
    )
    services.internal_note_register(
        actor=archive.case_worker, municipality=archive.municipality, case_file=case_file, title="Notat"
    )
    client = api("aust.test", token_for("aust.test", archive.records_manager.username))
    found = discovered_new_relations(client)
    offered = {relation.rsplit("/", 2)[-2] for relation in found}
    accepted_only = {"ny-undermappe"}  # the name of Noark 5 v4: taken, not offered (decision 0161)
    assert ({new for _, new in CREATORS} - accepted_only) | {"ny-arkiv", "ny-mappetype"} <= offered
    for relation, hrefs in found.items():
        for href in hrefs:
            response = client.get(href)
            assert response.status_code == 200, (relation, href, response.content)
            body = response.json()
            assert body.get("_links"), (relation, href, body)
            assert "self" not in body["_links"], relation
            assert all(key.startswith(REL) for key in body["_links"]), relation
