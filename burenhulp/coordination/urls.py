"""Coordinator dashboard pages (DESIGN §8), mounted at /coordinator/."""

from django.urls import URLPattern, URLResolver, path

from burenhulp.coordination import views

app_name = "coordinator"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="queue"),
    path("buurt/", views.switch_buurt, name="switch_buurt"),
    path("item/<int:pk>/", views.item, name="item"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("calls/", views.calls, name="calls"),
    path("services/", views.services, name="services"),
    path("cards/", views.cards, name="cards"),
    path("reports/", views.reports, name="reports"),
    path("moderation/", views.moderation, name="moderation"),
    path("settings/", views.buurt_settings, name="settings"),
]
