"""Parsing what visitors and API clients send: the journal search, the access-request forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ekommune.core.forms import NamedErrorsMixin
from ekommune.publicjournal.selectors import SORTS
from ekommune.publicjournal.types import JournalQuery

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


class AccessRequestForm(NamedErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-postadresse"),
        help_text=_("Svaret sendes hit. Adressen publiseres ikke."),
        error_messages={"required": _("Skriv e-postadressen din, så vi kan sende deg svaret.")},
    )
    name = forms.CharField(label=_("Navn (valgfritt)"), required=False, max_length=200)
    message = forms.CharField(
        label=_("Melding til kommunen (valgfritt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "aria-describedby": "id_email_helptext"}
        )
        self.fields["name"].widget.attrs["autocomplete"] = "name"


DECISION_CHOICES = [
    ("innvilget", _("Innvilg: dokumentene sendes som nedlastingslenke")),
    ("delvis", _("Innvilg delvis: last opp en sladdet versjon")),
    ("avslatt", _("Avslå: oppgi hjemmel; klageveiledning sendes med")),
]


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Utfall"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    legal_basis = forms.CharField(
        label=_("Hjemmel for det som unntas"),
        required=False,
        max_length=300,
        help_text=_("For eksempel Offl. § 13 jf. fvl. § 13. Påkrevd ved avslag og delvis innsyn."),
    )
    explanation = forms.CharField(
        label=_("Begrunnelse eller melding"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    redacted_file = forms.FileField(label=_("Sladdet versjon (ved delvis innsyn)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].widget.attrs["aria-describedby"] = "id_legal_basis_helptext"


class JournalSettingsForm(forms.Form):
    """The records manager's settings: publication policy and access-request handling."""

    publish_internal_notes = forms.BooleanField(label=_("Publiser interne notater (N og X)"), required=False)
    delay_hours = forms.IntegerField(
        label=_("Forsinkelse før publisering (timer)"), min_value=0, max_value=720
    )
    sensitive_class_prefixes = forms.CharField(
        label=_("Klasser der private personer aldri navngis"),
        required=False,
        help_text=_("Prefiks av klasseID, skilt med mellomrom, for eksempel F G H 4."),
    )
    full_text_enabled = forms.BooleanField(
        label=_("Publiser fulltekst av uskjermede dokumenter"), required=False
    )
    deadline_working_days = forms.IntegerField(
        label=_("Svarfrist for innsynskrav (virkedager)"), min_value=1, max_value=20
    )
    deadline_basis = forms.CharField(
        label=_("Grunnlag for fristen"), widget=forms.Textarea(attrs={"rows": 2})
    )
    appeal_information = forms.CharField(
        label=_("Klageveiledning ved avslag"), widget=forms.Textarea(attrs={"rows": 3})
    )
    intake_username = forms.CharField(
        label=_("Innsynskrav registreres av (brukernavn)"),
        required=False,
        max_length=150,
        help_text=_("En ansatt som kan journalføre, for eksempel postmottaket eller arkivaren."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sensitive_class_prefixes", "intake_username"):
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_helptext"
