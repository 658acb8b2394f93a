"""Parsing what staff send about the record of processing and the DPIA checklist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ekommune.security.models import Article6Basis, Article9Basis
from ekommune.security.rules import DPIA_CRITERIA
from ekommune.security.types import ProcessingInput

_TEXT = forms.Textarea(attrs={"rows": 2})
YES_NO = [("ja", _("Ja")), ("nei", _("Nei"))]


class ProcessingForm(forms.Form):
    name = forms.CharField(label=_("Behandling"), max_length=200)
    purpose = forms.CharField(label=_("Formål"), widget=_TEXT)
    legal_basis_art6 = forms.MultipleChoiceField(
        label=_("Rettslig grunnlag (art. 6)"),
        choices=Article6Basis.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_basis_art9 = forms.MultipleChoiceField(
        label=_("Unntak for særlige kategorier (art. 9)"),
        choices=Article9Basis.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_basis_reference = forms.CharField(
        label=_("Supplerende rettsgrunnlag (lov og forskrift)"), required=False, widget=_TEXT
    )
    data_subject_categories = forms.CharField(label=_("Kategorier av registrerte"), widget=_TEXT)
    data_categories = forms.CharField(label=_("Kategorier av personopplysninger"), widget=_TEXT)
    recipients = forms.CharField(label=_("Mottakere"), required=False, widget=_TEXT)
    transfers = forms.CharField(label=_("Overføring til tredjeland"), required=False, widget=_TEXT)
    retention = forms.CharField(label=_("Lagringstid og sletting"), widget=_TEXT)
    security_measures = forms.CharField(
        label=_("Sikkerhetstiltak (ikke offentlig)"), required=False, widget=_TEXT
    )
    systems = forms.CharField(label=_("Systemer (ikke offentlig)"), required=False, widget=_TEXT)
    internal_note = forms.CharField(label=_("Intern merknad (ikke offentlig)"), required=False, widget=_TEXT)
    published = forms.BooleanField(label=_("Vis på den offentlige siden"), required=False)

    def processing(self) -> ProcessingInput:
        data = dict(self.cleaned_data)
        data["legal_basis_art6"] = tuple(data["legal_basis_art6"])
        data["legal_basis_art9"] = tuple(data["legal_basis_art9"])
        return ProcessingInput(**data)


class DpiaChecklistForm(forms.Form):
    """The nine criteria as yes/no questions, Datatilsynet's list, and the reasoning."""

    on_authority_list = forms.TypedChoiceField(
        label=_("Står behandlingen på Datatilsynets liste over behandlinger som alltid krever DPIA?"),
        choices=YES_NO,
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in DPIA_CRITERIA:
            self.fields[f"criterion_{key}"] = forms.TypedChoiceField(
                label=_(question),
                choices=YES_NO,
                coerce=lambda value: value == "ja",
                widget=forms.RadioSelect,
            )
        self.order_fields([f"criterion_{key}" for key, _question in DPIA_CRITERIA])

    def answers(self) -> dict[str, bool]:
        return {key: self.cleaned_data[f"criterion_{key}"] for key, _question in DPIA_CRITERIA}


class DpiaCompleteForm(forms.Form):
    summary = forms.CharField(label=_("Konklusjon av DPIA-en"), widget=forms.Textarea(attrs={"rows": 3}))
    high_residual_risk = forms.TypedChoiceField(
        label=_("Er restrisikoen fortsatt høy (forhåndsdrøfting med Datatilsynet)?"),
        choices=YES_NO,
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
