"""Pages of the portal: the catalogue, forms, receipts, Min side, the case-worker inbox. Thin:
parse, call a service or selector, render."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ekommune.core.errors import ApplicationError, NotFoundError
from ekommune.core.models import Municipality
from ekommune.identity.access import citizen_required
from ekommune.identity.selectors import session_citizen
from ekommune.portal import engine, selectors, services
from ekommune.portal.models import LifeEvent, Service, Submission, Topic

View = Callable[..., HttpResponseBase]


def municipality_required(view: View) -> View:
    """404 for pages that only exist inside a municipality's site."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "municipality", None) is None:
            raise Http404(_("Fant ingen kommune på denne adressen."))
        return view(request, *args, **kwargs)

    return wrapper


def _municipality(request: HttpRequest) -> Municipality:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    return municipality


def _who(request: HttpRequest) -> services.CitizenActor:
    current = session_citizen(request=request)
    assert current is not None  # behind citizen_required
    return services.CitizenActor(citizen=current.citizen, organisation_number=current.organisation_number)


def citizen_page(view: View) -> View:
    """A page of Min side: a municipality's site and a citizen logged in (substantial or higher)."""
    return municipality_required(citizen_required()(view))  # type: ignore[arg-type]


# ------------------------------------------------------------------ catalogue


@municipality_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    life_event = request.GET.get("livshendelse", "")
    topic = request.GET.get("tema", "")
    life_event = life_event if life_event in LifeEvent.values else ""
    topic = topic if topic in Topic.values else ""
    found = list(
        selectors.service_search(
            municipality=_municipality(request), query=query, life_event=life_event, topic=topic
        )
    )
    return render(
        request,
        "portal/catalogue.html",
        {
            "query": query,
            "life_event": life_event,
            "topic": topic,
            "life_events": LifeEvent.choices,
            "topics": Topic.choices,
            "found": found,
            "groups": selectors.services_grouped(found) if not query else [],
        },
    )


@municipality_required
@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_published(municipality=_municipality(request), slug=slug)
    return render(request, "portal/service_detail.html", {"service": service})


# ------------------------------------------------------------------ forms


def _render_items(
    fields: tuple[engine.Field, ...],
    values: dict[str, Any],
    errors: dict[str, str],
    attachments: dict[str, engine.UploadedFile],
    prefix: str = "",
) -> list[dict[str, Any]]:
    """What the form template needs for each field: names, ids, values, errors, options."""
    items = []
    for item in fields:
        name = prefix + item.key
        current = values.get(name, "")
        entry: dict[str, Any] = {
            "field": item,
            "name": name,
            "id": f"f-{name}",
            "error": errors.get(name, ""),
            "value": current[0]
            if isinstance(current, list) and current
            else (current if isinstance(current, str) else ""),
            "shown": engine.is_shown(item, values, prefix),
            "condition_name": prefix + item.show_if.field if item.show_if else "",
        }
        if item.type == "multichoice":
            chosen = current if isinstance(current, list) else [current]
            entry["options"] = [(option, option.value in chosen) for option in item.options]
        elif item.type in {"choice", "yesno"}:
            options = item.options or (engine.Option("yes", "Ja"), engine.Option("no", "Nei"))
            entry["options"] = [(option, option.value == entry["value"]) for option in options]
        elif item.type == "address":
            entry["parts"] = [
                (part, label, values.get(f"{name}-{part}", ""))
                for part, label in (
                    ("street", "Gateadresse"),
                    ("postal_code", "Postnummer"),
                    ("city", "Poststed"),
                )
            ]
        elif item.type == "file":
            entry["attached"] = attachments.get(name)
            entry["accept"] = ",".join(item.accept)
        elif item.is_group:
            count = engine.group_row_count(values, item)
            entry["count"] = count
            entry["can_add"] = count < item.max_rows
            entry["rows"] = [
                {
                    "number": index + 1,
                    "remove": f"{name}-{index}" if count > item.min_rows else "",
                    "items": _render_items(item.fields, values, errors, attachments, f"{name}-{index}-"),
                }
                for index in range(count)
            ]
        items.append(entry)
    return items


