"""The site's URLs plus one view that fails, to see what a visitor gets when something breaks."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from burenhulp.urls import urlpatterns as site_urlpatterns

SECRET_IN_ERROR = "zqxsentinel-boom-secret-connection-string"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"database password is {SECRET_IN_ERROR}")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
