from django.urls import URLPattern, URLResolver

app_name = "deposit"

urlpatterns: list[URLPattern | URLResolver] = []
