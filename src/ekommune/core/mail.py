"""E-mail written as a template whose first line is the subject and the rest the body: the form of
every app's notices and reminders (politics notices, security reminders)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def templated_message(*, template: str, context: Mapping[str, Any], to: Sequence[str]) -> EmailMessage:
    """The message the template renders: its first line the subject, the rest the body."""
    text = render_to_string(template, dict(context))
    subject, _, body = text.strip().partition("\n")
    return EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=list(to))
