from django.urls import URLPattern, URLResolver

app_name = "politics"

urlpatterns: list[URLPattern | URLResolver] = []
