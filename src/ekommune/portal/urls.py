from django.urls import path

from ekommune.portal.views import citizen, form_pages, public, staff

app_name = "portal"

urlpatterns = [
    path("tjenester/", public.catalogue, name="catalogue"),
    path("tjenester/<slug:slug>/", public.service_detail, name="service"),
    path("tjenester/<slug:slug>/skjema/", form_pages.form_page, name="form"),
    path("tjenester/<slug:slug>/skjema/oppsummering/", form_pages.form_summary, name="form-summary"),
    path("min-side/", citizen.my_page, name="my-page"),
    path("min-side/innsendinger/<uuid:system_id>/", citizen.receipt, name="receipt"),
    path("min-side/innsendinger/<uuid:system_id>/kvittering.pdf", citizen.receipt_pdf, name="receipt-pdf"),
    path("min-side/utkast/<int:pk>/slett/", citizen.draft_discard, name="draft-discard"),
    path("min-side/post/<uuid:system_id>/", citizen.letter, name="letter"),
    path("min-side/post/<uuid:system_id>/brev.pdf", citizen.letter_pdf, name="letter-pdf"),
    path("ansatt/tjenester/", staff.staff_services, name="staff-services"),
    path("ansatt/tjenester/ny/", staff.staff_service_edit, name="staff-service-new"),
    path("ansatt/tjenester/<int:pk>/", staff.staff_service_edit, name="staff-service-edit"),
    path("ansatt/skjemaer/", staff.staff_forms, name="staff-forms"),
    path("ansatt/skjemaer/nytt/", staff.staff_form_edit, name="staff-form-new"),
    path("ansatt/skjemaer/<int:pk>/", staff.staff_form_edit, name="staff-form-edit"),
    path("ansatt/innboks/", staff.staff_inbox, name="staff-inbox"),
    path("ansatt/innboks/<int:pk>/", staff.staff_submission, name="staff-submission"),
    path(
        "ansatt/innboks/<int:pk>/fil/<uuid:system_id>/",
        staff.staff_submission_file,
        name="staff-submission-file",
    ),
]
