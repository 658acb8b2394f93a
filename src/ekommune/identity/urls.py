from django.urls import path

from ekommune.identity import views

app_name = "identity"

urlpatterns = [
    path("innbygger/innlogging/", views.login, name="login"),
    path("innbygger/innlogging/<int:provider_id>/", views.login_start, name="login-start"),
    path("innlogging/tilbake/", views.callback, name="callback"),
    path("innbygger/utlogging/", views.logout, name="logout"),
    path("innbygger/utlogget/", views.logged_out, name="logged-out"),
    path("innbygger/utlogging/frontkanal/", views.frontchannel_logout, name="frontchannel-logout"),
    path("innbygger/representasjon/", views.representation, name="representation"),
    path("innlogging/kommune/", views.staff_login_start, name="staff-login"),
]
