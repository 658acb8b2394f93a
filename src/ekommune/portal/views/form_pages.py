"""A service's form, its summary and the submit: the citizen's way into the archive."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ekommune.core.errors import ApplicationError, NotFoundError
from ekommune.core.http import municipality_required, request_municipality
from ekommune.core.validators import is_ascii_digits
from ekommune.identity.http import citizen_required
from ekommune.portal import engine, selectors, services
from ekommune.portal.models import Draft, Service
from ekommune.portal.views.common import citizen_of

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
            if not is_ascii_digits(index_text):
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
    service = selectors.service_published(municipality=request_municipality(request), slug=slug)
    return citizen_required(service.required_level)(_form_page)(request, service)


def _form_page(request: HttpRequest, service: Service) -> HttpResponse:
    municipality, who = request_municipality(request), citizen_of(request)
    continues = None
    if request.GET.get("ettersending"):
        try:
            continues = selectors.submission_of_citizen(
                municipality=municipality,
                citizen=who.citizen,
                system_id=uuid.UUID(request.GET["ettersending"]),
            )
        except ValueError as error:
            raise NotFoundError("Fant ikke saken som skal fortsettes.") from error
    errors: dict[str, str] = {}
    status = 200
    draft: Draft | None
    if request.method == "POST":
        saved = services.draft_start(
            municipality=municipality, who=who, service=service, continues=continues, create=False
        )
        version = selectors.form_version_info(version_id=saved.form_version_id)
        values = _posted_values(request)
        rerender = _apply_row_actions(request, version.definition, values)
        uploads = []
        for name in _file_inputs(version.definition, values):
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
            municipality=municipality, who=who, draft=saved, values=values, uploads=uploads, removed=removed
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
    else:  # looking at the form writes nothing: the draft is made when the citizen first saves
        draft = selectors.draft_of_citizen(municipality=municipality, citizen=who.citizen, service=service)
        if draft is not None:
            version, values = (
                selectors.form_version_info(version_id=draft.form_version_id),
                dict(draft.values),
            )
        else:
            version, values = selectors.new_draft_values(
                municipality=municipality,
                service=service,
                citizen=who.citizen,
                organisation_number=who.organisation_number,
            )
    files = services.draft_files(draft) if draft is not None else {}
    items = _render_items(version.definition.fields, values, errors, files)
    error_list = [(f"f-{name}", message) for name, message in errors.items()]
    return render(
        request,
        "portal/form.html",
        {
            "service": service,
            "definition": version.definition,
            "items": items,
            "errors": error_list,
            "version": version,
            "continues": continues or (draft.continues if draft is not None else None),
        },
        status=status,
    )


@municipality_required
@require_http_methods(["GET", "POST"])
def form_summary(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_published(municipality=request_municipality(request), slug=slug)
    return citizen_required(service.required_level)(_form_summary)(request, service)


def _form_summary(request: HttpRequest, service: Service) -> HttpResponse:
    municipality, who = request_municipality(request), citizen_of(request)
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
    draft = selectors.draft_of_citizen(municipality=municipality, citizen=who.citizen, service=service)
    if draft is None:
        return redirect("portal:form", slug=service.slug)
    result = services.draft_validate(draft=draft)
    if not result.is_valid:
        return redirect("portal:form", slug=service.slug)
    definition = selectors.form_version_info(version_id=draft.form_version_id).definition
    return render(
        request,
        "portal/summary.html",
        {"service": service, "rows": engine.display_rows(definition, result.data), "draft": draft},
    )
