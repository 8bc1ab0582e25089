"""Coordinator dashboard pages (DESIGN §8), mounted at /coordinator/."""

from django.urls import URLPattern, URLResolver, path

from burenhulp.coordination import views

app_name = "coordinator"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="queue"),
    path("buurt/", views.switch_buurt, name="switch_buurt"),
    path("item/<int:pk>/", views.item, name="item"),
    path("item/<int:pk>/match/", views.item_match, name="item_match"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("calls/", views.calls, name="calls"),
    path("services/", views.services_list, name="services"),
    path("services/<int:pk>/", views.service_edit, name="service_edit"),
    path("services/import/", views.services_import, name="services_import"),
    path("cards/", views.cards, name="cards"),
    path("reports/", views.reports, name="reports"),
    path("reports.csv", views.reports_csv, name="reports_csv"),
    path("moderation/", views.moderation, name="moderation"),
    path("settings/", views.buurt_settings, name="settings"),
]
