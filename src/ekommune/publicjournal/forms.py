"""Parsing what visitors and API clients send: the journal search, the access-request forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ekommune.publicjournal.selectors import SORTS, JournalQuery

ENTRY_TYPE_CHOICES = [
    ("", _("Alle typer")),
    ("I", _("Inngående (I)")),
    ("U", _("Utgående (U)")),
    ("N", _("Internt notat med oppfølging (N)")),
    ("X", _("Internt notat uten oppfølging (X)")),
    ("S", _("Saksframlegg (S)")),
]
SORT_CHOICES = [
    ("nyeste", _("Nyeste først")),
    ("eldste", _("Eldste først")),
    ("relevans", _("Mest relevant")),
]
CASE_NUMBER = re.compile(r"^[0-9]{4}/[0-9]{1,9}$")


class JournalSearchForm(forms.Form):
    q = forms.CharField(label=_("Søk i titler og avsender/mottaker"), required=False, max_length=200)
    fra = forms.DateField(
        label=_("Journaldato fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    til = forms.DateField(
        label=_("Journaldato til"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    type = forms.ChoiceField(label=_("Dokumenttype"), required=False, choices=ENTRY_TYPE_CHOICES)
    sak = forms.CharField(
        label=_("Saksnummer"), required=False, max_length=20, help_text=_("For eksempel 2026/14.")
    )
    enhet = forms.ChoiceField(label=_("Avdeling"), required=False, choices=[])
    sortering = forms.ChoiceField(label=_("Sortering"), required=False, choices=SORT_CHOICES)
    side = forms.IntegerField(label=_("Side"), required=False, min_value=1, max_value=100_000)

    def __init__(self, *args: Any, units: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["enhet"].choices = [("", _("Alle avdelinger"))] + [(unit, unit) for unit in units or []]  # type: ignore[attr-defined]
        self.fields["sak"].widget.attrs["aria-describedby"] = "id_sak_helptext"

    def clean_enhet(self) -> str:
        value: str = self.cleaned_data.get("enhet") or ""
        return value

    def clean_sak(self) -> str:
        value = (self.cleaned_data.get("sak") or "").strip()
        if value and not CASE_NUMBER.match(value):
            raise forms.ValidationError(
                _("Skriv saksnummeret som år/nummer, for eksempel 2026/14."), code="invalid"
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("fra"), cleaned.get("til")
        if start and end and start > end:
            self.add_error(
                "til", forms.ValidationError(_("Til-datoen må være etter fra-datoen."), code="invalid")
            )
        return cleaned

    def journal_query(self) -> JournalQuery:
        data = self.cleaned_data
        sort = data.get("sortering") or "nyeste"
        return JournalQuery(
            text=data.get("q") or "",
            date_from=data.get("fra"),
            date_to=data.get("til"),
            entry_type=data.get("type") or "",
            case_number=data.get("sak") or "",
            administrative_unit=data.get("enhet") or "",
            sort=sort if sort in SORTS else "nyeste",
        )

    def page(self) -> int:
        return int(self.cleaned_data.get("side") or 1)
