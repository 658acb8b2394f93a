from django.urls import path

from ekommune.identity import views

app_name = "identity"

urlpatterns = [
    path("innbygger/innlogging/", views.login, name="login"),
    path("innbygger/utlogging/", views.logout, name="logout"),
]
