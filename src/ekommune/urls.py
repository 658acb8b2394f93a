from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from ekommune.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("ekommune.core.api.urls")),
    path("drift/", admin.site.urls),
    path("", include("ekommune.core.urls")),
]

if settings.DEBUG:  # development only; production serves media from the web server or object storage
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
