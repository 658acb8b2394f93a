from django.urls import path

from ekommune.archive.api import files, login, views

app_name = "noark"

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path(
        ".well-known/openid-configuration",
        login.OpenIdConfigurationView.as_view(),
        name="openid-configuration",
    ),
    path("login/rfc6749/token/", login.TokenView.as_view(), name="token"),
    path("logout/rfc6749/", login.RevokeView.as_view(), name="revoke"),
    path("admin/system/", views.SystemView.as_view(), name="system"),
    path("metadata/<str:name>/", views.CodeListView.as_view(), name="codelist"),
    path("arkivstruktur/ny-arkiv/", views.NewFondsView.as_view(), name="new-fonds"),
    path(
        "arkivstruktur/opplasting/<uuid:system_id>/", files.ChunkedUploadView.as_view(), name="chunked-upload"
    ),
    path("loggingogsporing/endringslogg/", views.ChangeLogView.as_view(), name="change-log"),
    path("<str:package>/", views.PackageView.as_view(), name="package"),
    path("<str:package>/<str:name>/", views.ListView.as_view(), name="list"),
    path("<str:package>/<str:name>/<uuid:system_id>/", views.DetailView.as_view(), name="detail"),
    path("<str:package>/<str:name>/<uuid:system_id>/<str:sub>/", views.SubView.as_view(), name="sub"),
]
