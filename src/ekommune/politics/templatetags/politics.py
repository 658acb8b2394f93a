"""Template helpers of the political pages and e-mails: links."""

from __future__ import annotations

from django import template

from ekommune.politics import selectors
from ekommune.politics.models import Subscription

register = template.Library()


@register.simple_tag
def politics_path(name: str, *args: object) -> str:
    """A path of this app without the request's script prefix (for absolute links in e-mails)."""
    return selectors.path(name, *args)


@register.simple_tag
def case_path(case_number: str) -> str:
    year, _, sequence = case_number.partition("/")
    return selectors.path("case", year, sequence)


@register.simple_tag
def unsubscribe_token(subscription: Subscription) -> str:
    return selectors.unsubscribe_token(subscription=subscription)
