from django.urls import URLPattern, URLResolver, path

from ekommune.security.views import processing, public, reads, risk, staff

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
    path(
        "ansatt/sikkerhet/avvik/<int:pk>/ros-tiltak/",
        risk.deviation_measure_link,
        name="staff-deviation-link",
    ),
    path("ansatt/sikkerhet/avvik/<int:pk>/<slug:step>/", staff.deviation_step, name="staff-deviation-step"),
    path("ansatt/sikkerhet/statistikk/", staff.statistics, name="staff-statistics"),
    path("ansatt/sikkerhet/innstillinger/", staff.security_settings, name="staff-settings"),
    # risk assessments (ROS)
    path("ansatt/sikkerhet/ros/", risk.ros_list, name="staff-ros-list"),
    path("ansatt/sikkerhet/ros/ny/", risk.ros_create, name="staff-ros-create"),
    path("ansatt/sikkerhet/ros/<int:pk>/", risk.ros_detail, name="staff-ros"),
    path("ansatt/sikkerhet/ros/<int:pk>/versjon/<int:number>/", risk.ros_version, name="staff-ros-version"),
    path("ansatt/sikkerhet/ros/<int:pk>/<slug:step>/", risk.ros_step, name="staff-ros-step"),
    # the record of processing (GDPR art. 30) and DPIA checklists
    path("personvern/behandlinger/", processing.public_processing, name="public-processing"),
    path("ansatt/sikkerhet/behandlinger/", processing.processing_list, name="staff-processing"),
    path(
        "ansatt/sikkerhet/behandlinger/forhandsutfyll/",
        processing.processing_prefill,
        name="staff-processing-prefill",
    ),
    path("ansatt/sikkerhet/behandlinger/ny/", processing.processing_edit, name="staff-processing-new"),
    path(
        "ansatt/sikkerhet/behandlinger/<int:pk>/",
        processing.processing_edit,
        name="staff-processing-activity",
    ),
    path("ansatt/sikkerhet/behandlinger/<int:pk>/dpia/", processing.dpia_checklist, name="staff-dpia"),
    path(
        "ansatt/sikkerhet/behandlinger/<int:pk>/dpia/<int:checklist_pk>/fullfor/",
        processing.dpia_complete,
        name="staff-dpia-complete",
    ),
    path("ansatt/sikkerhet/lesing/", reads.read_review, name="staff-read-review"),
    path("ansatt/sikkerhet/lesing/person/", reads.person_reads, name="staff-person-reads"),
]
