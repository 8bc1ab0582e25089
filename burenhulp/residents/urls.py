"""Burenbox pages (residents) and the coordinator's intake pages under /coordinator/residents/."""

from django.urls import URLPattern, URLResolver, path

from burenhulp.residents.views import burenbox, intake, streets

app_name = "residents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("burenbox/join/", burenbox.join, name="join"),
    path("buurt/<slug:slug>/join/", burenbox.join_buurt, name="join_buurt"),
    path("burenbox/", burenbox.mine, name="mine"),
    path("burenbox/step/<slug:step>/", burenbox.edit, name="edit"),
    path("burenbox/pause/", burenbox.pause, name="pause"),
    path("burenbox/resume/", burenbox.resume, name="resume"),
    path("burenbox/consent/", burenbox.consent, name="consent"),
    path("burenbox/print/", burenbox.print_card, name="print_card"),
    path("burenbox/neighbours/", burenbox.neighbours, name="neighbours"),
    path("burenbox/photo/<uuid:public_id>/", burenbox.photo, name="photo"),
    path("coordinator/residents/", intake.coordinator_list, name="coordinator_list"),
    path("coordinator/residents/new/", intake.intake_new, name="intake_new"),
    path("coordinator/residents/streets/", streets.streets, name="streets"),
    path("coordinator/residents/blank-cards/", intake.print_blank, name="print_blank"),
    path("coordinator/residents/poster/", intake.poster, name="poster"),
    path("coordinator/residents/<int:pk>/", intake.intake_edit, name="intake_edit"),
    path("coordinator/residents/<int:pk>/print/", intake.intake_print, name="intake_print"),
]
