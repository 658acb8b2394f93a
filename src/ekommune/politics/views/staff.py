"""Pages of the political secretariat (``politikk/sekretariat/``): schedule meetings, build the
agenda, summon, record decisions, approve minutes. Thin: forms parse, services decide.

Every write goes through ``politics.services`` (which checks ``politics.manage`` and audits);
these views only refuse early (403) so that nobody sees forms they cannot use.
"""

from __future__ import annotations

from collections.abc import Callable
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
from ekommune.core.http import form_error_apply, municipality_required, request_municipality
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.validators import is_ascii_digits
from ekommune.politics import selectors, services
from ekommune.politics.models import Meeting
from ekommune.politics.types import AbsenceInput, AttendanceInput, VoteInput
from ekommune.politics.views.forms import (
    MEMBER_FORMS,
    BodyForm,
    DecisionForm,
    ItemForm,
    ItemVideoForm,
    MeetingForm,
    SeatForm,
    VideoForm,
)

View = Callable[..., HttpResponseBase]


def secretariat_page(view: View) -> View:
    """Logged-in staff with the political secretariat's permission in this municipality; the view
    is called as ``view(request, municipality, ...)``."""

    @wraps(view)
    @login_required
    @municipality_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        municipality = request_municipality(request)
        if not core_services.permission_has(
            actor=request.user, municipality=municipality, permission=Permission.POLITICS_MANAGE
        ):
            raise PermissionDenied(_("Bare det politiske sekretariatet har tilgang hit."))
        return view(request, municipality, *args, **kwargs)

    return wrapper


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
            form_error_apply(form, error)
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
            AttendanceInput(
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
            services.agenda_item_add(
                actor=request.user,
                municipality=municipality,
                meeting=meeting,
                case_file=case_file,
                title=data["title"],
                public_title=data["public_title"],
                recommendation=data["recommendation"],
                documents=documents,
                # what the chosen restriction screens is the service's rule (services.item_screening)
                access_restriction=data["access_restriction"],
                legal_basis=data["legal_basis"],
                is_public=not data["closed"],
                closed_basis=data["closed_basis"],
            )
        except ApplicationError as error:
            form_error_apply(form, error)
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
            AbsenceInput(person=selectors.person_get(municipality=municipality, pk=pk), reason=reason)
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
                        VoteInput(
                            choice=choice, person=selectors.person_get(municipality=municipality, pk=pk)
                        )
                        for pk, choice in form.member_votes
                    ),
                ],
                amendments=data["amendments"],
                absences=absences,
            )
        except ApplicationError as error:
            form_error_apply(form, error)
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


def _member_forms(request: HttpRequest, municipality: Municipality, which: str = "") -> dict[str, forms.Form]:
    bodies = [(b.pk, b.name) for b in selectors.body_list(municipality=municipality)]
    series = archive_selectors.series_current(actor=request.user, municipality=municipality)
    classes = selectors.series_classes(municipality=municipality, series=series) if series else []
    built: dict[str, forms.Form] = {}
    for name, form_class in MEMBER_FORMS.items():
        form = form_class(request.POST if name == which else None, prefix=name)
        if isinstance(form, BodyForm):
            form.fields["parent"].choices = [("", _("Ingen")), *bodies]  # type: ignore[attr-defined]
            form.fields["case_class"].choices = [  # type: ignore[attr-defined]
                ("", _("Som det overordnede utvalget")),
                *((c.class_id, f"{c.class_id} {c.title}") for c in classes),
            ]
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
            case_class=data["case_class"],
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
    built = _member_forms(request, municipality, which)
    if which:
        form = built[which]
        if form.is_valid():
            try:
                _save_member_form(request, municipality, which, form)
            except ApplicationError as error:
                form_error_apply(form, error)
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
