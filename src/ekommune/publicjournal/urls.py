from django.urls import URLPattern, URLResolver, path

from ekommune.publicjournal import api, feeds, views

app_name = "publicjournal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("journal/", views.journal_search, name="search"),
    path("journal/feed/", feeds.JournalFeed(), name="feed"),
    path("journal/sitemap.xml", views.journal_sitemap, name="sitemap"),
    path("journal/sak/<int:year>/<int:sequence>/", views.journal_case, name="case"),
    path("journal/<uuid:system_id>/", views.journal_entry, name="entry"),
    path(
        "journal/<uuid:system_id>/dokument/<uuid:document_id>/",
        views.journal_document,
        name="document",
    ),
    path("api/journal/", api.journal_list, name="api-list"),
    path("api/journal/<uuid:system_id>/", api.journal_detail, name="api-detail"),
]
