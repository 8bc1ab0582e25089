"""Privacy pages: see and download my data, withdraw a consent, delete my account."""

from django.urls import path

from burenhulp.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="mine"),
    path("download/", views.download, name="download"),
    path("consents/<str:purpose>/withdraw/", views.withdraw_consent, name="consent_withdraw"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
