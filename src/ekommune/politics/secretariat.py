"""Pages of the political secretariat (``politikk/sekretariat/``): schedule meetings, build the
agenda, summon, record decisions, approve minutes. Thin: forms parse, services decide.

Every write goes through ``politics.services`` (which checks ``politics.manage`` and audits);
these views only refuse early (403) so that nobody sees forms they cannot use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ApplicationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.validators import is_ascii_digits
from ekommune.politics import selectors, services
from ekommune.politics.models import BodyKind, Meeting, MembershipRole

View = Callable[..., HttpResponseBase]
ACCESS_CODES = [
    ("", _("Ingen skjerming")),
    *((code, f"{code} – offl. § {code}") for code in ("13", "14", "15", "16", "23", "24", "25", "26")),
]
AMENDMENT_LINE = re.compile(
    r"^\s*(?P<by>[^:]+):\s*(?P<text>.+?)\s*\((?P<outcome>vedtatt|falt)\)\s*$", re.IGNORECASE
)
MEMBER_VOTE_LINE = re.compile(r"^\s*(?P<name>.+?)\s*:?\s+(?P<choice>for|mot|avstod)\s*$", re.IGNORECASE)
VOTE_LINE = re.compile(
    r"^\s*(?P<party>[^\s:]+)\s*:?\s+(?P<choice>for|mot|avstod)\s+(?P<count>[0-9]{1,3})\s*$", re.IGNORECASE
)


def secretariat_page(view: View) -> View:
    """Logged-in staff with the political secretariat's permission in this municipality."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        municipality: Municipality | None = getattr(request, "municipality", None)
        if municipality is None:
            raise Http404(_("Fant ingen kommune på denne adressen."))
        if not core_services.permission_has(
            actor=request.user, municipality=municipality, permission=Permission.POLITICS_MANAGE
        ):
            raise PermissionDenied(_("Bare det politiske sekretariatet har tilgang hit."))
        return view(request, municipality, *args, **kwargs)

    return wrapper


