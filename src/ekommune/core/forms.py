"""What every citizen-facing Django form shares: errors that name their field (decision 0177).

A form submitted empty used to list the same "Dette feltet er påkrevd." once per field; a
screen-reader user hearing the error summary could not tell which field each link leads to.
``NamedErrorsMixin`` gives each field messages that name it by its label («E-postadresse») —
the same texts as the portal's form engine — and ties each field to its error for assistive
technology (``aria-describedby`` = help text and ``<id>_error``, as Django does by itself when a
widget names no description of its own).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext


def _named(template: str, label: str, **params: Any) -> str:
    return gettext(template) % {"label": label, **params}


named = lazy(_named, str)


def error_id(bound: forms.BoundField) -> str:
    """The id of the element that holds a field's error text (``id_email_error``, as Django's own)."""
    return f"{bound.auto_id}_error"


def _defaults(field: forms.Field) -> dict[str, Any]:
    """The messages Django's field classes give, before a form chooses its own."""
    merged: dict[str, Any] = {}
    for klass in reversed(type(field).__mro__):
        merged.update(getattr(klass, "default_error_messages", {}))
    return merged


def _named_messages(field: forms.Field) -> dict[str, Any]:
    label = str(field.label or "")
    messages: dict[str, Any] = {
        "required": named("Fyll ut «%(label)s».", label),
        # formatted again by Django with the validator's ``limit_value``: a % in the label is escaped
        "max_length": named(
            "Skriv høyst %(limit)s tegn i «%(label)s».", label.replace("%", "%%"), limit="%(limit_value)d"
        ),
    }
    if isinstance(field, forms.EmailField):
        messages["invalid"] = named(
            "Skriv en gyldig e-postadresse i «%(label)s», som navn@eksempel.no.", label
        )
    elif isinstance(field, forms.DateField):
        messages["invalid"] = named("Skriv «%(label)s» som en dato, dd.mm.åååå.", label)
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = named("Skriv et tall i «%(label)s».", label)
    elif isinstance(field, forms.ChoiceField):
        messages["required"] = named("Velg et svar i «%(label)s».", label)
        messages["invalid_choice"] = named("Velg et av alternativene i «%(label)s».", label)
    return messages


class NamedErrorsMixin:
    """Mixed in before ``forms.Form``: every error of a field says which field it is about.

    Only Django's own generic messages are replaced; a message the form chose itself
    (``error_messages={"required": ...}``) is kept, as it names its field already."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            defaults = _defaults(field)
            for code, message in _named_messages(field).items():
                if field.error_messages.get(code) is defaults.get(code):
                    field.error_messages[code] = message

    def full_clean(self) -> None:
        """Django links a field to its error (``aria-describedby``) only while the widget names
        nothing itself; where it does (a help text), the error is added after it."""
        super().full_clean()  # type: ignore[misc]
        form: forms.BaseForm = self  # type: ignore[assignment]
        for name in form.errors:
            if name not in form.fields:
                continue
            attrs = form.fields[name].widget.attrs
            described = attrs.get("aria-describedby", "").split()
            if described and error_id(form[name]) not in described:
                attrs["aria-describedby"] = " ".join([*described, error_id(form[name])])
