from django.urls import path

from ekommune.core.api import views

app_name = "core-api"

urlpatterns = [
    path("municipality", views.MunicipalityView.as_view(), name="municipality"),
    path("staff", views.StaffListView.as_view(), name="staff"),
    path("staff/roles", views.StaffRolesView.as_view(), name="staff-roles"),
    path("audit-events", views.AuditEventListView.as_view(), name="audit-events"),
]
