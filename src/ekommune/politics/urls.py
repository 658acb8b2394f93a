from django.urls import URLPattern, URLResolver, include, path

from ekommune.politics.views import feeds, public, staff

app_name = "politics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("politikk/", public.index, name="index"),
    path("politikk/utvalg/<int:pk>/", public.body_detail, name="body"),
    path("politikk/utvalg/<int:pk>/moter.ics", public.body_calendar, name="body-calendar"),
    path("politikk/moter/", public.meeting_list, name="meetings"),
    path("politikk/moter/<int:pk>/", public.meeting_detail, name="meeting"),
    path("politikk/moter/<int:pk>/protokoll/", public.meeting_minutes, name="minutes"),
    path("politikk/sak/<int:pk>/dokument/<uuid:file_id>/", public.item_document, name="item-document"),
    path("politikk/saker/<int:year>/<int:sequence>/", public.case_detail, name="case"),
    path("politikk/sok/", public.search, name="search"),
    path("politikk/vedtak.atom", feeds.DecisionsFeed(), name="decisions-feed"),
    path("politikk/abonnement/", public.subscribe, name="subscribe"),
    path("politikk/abonnement/bekreft/", public.subscription_confirm, name="subscription-confirm"),
    path("politikk/abonnement/avslutt/", public.unsubscribe, name="unsubscribe"),
    path("politikk/sekretariat/", staff.home, name="secretariat"),
    path("politikk/sekretariat/utvalg/", staff.members, name="secretariat-members"),
    path("politikk/sekretariat/moter/<int:pk>/", staff.meeting_detail, name="secretariat-meeting"),
    path("politikk/sekretariat/moter/<int:pk>/saker/", staff.item_add, name="secretariat-item"),
    path(
        "politikk/sekretariat/moter/<int:pk>/saker/<int:item_pk>/vedtak/",
        staff.decision_add,
        name="secretariat-decision",
    ),
    path(
        "politikk/sekretariat/moter/<int:pk>/saker/<int:item_pk>/video/",
        staff.item_video,
        name="secretariat-item-video",
    ),
    path(
        "politikk/sekretariat/moter/<int:pk>/<slug:action>/",
        staff.meeting_action,
        name="secretariat-action",
    ),
    path("api/oparl/", include("ekommune.politics.api.urls")),
]
