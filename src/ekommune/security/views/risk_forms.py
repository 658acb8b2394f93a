"""Parsing what staff send about risk assessments: a new ROS, a threat, a measure, a status,
a deviation's link to a measure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ekommune.security.models import AssetKind, MeasureStatus
from ekommune.security.types import MeasureInput, ThreatInput

SCALE_CHOICES = [(value, str(value)) for value in range(1, 6)]
STEP_CHOICES = [(value, str(value)) for value in range(0, 5)]


def _staff_field(form: forms.Form, name: str, staff: list[tuple[int, str]]) -> None:
    form.fields[name].choices = staff  # type: ignore[attr-defined]


class RiskAssessmentForm(forms.Form):
    asset_name = forms.CharField(
        label=_("Hva analysen gjelder (system, tjeneste eller prosess)"), max_length=200
    )
    asset_kind = forms.ChoiceField(label=_("Type"), choices=AssetKind.choices)
    owner = forms.TypedChoiceField(label=_("Ansvarlig"), coerce=int)
    scope = forms.CharField(
        label=_("Omfang og forutsetninger"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _staff_field(self, "owner", staff)


class ThreatForm(forms.Form):
    title = forms.CharField(label=_("Uønsket hendelse"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse og årsaker"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    likelihood = forms.TypedChoiceField(label=_("Sannsynlighet (1–5)"), choices=SCALE_CHOICES, coerce=int)
    confidentiality = forms.TypedChoiceField(
        label=_("Konsekvens for konfidensialitet (1–5)"), choices=SCALE_CHOICES, coerce=int
    )
    integrity = forms.TypedChoiceField(
        label=_("Konsekvens for integritet (1–5)"), choices=SCALE_CHOICES, coerce=int
    )
    availability = forms.TypedChoiceField(
        label=_("Konsekvens for tilgjengelighet (1–5)"), choices=SCALE_CHOICES, coerce=int
    )

    def threat(self) -> ThreatInput:
        return ThreatInput(**self.cleaned_data)


class MeasureForm(forms.Form):
    threat = forms.TypedChoiceField(label=_("Hendelse"), coerce=int)
    description = forms.CharField(label=_("Tiltak"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.TypedChoiceField(label=_("Ansvarlig"), coerce=int)
    due_date = forms.DateField(label=_("Frist"), widget=forms.DateInput(attrs={"type": "date"}))
    reduces_likelihood = forms.TypedChoiceField(
        label=_("Senker sannsynligheten med (trinn)"), choices=STEP_CHOICES, coerce=int, initial=0
    )
    reduces_consequence = forms.TypedChoiceField(
        label=_("Senker konsekvensen med (trinn)"), choices=STEP_CHOICES, coerce=int, initial=0
    )

    def __init__(
        self, *args: Any, staff: list[tuple[int, str]], threats: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _staff_field(self, "owner", staff)
        self.fields["threat"].choices = threats  # type: ignore[attr-defined]

    def measure(self) -> MeasureInput:
        data = self.cleaned_data
        return MeasureInput(
            description=data["description"],
            owner_id=data["owner"],
            due_date=data["due_date"],
            reduces_likelihood=data["reduces_likelihood"],
            reduces_consequence=data["reduces_consequence"],
        )


class MeasureStatusForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)


class MeasureLinkForm(forms.Form):
    measure = forms.TypedChoiceField(label=_("ROS-tiltak som svarer på årsaken"), coerce=int)
    cause = forms.CharField(label=_("Gjentakende årsak"), max_length=300)

    def __init__(self, *args: Any, measures: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measures  # type: ignore[attr-defined]
