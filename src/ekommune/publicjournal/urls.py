from django.urls import URLPattern, URLResolver

app_name = "publicjournal"

urlpatterns: list[URLPattern | URLResolver] = []
