from django.urls import URLPattern, path

from ekommune.publicjournal.api import views

# Included by the app's ``urls`` inside its ``publicjournal`` namespace.
urlpatterns: list[URLPattern] = [
    path("api/journal/", views.journal_list, name="api-list"),
    path("api/journal/<uuid:system_id>/", views.journal_detail, name="api-detail"),
]
