from django.urls import path

from burenhulp.notifications import views

app_name = "notifications"

urlpatterns = [
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email/proposal/<str:action>/<str:token>/", views.proposal_answer, name="proposal_answer"),
    path("email/settings/", views.preferences, name="preferences"),
]
