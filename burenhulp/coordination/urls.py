from django.urls import URLPattern, URLResolver

app_name = "coordinator"

urlpatterns: list[URLPattern | URLResolver] = []
