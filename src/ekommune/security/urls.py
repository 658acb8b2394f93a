from django.urls import URLPattern, URLResolver, path

from ekommune.security.views import public, reads, staff

app_name = "security"

urlpatterns: list[URLPattern | URLResolver] = [
    path("sikkerhet/avvik/", public.report, name="report"),
    path("sikkerhet/avvik/mottatt/", public.report_received, name="report-received"),
    path("ansatt/sikkerhet/avvik/meld/", staff.report, name="staff-report"),
    path("ansatt/sikkerhet/avvik/", staff.deviation_list, name="staff-deviations"),
    path("ansatt/sikkerhet/avvik/<int:pk>/", staff.deviation_detail, name="staff-deviation"),
    path(
        "ansatt/sikkerhet/avvik/<int:pk>/datatilsynet/", staff.authority_notice, name="staff-authority-notice"
    ),
    path("ansatt/sikkerhet/avvik/<int:pk>/<slug:step>/", staff.deviation_step, name="staff-deviation-step"),
    path("ansatt/sikkerhet/statistikk/", staff.statistics, name="staff-statistics"),
    path("ansatt/sikkerhet/innstillinger/", staff.security_settings, name="staff-settings"),
    path("ansatt/sikkerhet/lesing/", reads.read_review, name="staff-read-review"),
    path("ansatt/sikkerhet/lesing/person/", reads.person_reads, name="staff-person-reads"),
]
