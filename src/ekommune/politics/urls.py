from django.urls import URLPattern, URLResolver, include, path

from ekommune.politics import feeds, secretariat, views

app_name = "politics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("politikk/", views.index, name="index"),
    path("politikk/utvalg/<int:pk>/", views.body_detail, name="body"),
    path("politikk/utvalg/<int:pk>/moter.ics", views.body_calendar, name="body-calendar"),
    path("politikk/moter/", views.meeting_list, name="meetings"),
    path("politikk/moter/<int:pk>/", views.meeting_detail, name="meeting"),
    path("politikk/moter/<int:pk>/protokoll/", views.meeting_minutes, name="minutes"),
    path("politikk/sak/<int:pk>/dokument/<uuid:file_id>/", views.item_document, name="item-document"),
    path("politikk/saker/<int:year>/<int:sequence>/", views.case_detail, name="case"),
    path("politikk/sok/", views.search, name="search"),
    path("politikk/vedtak.atom", feeds.DecisionsFeed(), name="decisions-feed"),
    path("politikk/abonnement/", views.subscribe, name="subscribe"),
    path("politikk/abonnement/bekreft/", views.subscription_confirm, name="subscription-confirm"),
    path("politikk/abonnement/avslutt/", views.unsubscribe, name="unsubscribe"),
    path("politikk/sekretariat/", secretariat.home, name="secretariat"),
    path("politikk/sekretariat/utvalg/", secretariat.members, name="secretariat-members"),
    path("politikk/sekretariat/moter/<int:pk>/", secretariat.meeting_detail, name="secretariat-meeting"),
    path("politikk/sekretariat/moter/<int:pk>/saker/", secretariat.item_add, name="secretariat-item"),
    path(
        "politikk/sekretariat/moter/<int:pk>/saker/<int:item_pk>/vedtak/",
        secretariat.decision_add,
        name="secretariat-decision",
    ),
    path(
        "politikk/sekretariat/moter/<int:pk>/saker/<int:item_pk>/video/",
        secretariat.item_video,
        name="secretariat-item-video",
    ),
    path(
        "politikk/sekretariat/moter/<int:pk>/<slug:action>/",
        secretariat.meeting_action,
        name="secretariat-action",
    ),
    path("api/oparl/", include("ekommune.politics.api.urls")),
]
