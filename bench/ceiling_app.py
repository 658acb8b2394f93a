"""The read ceiling: a bare Django application whose one view reads one published entry by UUID.

    gunicorn bench.ceiling_app:application   (DATABASE_URL names the benchmark's database)

Same Django, same database settings (persistent connections) and the same gunicorn settings as
the platform; no middleware, no templates, no sessions: what one row through Django costs at
least. ``GET /row/<municipality id>/<uuid>/`` answers the row's title and case number as JSON;
``GET /item/<municipality id>/<id>/`` the same of a political agenda item.
"""

from __future__ import annotations

import os
import uuid

import dj_database_url
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-ceiling",  # noqa: S106 (a benchmark, nothing to protect)
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
    },
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path


def row(request: HttpRequest, municipality: int, system_id: uuid.UUID) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, case_number FROM publicjournal_publishedentry"
            " WHERE municipality_id = %s AND system_id = %s",
            [municipality, system_id],
        )
        found = cursor.fetchone()
    if found is None:
        raise Http404
    return JsonResponse({"tittel": found[0], "saksnummer": found[1]})


def item(request: HttpRequest, municipality: int, pk: int) -> JsonResponse:
    """The politics benchmark's ceiling: one agenda item row by id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT public_title, case_number FROM politics_agendaitem WHERE municipality_id = %s AND id = %s",
            [municipality, pk],
        )
        found = cursor.fetchone()
    if found is None:
        raise Http404
    return JsonResponse({"name": found[0], "reference": found[1]})


urlpatterns = [
    path("row/<int:municipality>/<uuid:system_id>/", row),
    path("item/<int:municipality>/<int:pk>/", item),
]
application = get_wsgi_application()
