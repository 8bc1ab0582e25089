from django.urls import URLPattern, URLResolver, path

from burenhulp.helprequests import views

app_name = "requests"

urlpatterns: list[URLPattern | URLResolver] = [
    path("help/ask/", views.ask, name="new"),
    path("help/mine/", views.mine, name="mine"),
    path("help/request/<uuid:public_id>/", views.detail, name="detail"),
    path("help/proposals/", views.proposals, name="proposals"),
    path("help/proposals/<uuid:public_id>/", views.proposal, name="proposal"),
    path("help/proposals/<uuid:public_id>/step-back/", views.step_back, name="step_back"),
    path("help/follow-up/<uuid:public_id>/", views.follow_up, name="follow_up"),
    path("coordinator/residents/<int:pk>/ask/", views.ask_for, name="ask_for"),
]
