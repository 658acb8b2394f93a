"""Atom feed of new decisions (Django syndication). Built from ``PublicItem`` values only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ekommune.core.http import request_municipality
from ekommune.core.models import Municipality
from ekommune.politics import selectors
from ekommune.politics.types import PublicItem


class DecisionsFeed(Feed[PublicItem, Municipality]):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Municipality:
        return request_municipality(request)

    def title(self, obj: Municipality) -> str:
        return _("Politiske vedtak – %(name)s") % {"name": obj.name}

    def subtitle(self, obj: Municipality) -> str:
        return _("Nye vedtak, foreløpige til protokollen er godkjent.")

    def link(self, obj: Municipality) -> str:
        return reverse("politics:index")

    def items(self, obj: Municipality) -> list[PublicItem]:
        return selectors.decisions_recent(municipality=obj, limit=50)

    def item_title(self, item: PublicItem) -> str:
        state = _("foreløpig") if item.decision and item.decision.provisional else _("endelig")
        return f"{item.body_name} {item.number}: {item.title} ({state})"

    def item_description(self, item: PublicItem) -> str:
        if item.decision is None or not item.is_open:
            return _("Vedtaket er unntatt offentlighet.")
        return item.decision.text

    def item_link(self, item: PublicItem) -> str:
        year, _sep, sequence = item.case_number.partition("/")
        return reverse("politics:case", args=[year, sequence]) + f"#sak-{item.pk}"

    def item_guid(self, item: PublicItem) -> str:
        assert item.decision is not None
        return f"urn:ekommune:politics:decision:{item.pk}:{item.decision.recorded_at.timestamp():.0f}"

    def item_guid_is_permalink(self, item: PublicItem) -> bool:
        return False

    def item_pubdate(self, item: PublicItem) -> dt.datetime | None:
        return item.decision.recorded_at if item.decision else None

    def item_updateddate(self, item: PublicItem) -> dt.datetime | None:
        if item.decision is None:
            return None
        return item.decision.final_at or item.decision.recorded_at
