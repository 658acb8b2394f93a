"""The Django forms of the portal's pages (the form engine's own forms are ``engine``'s): parse only;
the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ekommune.core.forms import NamedErrorsMixin
from ekommune.core.models import Municipality
from ekommune.portal import engine, selectors, services
from ekommune.portal.models import Service


class ServiceForm(NamedErrorsMixin, forms.ModelForm[Service]):
    """A service of the catalogue; its archive series and class are chosen among the archive's own
    (the service keeps their systemIDs)."""

    archive_series: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=capfirst(_("arkivdel"))
    )
    archive_class: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=capfirst(_("klasse"))
    )

    class Meta:
        model = Service
        fields = list(services.SERVICE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "who_may_apply": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, actor: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_choices, series, classes = selectors.service_choices(actor=actor, municipality=municipality)
        self.fields["form"].queryset = form_choices  # type: ignore[attr-defined]
        self.fields["archive_series"].queryset = series  # type: ignore[attr-defined]
        self.fields["archive_class"].queryset = classes  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            chosen_series, chosen_class = selectors.service_archive_target(
                actor=actor, municipality=municipality, service=self.instance
            )
            self.initial.setdefault("archive_series", chosen_series.pk if chosen_series else None)
            self.initial.setdefault("archive_class", chosen_class.pk if chosen_class else None)

    def validate_unique(self) -> None:  # the service checks uniqueness within the municipality
        return


class FormDefinitionForm(NamedErrorsMixin, forms.Form):
    slug = forms.SlugField(label=_("Kortnavn"), max_length=80)
    title = forms.CharField(label=_("Tittel"), max_length=200)
    definition = forms.JSONField(
        label=_("Definisjon (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        help_text=_("Se docs/portal.md for felttypene og egenskapene deres."),
    )

    def clean_definition(self) -> Any:
        definition = self.cleaned_data["definition"]
        problems = engine.definition_errors(definition)
        if problems:
            raise forms.ValidationError(problems)
        return definition


class ReplyForm(NamedErrorsMixin, forms.Form):
    template = forms.ChoiceField(label=_("Brevmal"), required=False)
    subject = forms.CharField(label=_("Emne"), max_length=200)
    body = forms.CharField(label=_("Brevtekst"), widget=forms.Textarea(attrs={"rows": 10}))
    decided = forms.BooleanField(label=_("Saken er avgjort med dette brevet"), required=False)


class NoticePreferenceForm(NamedErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("E-postadresse for varsler"), required=False)
    notify_by_email = forms.BooleanField(label=_("Send meg e-post når noe nytt kommer"), required=False)
