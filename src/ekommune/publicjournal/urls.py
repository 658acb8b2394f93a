from django.urls import URLPattern, URLResolver, include, path

from ekommune.publicjournal.views import feeds, public, staff

app_name = "publicjournal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("journal/", public.journal_search, name="search"),
    path("journal/feed/", feeds.journal_feed, name="feed"),
    path("journal/sitemap.xml", public.journal_sitemap_index, name="sitemap"),
    path("journal/sitemap-<int:page>.xml", public.journal_sitemap, name="sitemap-page"),
    path("journal/sak/<int:year>/<int:sequence>/", public.journal_case, name="case"),
    path("journal/innsyn/", public.basket, name="basket"),
    path("journal/innsyn/kurv/", public.basket_change, name="basket-change"),
    path("journal/innsyn/<str:token>/", public.access_status, name="access-status"),
    path("journal/innsyn/<str:token>/fil/<uuid:object_id>/", public.access_file, name="access-file"),
    path("journal/<uuid:system_id>/", public.journal_entry, name="entry"),
    path(
        "journal/<uuid:system_id>/dokument/<uuid:document_id>/",
        public.journal_document,
        name="document",
    ),
    path("", include("ekommune.publicjournal.api.urls")),
    path("ansatt/innsyn/", staff.access_queue, name="staff-access-queue"),
    path("ansatt/innsyn/<int:request_id>/", staff.access_answer, name="staff-access-answer"),
    path("ansatt/journal/innstillinger/", staff.journal_settings, name="staff-settings"),
]
