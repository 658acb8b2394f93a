from django.urls import path

from ekommune.identity.views import citizen, login, logout, staff

app_name = "identity"

urlpatterns = [
    path("innbygger/innlogging/", login.login, name="login"),
    path("innbygger/innlogging/<int:provider_id>/", login.login_start, name="login-start"),
    path("innlogging/tilbake/", login.callback, name="callback"),
    path("innbygger/utlogging/", logout.logout, name="logout"),
    path("innbygger/utlogget/", logout.logged_out, name="logged-out"),
    path("innbygger/utlogging/frontkanal/", logout.frontchannel_logout, name="frontchannel-logout"),
    path("innbygger/representasjon/", citizen.representation, name="representation"),
    path("innlogging/kommune/", staff.staff_login_start, name="staff-login"),
]