def _posted_values(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in request.POST:
        if name in {"csrfmiddlewaretoken", "action", "remove_row", "add_row"}:
            continue
        posted = request.POST.getlist(name)
        if name.endswith("[]"):
            values[name[:-2]] = posted
        else:
            values[name] = posted[0] if posted else ""
    return values


def _apply_row_actions(request: HttpRequest, definition: engine.Definition, values: dict[str, Any]) -> bool:
    """Add or remove a row of a repeating group; True when the page should only be shown again."""
    add = request.POST.get("add_row", "")
    remove = request.POST.get("remove_row", "")
    for item in definition.fields:
        if not item.is_group:
            continue
        count = engine.group_row_count(values, item)
        if add == item.key and count < item.max_rows:
            values[f"{item.key}-count"] = str(count + 1)
            return True
        if remove.startswith(f"{item.key}-") and count > item.min_rows:
            index_text = remove.removeprefix(f"{item.key}-")
            if not index_text.isdigit():
                return True
            index = int(index_text)
            for later in range(index, count - 1):  # shift the following rows up
                for child in item.fields:
                    for suffix in ("", "-street", "-postal_code", "-city"):
                        source = f"{item.key}-{later + 1}-{child.key}{suffix}"
                        target = f"{item.key}-{later}-{child.key}{suffix}"
                        values[target] = values.pop(source, "")
            for child in item.fields:
                for suffix in ("", "-street", "-postal_code", "-city"):
                    values.pop(f"{item.key}-{count - 1}-{child.key}{suffix}", None)
            values[f"{item.key}-count"] = str(count - 1)
            return True
    return False


def _file_inputs(definition: engine.Definition, values: dict[str, Any]) -> list[str]:
    names = [item.key for item in definition.fields if item.type == "file"]
    for item in definition.fields:
        if item.is_group:
            for index in range(engine.group_row_count(values, item)):
                names.extend(
                    f"{item.key}-{index}-{child.key}" for child in item.fields if child.type == "file"
                )
    return names


@municipality_required
@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_published(municipality=_municipality(request), slug=slug)
    return citizen_required(service.required_level)(_form_page)(request, service)


def _form_page(request: HttpRequest, service: Service) -> HttpResponse:
    municipality, who = _municipality(request), _who(request)
    draft = services.draft_start(municipality=municipality, who=who, service=service)
    definition = engine.definition_parse(draft.form_version.definition)
    values: dict[str, Any] = dict(draft.values)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = _posted_values(request)
        rerender = _apply_row_actions(request, definition, values)
        uploads = []
        for name in _file_inputs(definition, values):
            upload = request.FILES.get(name)
            if upload is None:
                continue
            if upload.size is not None and upload.size > engine.MAX_FILE_SIZE:
                errors[name] = str(_("Filen er for stor."))
                continue
            uploads.append(
                services.Upload(input_name=name, file_name=upload.name or "vedlegg", content=upload.read())
            )
        removed = [
            name.removeprefix("remove_file:") for name in request.POST if name.startswith("remove_file:")
        ]
        draft = services.draft_save(
            municipality=municipality, who=who, draft=draft, values=values, uploads=uploads, removed=removed
        )
        action = request.POST.get("action", "")
        if action == "save" and not rerender:
            messages.success(request, _("Utkastet er lagret. Du kan fortsette senere fra Min side."))
            return redirect("portal:form", slug=service.slug)
        if action == "next" and not rerender:
            result = services.draft_validate(draft=draft)
            errors.update(result.errors)
            if not errors:
                return redirect("portal:form-summary", slug=service.slug)
            status = 400
    files = services.draft_files(draft)
    items = _render_items(definition.fields, values, errors, files)
    error_list = [(f"f-{name}", message) for name, message in errors.items()]
    return render(
        request,
        "portal/form.html",
        {
            "service": service,
            "definition": definition,
            "items": items,
            "errors": error_list,
            "version": draft.form_version,
        },
        status=status,
    )


@municipality_required
@require_http_methods(["GET", "POST"])
def form_summary(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_published(municipality=_municipality(request), slug=slug)
    return citizen_required(service.required_level)(_form_summary)(request, service)


def _form_summary(request: HttpRequest, service: Service) -> HttpResponse:
    municipality, who = _municipality(request), _who(request)
    if request.method == "POST":
        try:
            key = uuid.UUID(request.POST.get("idempotency_key", ""))
        except ValueError:
            return render(
                request, "portal/error.html", {"message": _("Skjemaet mangler referansen.")}, status=400
            )
        try:
            submission = services.submission_submit(
                municipality=municipality, who=who, service=service, idempotency_key=key
            )
        except ApplicationError as error:
            if error.code == "invalid_submission":
                messages.error(request, _("Skjemaet har feil. Rett dem og prøv igjen."))
                return redirect("portal:form", slug=service.slug)
            raise
        return redirect("portal:receipt", system_id=submission.system_id)
    draft = services.draft_start(municipality=municipality, who=who, service=service)
    result = services.draft_validate(draft=draft)
    if not result.is_valid:
        return redirect("portal:form", slug=service.slug)
    definition = engine.definition_parse(draft.form_version.definition)
    return render(
        request,
        "portal/summary.html",
        {"service": service, "rows": engine.display_rows(definition, result.data), "draft": draft},
    )


# ------------------------------------------------------------------ Min side


@citizen_page
@require_GET
def receipt(request: HttpRequest, system_id: uuid.UUID) -> HttpResponse:
    submission = selectors.submission_of_citizen(
        municipality=_municipality(request), citizen=_who(request).citizen, system_id=system_id
    )
    return render(request, "portal/receipt.html", {"submission": submission})


@citizen_page
@require_GET
def receipt_pdf(request: HttpRequest, system_id: uuid.UUID) -> FileResponse:
    municipality = _municipality(request)
    submission = selectors.submission_of_citizen(
        municipality=municipality, citizen=_who(request).citizen, system_id=system_id
    )
    content = selectors.document_content(municipality=municipality, document_object=submission.receipt)
    return FileResponse(
        content,
        content_type="application/pdf",
        filename=f"kvittering-{submission.case_number.replace('/', '-')}.pdf",
    )


class NoticePreferenceForm(forms.Form):
    email = forms.EmailField(label=_("E-postadresse for varsler"), required=False)
    notify_by_email = forms.BooleanField(label=_("Send meg e-post når noe nytt kommer"), required=False)


@citizen_page
@require_http_methods(["GET", "POST"])
def my_page(request: HttpRequest) -> HttpResponse:
    municipality, who = _municipality(request), _who(request)
    preference = selectors.notice_preference(municipality=municipality, citizen=who.citizen)
    initial = {
        "email": preference.email if preference else who.citizen.email,
        "notify_by_email": preference.notify_by_email if preference else True,
    }
    form = NoticePreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notice_preference_set(
            municipality=municipality,
            who=who,
            email=form.cleaned_data["email"],
            notify_by_email=form.cleaned_data["notify_by_email"],
        )
        messages.success(request, _("Varslingsvalgene er lagret."))
        return redirect("portal:my-page")
    return render(
        request,
        "portal/my_page.html",
        {
            "citizen": who.citizen,
            "submissions": selectors.submissions_of_citizen(municipality=municipality, citizen=who.citizen),
            "drafts": selectors.drafts_of_citizen(municipality=municipality, citizen=who.citizen),
            "letters": selectors.mailbox_of_citizen(municipality=municipality, citizen=who.citizen),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@citizen_page
@require_POST
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, who = _municipality(request), _who(request)
    draft = selectors.drafts_of_citizen(municipality=municipality, citizen=who.citizen).filter(pk=pk).first()
    if draft is None:
        raise NotFoundError("Fant ikke utkastet.")
    services.draft_discard(municipality=municipality, who=who, draft=draft)
    messages.success(request, _("Utkastet er slettet."))
    return redirect("portal:my-page")


@citizen_page
@require_GET
def letter(request: HttpRequest, system_id: uuid.UUID) -> HttpResponse:
    municipality, who = _municipality(request), _who(request)
    message = selectors.mailbox_message_of_citizen(
        municipality=municipality, citizen=who.citizen, system_id=system_id
    )
    message = services.mailbox_message_open(municipality=municipality, who=who, message=message)
    return render(request, "portal/letter.html", {"message": message})


@citizen_page
@require_GET
def letter_pdf(request: HttpRequest, system_id: uuid.UUID) -> FileResponse:
    municipality, who = _municipality(request), _who(request)
    message = selectors.mailbox_message_of_citizen(
        municipality=municipality, citizen=who.citizen, system_id=system_id
    )
    services.mailbox_message_open(municipality=municipality, who=who, message=message)
    content = selectors.document_content(municipality=municipality, document_object=message.document)
    return FileResponse(content, content_type="application/pdf", filename="brev.pdf")


# ------------------------------------------------------------------ staff: catalogue and forms


class ServiceForm(forms.ModelForm[Service]):
    class Meta:
        model = Service
        fields = list(services.SERVICE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "who_may_apply": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_choices, series, classes = selectors.service_choices(municipality=municipality)
        self.fields["form"].queryset = form_choices  # type: ignore[attr-defined]
        self.fields["archive_series"].queryset = series  # type: ignore[attr-defined]
        self.fields["archive_class"].queryset = classes  # type: ignore[attr-defined]

    def validate_unique(self) -> None:  # the service checks uniqueness within the municipality
        return


def _form_errors(form: forms.BaseForm, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@municipality_required
@login_required
@require_GET
def staff_services(request: HttpRequest) -> HttpResponse:
    found = selectors.services_for_staff(actor=request.user, municipality=_municipality(request))
    return render(request, "portal/staff/services.html", {"services": found})


@municipality_required
@login_required
@require_http_methods(["GET", "POST"])
def staff_service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = _municipality(request)
    service = (
        selectors.service_for_staff(actor=request.user, municipality=municipality, pk=pk) if pk else None
    )
    if service is None:
        selectors.services_for_staff(actor=request.user, municipality=municipality)  # permission check
    form = ServiceForm(request.POST or None, instance=service, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.SERVICE_FIELDS}
        try:
            if service is None:
                service = services.service_create(
                    actor=request.user, municipality=municipality, values=values
                )
            else:
                service = services.service_update(
                    actor=request.user, municipality=municipality, service=service, values=values
                )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Tjenesten er lagret."))
            return redirect("portal:staff-services")
    return render(
        request,
        "portal/staff/service_edit.html",
        {"form": form, "service": service},
        status=400 if form.errors else 200,
    )


@municipality_required
@login_required
@require_GET
def staff_forms(request: HttpRequest) -> HttpResponse:
    found = selectors.forms_for_staff(actor=request.user, municipality=_municipality(request))
    return render(request, "portal/staff/forms.html", {"forms": found})


class FormDefinitionForm(forms.Form):
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


@municipality_required
@login_required
@require_http_methods(["GET", "POST"])
def staff_form_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = _municipality(request)
    existing = selectors.form_for_staff(actor=request.user, municipality=municipality, pk=pk) if pk else None
    if existing is None:
        selectors.forms_for_staff(actor=request.user, municipality=municipality)  # permission check
    version = existing.current_version() if existing else None
    initial = (
        {"slug": existing.slug, "title": existing.title, "definition": version.definition if version else {}}
        if existing
        else {
            "definition": {
                "fields": [
                    {"key": "navn", "type": "text", "label": "Navn", "required": True, "prefill": "name"}
                ]
            }
        }
    )
    form = FormDefinitionForm(request.POST or None, initial=initial)
    if existing is not None:
        form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if existing is None:
                services.form_definition_create(
                    actor=request.user,
                    municipality=municipality,
                    slug=form.cleaned_data["slug"],
                    title=form.cleaned_data["title"],
                    definition=form.cleaned_data["definition"],
                )
            else:
                services.form_version_add(
                    actor=request.user,
                    municipality=municipality,
                    form=existing,
                    definition=form.cleaned_data["definition"],
                )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Skjemaet er lagret som en ny versjon."))
            return redirect("portal:staff-forms")
    return render(
        request,
        "portal/staff/form_edit.html",
        {"form": form, "existing": existing, "version": version},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------ staff: inbox


@municipality_required
@login_required
@require_GET
def staff_inbox(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    service_id = request.GET.get("tjeneste", "")
    status = request.GET.get("status", "")
    status = status if status in Submission.Status.values else ""
    found = selectors.inbox(
        actor=request.user,
        municipality=municipality,
        service_id=int(service_id) if service_id.isdigit() else None,
        status=status,
        mine=request.GET.get("mine") == "1",
    )[:200]
    return render(
        request,
        "portal/staff/inbox.html",
        {
            "submissions": found,
            "counts": selectors.inbox_counts(actor=request.user, municipality=municipality),
            "status": status,
            "service_id": service_id,
            "statuses": Submission.Status.choices,
        },
    )


class ReplyForm(forms.Form):
    template = forms.ChoiceField(label=_("Brevmal"), required=False)
    subject = forms.CharField(label=_("Emne"), max_length=200)
    body = forms.CharField(label=_("Brevtekst"), widget=forms.Textarea(attrs={"rows": 10}))
    decided = forms.BooleanField(label=_("Saken er avgjort med dette brevet"), required=False)


@municipality_required
@login_required
@require_http_methods(["GET", "POST"])
def staff_submission(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = _municipality(request)
    submission = selectors.submission_for_staff(actor=request.user, municipality=municipality, pk=pk)
    templates = list(selectors.letter_templates(municipality=municipality))
    workers = selectors.case_workers(actor=request.user, municipality=municipality)
    chosen = next((t for t in templates if str(t.pk) == request.GET.get("mal", "")), None)
    initial: dict[str, Any] = {}
    if chosen is not None:
        fill = {
            "navn": submission.citizen.name,
            "saksnummer": submission.case_number,
            "tjeneste": submission.service.title,
        }
        initial = {
            "template": str(chosen.pk),
            "subject": _fill(chosen.subject, fill),
            "body": _fill(chosen.body, fill),
        }
    reply_form = ReplyForm(request.POST if request.POST.get("action") == "reply" else None, initial=initial)
    reply_form.fields["template"].choices = [("", "–")] + [(str(t.pk), t.name) for t in templates]  # type: ignore[attr-defined]
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                assignee = next((w for w in workers if str(w.pk) == request.POST.get("assignee")), None)
                services.submission_assign(
                    actor=request.user, municipality=municipality, submission=submission, assignee=assignee
                )
                messages.success(request, _("Innsendingen er tildelt."))
                return redirect("portal:staff-submission", pk=pk)
            if action == "status":
                services.submission_set_status(
                    actor=request.user,
                    municipality=municipality,
                    submission=submission,
                    status=request.POST.get("status", ""),
                )
                messages.success(request, _("Status er endret."))
                return redirect("portal:staff-submission", pk=pk)
            if action == "reply" and reply_form.is_valid():
                services.submission_reply(
                    actor=request.user,
                    municipality=municipality,
                    submission=submission,
                    subject=reply_form.cleaned_data["subject"],
                    body=reply_form.cleaned_data["body"],
                    decided=reply_form.cleaned_data["decided"],
                )
                messages.success(
                    request, _("Svaret er journalført og levert i innbyggerens digitale postkasse.")
                )
                return redirect("portal:staff-submission", pk=pk)
        except ApplicationError as error:
            if action != "reply":
                raise
            _form_errors(reply_form, error)
    definition = engine.definition_parse(submission.form_version.definition)
    return render(
        request,
        "portal/staff/submission.html",
        {
            "submission": submission,
            "rows": engine.display_rows(definition, submission.data),
            "reply_form": reply_form,
            "templates": templates,
            "workers": workers,
            "statuses": Submission.Status.choices,
            "letters": submission.letters.order_by("-sent_at"),
            "form_action": reverse("portal:staff-submission", kwargs={"pk": pk}),
        },
        status=400 if reply_form.errors else 200,
    )


def _fill(text: str, values: dict[str, str]) -> str:
    """A letter template with ``{navn}``, ``{saksnummer}``, ``{tjeneste}`` filled in."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text
