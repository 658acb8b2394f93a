"""Parsing what staff and visitors send: deviation reports, the register's steps, the decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ekommune.security.models import DeviationKind
from ekommune.security.types import DeviationReport

_WHEN = {"type": "datetime-local"}


class DeviationReportForm(forms.Form):
    """The short report: four fields first (under a minute), the rest when known."""

    kind = forms.ChoiceField(
        label=_("Hva gjelder avviket"), choices=DeviationKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Kort beskrivelse"), max_length=200)
    description = forms.CharField(label=_("Hva skjedde"), widget=forms.Textarea(attrs={"rows": 4}))
    discovered_at = forms.DateTimeField(
        label=_("Når ble det oppdaget"), widget=forms.DateTimeInput(attrs=_WHEN)
    )
    occurred_at = forms.DateTimeField(
        label=_("Når skjedde det (hvis kjent)"), required=False, widget=forms.DateTimeInput(attrs=_WHEN)
    )
    systems = forms.CharField(label=_("Systemer som er berørt"), required=False, max_length=2000)
    data_involved = forms.CharField(label=_("Opplysninger som er berørt"), required=False, max_length=2000)
    person_categories = forms.CharField(
        label=_("Hvem er berørt (for eksempel elever, ansatte, innbyggere)"), required=False, max_length=2000
    )
    persons_affected = forms.IntegerField(
        label=_("Omtrent hvor mange personer er berørt"), required=False, min_value=0, max_value=100_000_000
    )
    immediate_measures = forms.CharField(
        label=_("Hva er gjort straks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("discovered_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))

    def report(self) -> DeviationReport:
        data = self.cleaned_data
        return DeviationReport(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            discovered_at=data["discovered_at"],
            occurred_at=data["occurred_at"],
            systems=data["systems"],
            data_involved=data["data_involved"],
            person_categories=data["person_categories"],
            persons_affected=data["persons_affected"],
            immediate_measures=data["immediate_measures"],
        )


class PublicDeviationForm(DeviationReportForm):
    reporter_name = forms.CharField(label=_("Navnet ditt (valgfritt)"), required=False, max_length=200)
    reporter_email = forms.EmailField(label=_("E-postadressen din (valgfritt)"), required=False)


class AssessForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Ansvarlig"), coerce=int)
    due_date = forms.DateField(label=_("Frist"), widget=forms.DateInput(attrs={"type": "date"}))
    assessment = forms.CharField(label=_("Vurdering"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = staff  # type: ignore[attr-defined]


class MeasuresForm(forms.Form):
    measures = forms.CharField(label=_("Tiltak"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        label=_("Hvordan ble avviket avsluttet"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    notify_authority = forms.TypedChoiceField(
        label=_("Meldes bruddet til Datatilsynet"),
        choices=[("ja", _("Ja")), ("nei", _("Nei"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 3}))
    authority_notified_at = forms.DateTimeField(
        label=_("Meldt til Datatilsynet (tidspunkt)"), required=False, widget=forms.DateTimeInput(attrs=_WHEN)
    )
    persons_notified = forms.TypedChoiceField(
        label=_("Varsles de berørte personene"),
        choices=[("ja", _("Ja")), ("nei", _("Nei"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    persons_notified_reason = forms.CharField(
        label=_("Begrunnelse for varsling av berørte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SettingsForm(forms.Form):
    intake_user = forms.TypedChoiceField(
        label=_("Registreres i arkivet av"), coerce=int, required=False, empty_value=None
    )
    privacy_officer = forms.TypedChoiceField(
        label=_("Personvernombud"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("intake_user", "privacy_officer"):
            self.fields[name].choices = [("", _("Ingen")), *staff]  # type: ignore[attr-defined]
