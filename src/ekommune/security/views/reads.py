"""The security officer's review of the read log (``ansatt/sikkerhet/lesing/``): a week's random
sample with reads outside the reader's own cases and unit flagged, the record of the review, and
"who has read data about this person". Thin: forms parse, services record, selectors read."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from ekommune.core.errors import ApplicationError
from ekommune.core.forms import NamedErrorsMixin
from ekommune.core.http import form_error_apply
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.security import selectors, services
from ekommune.security.models import ReadReview
from ekommune.security.views.staff import staff_page


class ReviewForm(NamedErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Resultat"), choices=ReadReview.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class PersonForm(NamedErrorsMixin, forms.Form):
    national_identity_number = forms.RegexField(
        label=_("Fødselsnummer"), regex=r"^[0-9]{11}$", required=False, max_length=11,
        error_messages={"invalid": _("Et fødselsnummer har 11 siffer.")},
    )  # fmt: skip
    name = forms.CharField(label=_("Navn"), required=False, max_length=500)

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if not data.get("national_identity_number") and not data.get("name") and not self.errors:
            self.add_error("national_identity_number", _("Oppgi fødselsnummer eller navn."))
        return data


def _week(value: str) -> dt.date:
    """The Monday of ``2026-W49`` (ISO week); else the current week's."""
    today = timezone.localdate()
    this_week = today - dt.timedelta(days=today.weekday())
    match = re.fullmatch(r"([0-9]{4})-W([0-9]{2})", value)
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1) if match else this_week
    except ValueError:  # week 54, week 0
        monday = this_week
    return min(monday, this_week)


@require_http_methods(["GET", "POST"])
@staff_page(Permission.SECURITY_READ_REVIEW)
def read_review(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    week_start = _week(request.GET.get("uke", ""))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.read_review_record(
                actor=request.user,
                municipality=municipality,
                week_start=week_start,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            messages.success(request, _("Kontrollen er registrert."))
            return redirect(f"{reverse('security:staff-read-review')}?uke={week_start:%G-W%V}")
    week = selectors.read_week(actor=request.user, municipality=municipality, week_start=week_start)
    reviews = list(selectors.read_reviews(actor=request.user, municipality=municipality)[:52])
    return render(
        request,
        "security/read_review.html",
        {
            "week": week,
            "week_label": f"{week_start:%G-W%V}",
            "previous_week": f"{week_start - dt.timedelta(days=7):%G-W%V}",
            "next_week": f"{week_start + dt.timedelta(days=7):%G-W%V}",
            "is_current_week": week_start + dt.timedelta(days=7) > timezone.localdate(),
            "review": next((r for r in reviews if r.week_start == week_start), None),
            "reviews": reviews,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@staff_page(Permission.SECURITY_READ_REVIEW)
def person_reads(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = PersonForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = selectors.person_reads(
            actor=request.user,
            municipality=municipality,
            national_identity_number=form.cleaned_data["national_identity_number"],
            name=form.cleaned_data["name"],
        )
    return render(
        request,
        "security/person_reads.html",
        {"form": form, "found": found},
        status=400 if form.errors else 200,
    )
