from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpRequest, HttpResponseBase
from django.urls import include, path

from ekommune.archive.api import views as noark_views
from ekommune.core import views as core_views


def api_entry_or_home(request: HttpRequest) -> HttpResponseBase:
    """``/`` is the start page for browsers and the Noark 5 entry point for API clients."""
    accept = request.headers.get("Accept", "")
    preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
    if preflight or "application/vnd.noark5+json" in accept or accept.startswith("application/json"):
        return noark_views.RootView.as_view()(request)
    return core_views.home(request)


handler404 = "ekommune.core.views.not_found"  # JSON under /api/ (decision 0175)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("ekommune.core.api.urls")),
    path("api/noark5/", include("ekommune.archive.api.urls")),
    path("drift/", admin.site.urls),
    path("", include("ekommune.identity.urls")),
    path("", include("ekommune.publicjournal.urls")),
    path("", include("ekommune.portal.urls")),
    path("", include("ekommune.politics.urls")),
    path("", include("ekommune.deposit.urls")),
    path("", include("ekommune.security.urls")),
    path("", api_entry_or_home),
    path("", include("ekommune.core.urls")),
]

if settings.DEBUG:  # development only; production serves media from the web server or object storage
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
