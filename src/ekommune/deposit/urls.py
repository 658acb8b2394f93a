from django.urls import URLPattern, URLResolver, path

from ekommune.deposit import views

app_name = "deposit"

urlpatterns: list[URLPattern | URLResolver] = [
    path("ansatt/arkiv/deponering/", views.deposit_page, name="page"),
    path("ansatt/arkiv/deponering/jobb/<int:pk>/", views.job_status, name="job-status"),
]
