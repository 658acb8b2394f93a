"""Atom feeds: the municipality's public journal, and any saved search (its query string).

``journal/feed/`` gives the newest entries; ``journal/feed/?q=byggesak&type=I`` the newest of that
search. Built from the publication table only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ekommune.core.http import municipality_required, request_municipality
from ekommune.core.models import Municipality
from ekommune.publicjournal import selectors
from ekommune.publicjournal.models import PublishedEntry
from ekommune.publicjournal.types import JournalQuery
from ekommune.publicjournal.views.state import journal_search_form, publication_conditional

FEED_SIZE = 50


class JournalFeed(Feed):
    feed_type = Atom1Feed

    def get_object(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> tuple[Municipality, JournalQuery]:
        municipality = request_municipality(request)
        form = journal_search_form(request)
        if not form.is_valid():
            raise Http404(_("Ugyldig søk."))
        return municipality, form.journal_query()

    def title(self, obj: tuple[Municipality, JournalQuery]) -> str:
        municipality, query = obj
        if query.params():
            return _("Offentlig journal for %(name)s: %(search)s") % {
                "name": municipality.name,
                "search": query.text or _("utvalg"),
            }
        return _("Offentlig journal for %(name)s") % {"name": municipality.name}

    def link(self, obj: tuple[Municipality, JournalQuery]) -> str:
        params = obj[1].params()
        return reverse("publicjournal:search") + (f"?{urlencode(params)}" if params else "")

    def subtitle(self, obj: tuple[Municipality, JournalQuery]) -> str:
        return _("Nye journalposter i den offentlige journalen.")

    def items(self, obj: tuple[Municipality, JournalQuery]) -> list[PublishedEntry]:
        municipality, query = obj
        return list(selectors.public_entries(municipality=municipality, query=query)[:FEED_SIZE])

    def item_title(self, item: PublishedEntry) -> str:
        return f"{item.registration_id} {item.title}"

    def item_description(self, item: PublishedEntry) -> str:
        parties = ", ".join(party["name"] for party in item.parties)
        lines = [
            f"{_('Sak')}: {item.case_number} {item.case_title}",
            f"{_('Type')}: {item.entry_type}",
            f"{_('Journaldato')}: {item.journal_date.isoformat()}",
        ]
        if parties:
            lines.append(f"{_('Avsender/mottaker')}: {parties}")
        if item.legal_bases:
            lines.append(f"{_('Skjermingshjemmel')}: {'; '.join(item.legal_bases)}")
        return "\n".join(lines)

    def item_link(self, item: PublishedEntry) -> str:
        return reverse("publicjournal:entry", args=[item.system_id])

    def item_guid(self, item: PublishedEntry) -> str:
        return f"urn:uuid:{item.system_id}"

    def item_guid_is_permalink(self, item: PublishedEntry) -> bool:
        return False

    def item_pubdate(self, item: PublishedEntry) -> dt.datetime:
        return item.published_at

    def item_updateddate(self, item: PublishedEntry) -> dt.datetime:
        return item.refreshed_at


journal_feed = require_GET(municipality_required(publication_conditional(shared=True)(JournalFeed())))