def _apply_error(form: forms.Form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


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

    def clean_amendments(self) -> list[services.AmendmentInput]:
        amendments = []
        for line in (self.cleaned_data.get("amendments") or "").splitlines():
            if not line.strip():
                continue
            match = AMENDMENT_LINE.match(line)
            if match is None:
                raise forms.ValidationError(_("Kan ikke lese linjen «%(line)s».") % {"line": line.strip()})
            amendments.append(
                services.AmendmentInput(
                    proposed_by=match["by"].strip(),
                    text=match["text"],
                    adopted=match["outcome"].lower() == "vedtatt",
                )
            )
        return amendments

    def clean_votes(self) -> list[services.VoteInput]:
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
                    services.VoteInput(
                        choice=match["choice"].lower(), party=match["party"], count=int(match["count"])
                    )
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


@require_http_methods(["GET", "POST"])
@secretariat_page
def home(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = MeetingForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                actor=request.user,
                municipality=municipality,
                body=form.bodies[form.cleaned_data["body"]],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                place=form.cleaned_data["place"],
                video_url=form.cleaned_data["video_url"],
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Møtet er lagt inn i kalenderen."))
            return redirect("politics:secretariat-meeting", meeting.pk)
    meetings = selectors.meeting_calendar(municipality=municipality).order_by("-starts_at")[:50]
    return render(
        request,
        "politics/secretariat/home.html",
        {"form": form, "meetings": meetings},
        status=400 if form.errors else 200,
    )


def _meeting_page(
    request: HttpRequest,
    municipality: Municipality,
    meeting: Meeting,
    *,
    item_form: ItemForm | None = None,
    decision_forms: dict[int, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    items = selectors.public_items_of_meeting(municipality=municipality, meeting=meeting)
    forms_by_item = decision_forms or {}
    members = _members_at(municipality, meeting)
    return render(
        request,
        "politics/secretariat/meeting.html",
        {
            "meeting": meeting,
            "rows": [
                (
                    item,
                    forms_by_item.get(item.pk) or DecisionForm(prefix=f"item-{item.pk}", members=members),
                    ItemVideoForm(prefix=f"video-{item.pk}"),
                )
                for item in items
            ],
            "item_form": item_form or ItemForm(),
            "video_form": VideoForm(initial={"video_url": meeting.video_url}),
            "attendance_rows": _attendance_rows(municipality, meeting, members),
            "attendance_open": meeting.status in {Meeting.Status.SUMMONED, Meeting.Status.HELD},
            "open_agenda": meeting.status in {Meeting.Status.PLANNED, Meeting.Status.SUMMONED},
            "open_decisions": meeting.status in {Meeting.Status.SUMMONED, Meeting.Status.HELD},
        },
        status=status,
    )


@require_http_methods(["GET"])
@secretariat_page
def meeting_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _meeting_page(request, municipality, _meeting(municipality, pk))


def _members_at(municipality: Municipality, meeting: Meeting) -> list[tuple[int, str]]:
    seats = selectors.members_of_body(
        municipality=municipality, body=meeting.body, on=timezone.localdate(meeting.starts_at)
    )
    return list({seat.person.pk: f"{seat.person.name} ({seat.person.party})" for seat in seats}.items())


def _attendance_rows(
    municipality: Municipality, meeting: Meeting, members: list[tuple[int, str]]
) -> list[dict[str, Any]]:
    """One row per seat for the attendance form, with what is recorded (status, met for whom)."""
    recorded = {
        row.person_id: row for row in selectors.meeting_attendance(municipality=municipality, meeting=meeting)
    }
    rows = []
    for pk, name in members:
        row = recorded.get(pk)
        rows.append(
            {
                "pk": pk,
                "name": name,
                "status": row.status if row else "",
                "substitute_for": row.substitute_for_id if row else None,
                "others": [(other, other_name) for other, other_name in members if other != pk],
            }
        )
    return rows


def _attendance_save(request: HttpRequest, municipality: Municipality, meeting: Meeting) -> HttpResponse:
    seats = dict(_members_at(municipality, meeting))
    people = {
        person.pk: person for person in selectors.person_list(municipality=municipality).filter(pk__in=seats)
    }
    rows = []
    for pk in seats:
        status = request.POST.get(f"oppmote-{pk}", "")
        if not status:
            continue
        met_for = request.POST.get(f"for-{pk}", "")
        rows.append(
            services.AttendanceInput(
                person=people[pk],
                status=status,
                substitute_for=people.get(int(met_for)) if is_ascii_digits(met_for) else None,
            )
        )
    try:
        services.meeting_attendance_record(
            actor=request.user, municipality=municipality, meeting=meeting, attendance=rows
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return _meeting_page(request, municipality, meeting, status=error.http_status)
    messages.success(request, _("Oppmøtet er lagret."))
    return redirect("politics:secretariat-meeting", meeting.pk)


def _meeting(municipality: Municipality, pk: int) -> Meeting:
    try:
        return selectors.meeting_get(municipality=municipality, pk=pk)
    except ApplicationError as error:
        raise Http404(error.message) from error


@require_POST
@secretariat_page
def item_add(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = _meeting(municipality, pk)
    form = ItemForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case_file = archive_selectors.case_file_by_number(
                actor=request.user, municipality=municipality, case_number=data["case_number"].strip()
            )
            upload = data.get("document")
            documents = (
                [archive_services.DocumentInput(title=data["title"], file_name=upload.name, content=upload)]
                if upload
                else []
            )
            screening = (
                archive_services.ScreeningInput(
                    access_restriction=data["access_restriction"],
                    legal_basis=data["legal_basis"],
                    screened_metadata=["TRO", "TD"] if data["public_title"] else ["TD"],
                )
                if data["access_restriction"]
                else None
            )
            services.agenda_item_add(
                actor=request.user,
                municipality=municipality,
                meeting=meeting,
                case_file=case_file,
                title=data["title"],
                public_title=data["public_title"],
                recommendation=data["recommendation"],
                documents=documents,
                screening=screening,
                is_public=not data["closed"],
                closed_basis=data["closed_basis"],
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Saken er satt på sakskartet."))
            return redirect("politics:secretariat-meeting", meeting.pk)
    return _meeting_page(request, municipality, meeting, item_form=form, status=400)


@require_POST
@secretariat_page
def decision_add(request: HttpRequest, municipality: Municipality, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting(municipality, pk)
    item = meeting.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404(_("Fant ikke saken."))
    form = DecisionForm(request.POST, prefix=f"item-{item.pk}", members=_members_at(municipality, meeting))
    if form.is_valid():
        data = form.cleaned_data
        absences = [
            services.AbsenceInput(
                person=selectors.person_get(municipality=municipality, pk=pk), reason=reason
            )
            for field, reason in (("absent", "forfall"), ("disqualified", "inhabil"))
            for pk in data[field]
        ]
        try:
            services.decision_record(
                actor=request.user,
                municipality=municipality,
                item=item,
                text=data["text"],
                unanimous=data["unanimous"],
                votes=[
                    *data["votes"],
                    *(
                        services.VoteInput(
                            choice=choice, person=selectors.person_get(municipality=municipality, pk=pk)
                        )
                        for pk, choice in form.member_votes
                    ),
                ],
                amendments=data["amendments"],
                absences=absences,
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Vedtaket er registrert (foreløpig til protokollen er godkjent)."))
            return redirect("politics:secretariat-meeting", meeting.pk)
    return _meeting_page(request, municipality, meeting, decision_forms={item.pk: form}, status=400)


@require_POST
@secretariat_page
def item_video(request: HttpRequest, municipality: Municipality, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting(municipality, pk)
    item = meeting.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404(_("Fant ikke saken."))
    form = ItemVideoForm(request.POST, prefix=f"video-{item.pk}")
    if not form.is_valid():
        messages.error(request, _("Skriv tidspunktet som t:mm:ss, for eksempel 1:02:30."))
        return _meeting_page(request, municipality, meeting, status=400)
    services.agenda_item_video_set(
        actor=request.user, municipality=municipality, item=item, offset_seconds=form.seconds()
    )
    messages.success(request, _("Tidspunktet i opptaket er lagret."))
    return redirect("politics:secretariat-meeting", meeting.pk)


ACTIONS = {
    "innkall": (services.meeting_summon, _("Innkallingen er sendt.")),
    "avholdt": (services.meeting_hold, _("Møtet er markert som avholdt.")),
    "godkjenn-protokoll": (services.minutes_approve, _("Protokollen er godkjent og publisert.")),
}


@require_POST
@secretariat_page
def meeting_action(request: HttpRequest, municipality: Municipality, pk: int, action: str) -> HttpResponse:
    meeting = _meeting(municipality, pk)
    if action == "video":
        form = VideoForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Oppgi en gyldig adresse til opptaket."))
            return redirect("politics:secretariat-meeting", meeting.pk)
        services.meeting_video_set(
            actor=request.user,
            municipality=municipality,
            meeting=meeting,
            video_url=form.cleaned_data["video_url"],
        )
        messages.success(request, _("Opptaket er lagt til."))
        return redirect("politics:secretariat-meeting", meeting.pk)
    if action == "oppmote":
        return _attendance_save(request, municipality, meeting)
    if action not in ACTIONS:
        raise Http404(_("Ukjent handling."))
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, municipality=municipality, meeting=meeting)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _meeting_page(request, municipality, _meeting(municipality, pk), status=error.http_status)
    messages.success(request, done)
    return redirect("politics:secretariat-meeting", meeting.pk)


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


def _member_forms(municipality: Municipality, data: Any = None, which: str = "") -> dict[str, forms.Form]:
    bodies = [(b.pk, b.name) for b in selectors.body_list(municipality=municipality)]
    built: dict[str, forms.Form] = {}
    for name, form_class in MEMBER_FORMS.items():
        form = form_class(data if name == which else None, prefix=name)
        if isinstance(form, BodyForm):
            form.fields["parent"].choices = [("", _("Ingen")), *bodies]  # type: ignore[attr-defined]
        if isinstance(form, SeatForm):
            form.fields["body"].choices = bodies  # type: ignore[attr-defined]
            form.fields["person"].choices = [  # type: ignore[attr-defined]
                (p.pk, f"{p.name} ({p.party})") for p in selectors.person_list(municipality=municipality)
            ]
            terms = [(t.pk, t.name) for t in selectors.term_list(municipality=municipality)]
            form.fields["term"].choices = terms  # type: ignore[attr-defined]
        built[name] = form
    return built


def _save_member_form(request: HttpRequest, municipality: Municipality, which: str, form: forms.Form) -> None:
    data, actor = form.cleaned_data, request.user
    if which == "term":
        services.term_create(actor=actor, municipality=municipality, **data)
    elif which == "body":
        series = archive_selectors.series_current(actor=actor, municipality=municipality)
        if series is None:
            raise ApplicationError(str(_("Kommunen har ingen åpen arkivdel for møtebøkene.")), field="name")
        parent = selectors.body_get(municipality=municipality, pk=data["parent"]) if data["parent"] else None
        services.body_create(
            actor=actor,
            municipality=municipality,
            name=data["name"],
            abbreviation=data["abbreviation"],
            kind=data["kind"],
            series=series,
            parent=parent,
            video_channel=data["video_channel"],
        )
    elif which == "person":
        services.person_create(actor=actor, municipality=municipality, **data)
    else:
        services.membership_add(
            actor=actor,
            municipality=municipality,
            body=selectors.body_get(municipality=municipality, pk=data["body"]),
            person=selectors.person_get(municipality=municipality, pk=data["person"]),
            term=selectors.term_get(municipality=municipality, pk=data["term"]),
            role=data["role"],
            starts_on=data["starts_on"],
        )


@require_http_methods(["GET", "POST"])
@secretariat_page
def members(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Terms, bodies, elected members and their seats."""
    which = request.POST.get("form", "") if request.method == "POST" else ""
    if request.method == "POST" and which not in MEMBER_FORMS:
        raise Http404(_("Ukjent skjema."))
    built = _member_forms(municipality, request.POST, which)
    if which:
        form = built[which]
        if form.is_valid():
            try:
                _save_member_form(request, municipality, which, form)
            except ApplicationError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("Lagret."))
                return redirect("politics:secretariat-members")
    seats: dict[int, list[Any]] = {}
    for seat in selectors.membership_list(municipality=municipality):
        seats.setdefault(seat.body_id, []).append(seat)
    bodies = [(body, seats.get(body.pk, [])) for body in selectors.body_list(municipality=municipality)]
    return render(
        request,
        "politics/secretariat/members.html",
        {"forms": built, "bodies": bodies},
        status=400 if which and built[which].errors else 200,
    )
