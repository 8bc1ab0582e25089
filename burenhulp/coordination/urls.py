"""Coordinator dashboard pages (DESIGN §8), mounted at /coordinator/."""

from django.urls import URLPattern, URLResolver, path

from burenhulp.coordination.views import (
    branding,
    call_list,
    calls,
    cards,
    directory,
    moderation,
    queue,
    reports,
    settings,
    shell,
    volunteers,
)

app_name = "coordinator"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", queue.queue, name="queue"),
    path("buurt/", shell.switch_buurt, name="switch_buurt"),
    path("item/<int:pk>/", queue.item, name="item"),
    path("item/<int:pk>/match/", queue.item_match, name="item_match"),
    path("volunteers/", volunteers.volunteers, name="volunteers"),
    path("calls/", calls.calls, name="calls"),
    path("call-list/", call_list.call_list, name="call_list"),
    path("services/", directory.services_list, name="services"),
    path("services/<int:pk>/", directory.service_edit, name="service_edit"),
    path("services/import/", directory.services_import, name="services_import"),
    path("cards/", cards.cards, name="cards"),
    path("reports/", reports.report_page, name="reports"),
    path("reports.csv", reports.report_csv, name="reports_csv"),
    path("reports.xlsx", reports.report_xlsx, name="reports_xlsx"),
    path("moderation/", moderation.moderation, name="moderation"),
    path("settings/", settings.buurt_settings, name="settings"),
    path("branding/", branding.branding_page, name="branding"),
]
