"""The bare-Django ceiling the archive API is measured against (issue 19).

A minimal Django project in one module, served by the same gunicorn with the same settings as
``ekommune.wsgi``, on the same database and the same connection settings (psycopg 3, persistent
connections, ``DATABASE_CONN_MAX_AGE``):

- ``POST /ceiling/register/``: parses the JSON body, takes the next gapless number
  (``UPDATE ... RETURNING`` on a counter row, held until commit) and inserts one row, in one
  transaction; answers 201 with a small JSON body;
- ``GET /ceiling/entry/<uuid>/``: reads one row by its UUID and answers it as JSON.

No authentication, permission, validation, change log or audit event: what the hardware, the
web server, Django's request cycle and PostgreSQL allow for "a number and a row". The benchmark
creates the two tables (``bench.common.ceiling_tables_create``) and checks the numbers afterwards.

    gunicorn bench.ceiling:application     # with DATABASE_URL set
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import dj_database_url
from django.conf import settings

if not settings.configured:
    database = dj_database_url.parse(
        os.environ["DATABASE_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        SECRET_KEY="bench-ceiling-not-secret",  # noqa: S106
        ROOT_URLCONF=__name__,
        DATABASES={"default": database},
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        USE_TZ=True,
    )

import django

django.setup()

from django.core.wsgi import get_wsgi_application
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def register(request: HttpRequest) -> HttpResponse:
    body: dict[str, Any] = json.loads(request.body or b"{}")
    system_id = uuid.uuid4()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bench_ceiling_counter SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value"
        )
        number = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO bench_ceiling_entry (system_id, number, title) VALUES (%s, %s, %s)",
            [system_id, number, str(body.get("tittel", ""))],
        )
    return JsonResponse({"systemID": str(system_id), "nummer": number}, status=201)


def entry(request: HttpRequest, system_id: uuid.UUID) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT system_id, number, title, created_at FROM bench_ceiling_entry WHERE system_id = %s",
            [system_id],
        )
        row = cursor.fetchone()
    if row is None:
        return JsonResponse({"feil": "ikke funnet"}, status=404)
    return JsonResponse(
        {"systemID": str(row[0]), "nummer": row[1], "tittel": row[2], "opprettetDato": row[3].isoformat()}
    )


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("ceiling/register/", register),
    path("ceiling/entry/<uuid:system_id>/", entry),
    path("healthz", healthz),
]

application = get_wsgi_application()
