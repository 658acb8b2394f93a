from django.urls import URLPattern, path

from ekommune.politics.api import views

urlpatterns: list[URLPattern] = [
    path("", views.system, name="oparl-system"),
    path("openapi.json", views.openapi, name="oparl-openapi"),
    path("body/", views.body_list, name="oparl-body-list"),
    path("body/<slug:slug>/", views.body, name="oparl-body"),
    path("organization/", views.organization_list, name="oparl-organization-list"),
    path("organization/<int:pk>/", views.organization, name="oparl-organization"),
    path("person/", views.person_list, name="oparl-person-list"),
    path("person/<int:pk>/", views.person, name="oparl-person"),
    path("membership/", views.membership_list, name="oparl-membership-list"),
    path("membership/<int:pk>/", views.membership, name="oparl-membership"),
    path("meeting/", views.meeting_list, name="oparl-meeting-list"),
    path("meeting/<int:pk>/", views.meeting, name="oparl-meeting"),
    path("agendaitem/", views.agenda_item_list, name="oparl-agendaitem-list"),
    path("agendaitem/<int:pk>/", views.agenda_item, name="oparl-agendaitem"),
    path("paper/", views.paper_list, name="oparl-paper-list"),
    path("paper/<int:year>-<int:sequence>/", views.paper, name="oparl-paper"),
    path("consultation/<int:pk>/", views.consultation, name="oparl-consultation"),
    path("file/", views.file_list, name="oparl-file-list"),
    path("file/<uuid:file_id>/", views.file, name="oparl-file"),
]
