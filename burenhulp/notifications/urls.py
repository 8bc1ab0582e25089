from django.urls import path

from burenhulp.notifications import views

app_name = "notifications"

urlpatterns = [
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email/proposal/<str:action>/<str:token>/", views.proposal_answer, name="proposal_answer"),
    path("email/step-back/<str:token>/", views.step_back, name="step_back"),
    path("email/follow-up/<str:token>/", views.follow_up_answer, name="follow_up_answer"),
    path("email/settings/", views.preferences, name="preferences"),
]
