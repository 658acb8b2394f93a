from django.urls import URLPattern, URLResolver, path

from ekommune.publicjournal import api, feeds, staff_views, views

app_name = "publicjournal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("journal/", views.journal_search, name="search"),
    path("journal/feed/", feeds.JournalFeed(), name="feed"),
    path("journal/sitemap.xml", views.journal_sitemap, name="sitemap"),
    path("journal/sak/<int:year>/<int:sequence>/", views.journal_case, name="case"),
    path("journal/innsyn/", views.basket, name="basket"),
    path("journal/innsyn/kurv/", views.basket_change, name="basket-change"),
    path("journal/innsyn/<str:token>/", views.access_status, name="access-status"),
    path("journal/innsyn/<str:token>/fil/<uuid:object_id>/", views.access_file, name="access-file"),
    path("journal/<uuid:system_id>/", views.journal_entry, name="entry"),
    path(
        "journal/<uuid:system_id>/dokument/<uuid:document_id>/",
        views.journal_document,
        name="document",
    ),
    path("api/journal/", api.journal_list, name="api-list"),
    path("api/journal/<uuid:system_id>/", api.journal_detail, name="api-detail"),
    path("ansatt/innsyn/", staff_views.access_queue, name="staff-access-queue"),
    path("ansatt/innsyn/<int:request_id>/", staff_views.access_answer, name="staff-access-answer"),
    path("ansatt/journal/innstillinger/", staff_views.journal_settings, name="staff-settings"),
]
