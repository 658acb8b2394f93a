"""The forms of the political pages: they parse what people type, the services decide.

The secretariat's decision form reads votes one line each (``Ap for 12`` per party, ``Kari
Høyre mot`` per member) and amendments (``Kari Høyre (H): tekst (vedtatt|falt)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ekommune.core.forms import NamedErrorsMixin
from ekommune.core.models import Municipality
from ekommune.politics import selectors, services
from ekommune.politics.models import BodyKind, MembershipRole
from ekommune.politics.types import AmendmentInput, VoteInput

ACCESS_CODES = [
    ("", _("Ingen skjerming")),
    *((code, f"{code} – {label}") for code, label in services.ITEM_ACCESS_RESTRICTIONS.items()),
]
AMENDMENT_LINE = re.compile(
    r"^\s*(?P<by>[^:]+):\s*(?P<text>.+?)\s*\((?P<outcome>vedtatt|falt)\)\s*$", re.IGNORECASE
)
MEMBER_VOTE_LINE = re.compile(r"^\s*(?P<name>.+?)\s*:?\s+(?P<choice>for|mot|avstod)\s*$", re.IGNORECASE)
VOTE_LINE = re.compile(
    r"^\s*(?P<party>[^\s:]+)\s*:?\s+(?P<choice>for|mot|avstod)\s+(?P<count>[0-9]{1,3})\s*$", re.IGNORECASE
)


class SubscriptionForm(NamedErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("E-postadresse"), max_length=254)
    body = forms.IntegerField(required=False, widget=forms.HiddenInput)
    case_number = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    body = forms.TypedChoiceField(label=_("Utvalg"), coerce=int)
    starts_at = forms.DateTimeField(
        label=_("Starter"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Slutter"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Sted"), max_length=200)
    video_url = forms.URLField(label=_("Opptak eller direktesending (valgfritt)"), required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bodies = {body.pk: body for body in selectors.body_list(municipality=municipality)}
        self.fields["body"].choices = [(pk, body.name) for pk, body in self.bodies.items()]  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    case_number = forms.CharField(label=_("Arkivsak (saksnummer, f.eks. 2026/14)"), max_length=20)
    title = forms.CharField(label=_("Tittel på saksframlegget"), max_length=1000)
    recommendation = forms.CharField(
        label=_("Innstilling"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = forms.FileField(label=_("Saksframlegg (fil, valgfritt)"), required=False)
    access_restriction = forms.ChoiceField(label=_("Skjerming"), choices=ACCESS_CODES, required=False)
    legal_basis = forms.CharField(label=_("Skjermingshjemmel"), max_length=300, required=False)
    public_title = forms.CharField(
        label=_("Offentlig tittel (skjermede ord erstattet med *****)"), max_length=1000, required=False
    )
    closed = forms.BooleanField(label=_("Lukket sak (behandles for lukkede dører)"), required=False)
    closed_basis = forms.CharField(label=_("Hjemmel for lukking"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("access_restriction") and not data.get("legal_basis"):
            self.add_error("legal_basis", _("Oppgi hjemmelen for skjermingen."))
        return data


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Vedtak"), widget=forms.Textarea(attrs={"rows": 3}))
    unanimous = forms.BooleanField(label=_("Enstemmig"), required=False)
    votes = forms.CharField(
        label=_(
            "Stemmer, én linje hver: per parti med antall («Ap for 12») eller per medlem («Kari Høyre mot»)"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    amendments = forms.CharField(
        label=_("Endringsforslag, én linje hver (f.eks. «Kari Høyre (H): Ny tekst (falt)»)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    absent = forms.TypedMultipleChoiceField(
        label=_("Forfall"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    disqualified = forms.TypedMultipleChoiceField(
        label=_("Inhabil"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["absent"].choices = list(members)  # type: ignore[attr-defined]
        self.fields["disqualified"].choices = list(members)  # type: ignore[attr-defined]

    def clean_amendments(self) -> list[AmendmentInput]:
        amendments = []
        for line in (self.cleaned_data.get("amendments") or "").splitlines():
            if not line.strip():
                continue
            match = AMENDMENT_LINE.match(line)
            if match is None:
                raise forms.ValidationError(_("Kan ikke lese linjen «%(line)s».") % {"line": line.strip()})
            amendments.append(
                AmendmentInput(
                    proposed_by=match["by"].strip(),
                    text=match["text"],
                    adopted=match["outcome"].lower() == "vedtatt",
                )
            )
        return amendments

    def clean_votes(self) -> list[VoteInput]:
        """Party lines (``Ap for 12``) become votes here; member lines (``Kari Høyre mot``) are
        kept in ``member_votes`` as (person id, choice) for the view to resolve."""
        votes = []
        self.member_votes: list[tuple[int, str]] = []
        members = {label.rsplit(" (", 1)[0].casefold(): pk for pk, label in self.fields["absent"].choices}  # type: ignore[attr-defined]
        for line in (self.cleaned_data.get("votes") or "").splitlines():
            if not line.strip():
                continue
            match = VOTE_LINE.match(line)
            member = MEMBER_VOTE_LINE.match(line) if match is None else None
            if match is not None:
                votes.append(
                    VoteInput(choice=match["choice"].lower(), party=match["party"], count=int(match["count"]))
                )
            elif member is not None and member["name"].strip().casefold() in members:
                self.member_votes.append(
                    (members[member["name"].strip().casefold()], member["choice"].lower())
                )
            else:
                raise forms.ValidationError(_("Kan ikke lese linjen «%(line)s».") % {"line": line.strip()})
        return votes


class ItemVideoForm(forms.Form):
    at = forms.RegexField(
        label=_("Tidspunkt i opptaket (t:mm:ss)"),
        regex=r"^\s*(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)\s*$",
        max_length=10,
    )

    def seconds(self) -> int:
        parts = [int(part) for part in self.cleaned_data["at"].strip().split(":")]
        while len(parts) < 3:
            parts.insert(0, 0)
        return parts[0] * 3600 + parts[1] * 60 + parts[2]


class VideoForm(forms.Form):
    video_url = forms.URLField(label=_("Adresse til opptaket"))


# ------------------------------------------------------------------ bodies, members, terms


class TermForm(forms.Form):
    name = forms.CharField(label=_("Navn på valgperioden (f.eks. 2023–2027)"), max_length=50)
    starts_on = forms.DateField(label=_("Fra"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Til"), widget=forms.DateInput(attrs={"type": "date"}))


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Navn på utvalget"), max_length=200)
    abbreviation = forms.CharField(label=_("Forkortelse (f.eks. FSK)"), max_length=20)
    kind = forms.ChoiceField(label=_("Type"), choices=BodyKind.choices)
    parent = forms.TypedChoiceField(
        label=_("Overordnet utvalg"), coerce=int, required=False, empty_value=None
    )
    case_class = forms.ChoiceField(
        label=_("Arkivklasse for utvalgets saker (tomt: som det overordnede utvalget)"), required=False
    )
    video_channel = forms.URLField(label=_("Videokanal (valgfritt)"), required=False)


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    party = forms.CharField(label=_("Parti"), max_length=100)
    email = forms.EmailField(label=_("E-post (vises offentlig)"))


class SeatForm(forms.Form):
    body = forms.TypedChoiceField(label=_("Utvalg"), coerce=int)
    person = forms.TypedChoiceField(label=_("Folkevalgt"), coerce=int)
    term = forms.TypedChoiceField(label=_("Valgperiode"), coerce=int)
    role = forms.ChoiceField(label=_("Rolle"), choices=MembershipRole.choices)
    starts_on = forms.DateField(
        label=_("Fra (tomt: periodens start)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


MEMBER_FORMS: dict[str, type[forms.Form]] = {
    "term": TermForm,
    "body": BodyForm,
    "person": PersonForm,
    "seat": SeatForm,
}
