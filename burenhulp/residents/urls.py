"""Burenbox pages (residents) and the coordinator's intake pages under /coordinator/residents/."""

from django.urls import URLPattern, URLResolver, path

from burenhulp.residents import views

app_name = "residents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("burenbox/join/", views.join, name="join"),
    path("buurt/<slug:slug>/join/", views.join_buurt, name="join_buurt"),
    path("burenbox/", views.mine, name="mine"),
    path("burenbox/step/<slug:step>/", views.edit, name="edit"),
    path("burenbox/pause/", views.pause, name="pause"),
    path("burenbox/resume/", views.resume, name="resume"),
    path("burenbox/consent/", views.consent, name="consent"),
    path("burenbox/print/", views.print_card, name="print_card"),
    path("burenbox/neighbours/", views.neighbours, name="neighbours"),
    path("burenbox/photo/<uuid:public_id>/", views.photo, name="photo"),
    path("coordinator/residents/", views.coordinator_list, name="coordinator_list"),
    path("coordinator/residents/new/", views.intake_new, name="intake_new"),
    path("coordinator/residents/blank-cards/", views.print_blank, name="print_blank"),
    path("coordinator/residents/poster/", views.poster, name="poster"),
    path("coordinator/residents/<int:pk>/", views.intake_edit, name="intake_edit"),
    path("coordinator/residents/<int:pk>/print/", views.intake_print, name="intake_print"),
]
