from django.urls import path

from ekommune.portal import views

app_name = "portal"

urlpatterns = [
    path("tjenester/", views.catalogue, name="catalogue"),
    path("tjenester/<slug:slug>/", views.service_detail, name="service"),
    path("tjenester/<slug:slug>/skjema/", views.form_page, name="form"),
    path("tjenester/<slug:slug>/skjema/oppsummering/", views.form_summary, name="form-summary"),
    path("min-side/", views.my_page, name="my-page"),
    path("min-side/innsendinger/<uuid:system_id>/", views.receipt, name="receipt"),
    path("min-side/innsendinger/<uuid:system_id>/kvittering.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("min-side/utkast/<int:pk>/slett/", views.draft_discard, name="draft-discard"),
    path("min-side/post/<uuid:system_id>/", views.letter, name="letter"),
    path("min-side/post/<uuid:system_id>/brev.pdf", views.letter_pdf, name="letter-pdf"),
    path("ansatt/tjenester/", views.staff_services, name="staff-services"),
    path("ansatt/tjenester/ny/", views.staff_service_edit, name="staff-service-new"),
    path("ansatt/tjenester/<int:pk>/", views.staff_service_edit, name="staff-service-edit"),
    path("ansatt/skjemaer/", views.staff_forms, name="staff-forms"),
    path("ansatt/skjemaer/nytt/", views.staff_form_edit, name="staff-form-new"),
    path("ansatt/skjemaer/<int:pk>/", views.staff_form_edit, name="staff-form-edit"),
    path("ansatt/innboks/", views.staff_inbox, name="staff-inbox"),
    path("ansatt/innboks/<int:pk>/", views.staff_submission, name="staff-submission"),
]
