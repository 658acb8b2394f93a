from django.contrib.auth import views as auth_views
from django.urls import path

from ekommune.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("innlogging/", views.StaffLoginView.as_view(), name="login"),
    path("utlogging/", auth_views.LogoutView.as_view(), name="logout"),
    path("ansatt/", views.staff_home, name="staff-home"),
    path("ansatt/ansatte/", views.staff_list, name="staff-list"),
    path("ansatt/revisjonslogg/", views.audit_log, name="audit-log"),
    path("ansatt/tofaktor/", views.two_factor, name="two-factor"),
    path("ansatt/okter/", views.sessions_end, name="sessions"),
]
